"""Read a PDF's text layer with pypdfium2 into positioned words (points from the page's top-left)."""

import pypdfium2
import pypdfium2.raw as pdfium_c

from extraction.model import ExtractionError, Page, TextDocument, Word

# A gap wider than this share of the glyph height splits two words even without a space:
# generators that place each word on its own never write the space character.
_WORD_GAP_RATIO = 0.35
_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
# A bill's page holds a few thousand characters; a hostile one with millions must not stall a worker.
_MAX_CHARS_PER_PAGE = 60_000


def read_pdf_text(data: bytes, max_pages: int = 50) -> TextDocument:
    """Positioned words of the first max_pages pages. Not thread-safe: pdfium is one per process."""
    document = open_pdf(data)
    try:
        pages = []
        for index in range(min(len(document), max_pages)):
            pages.append(_read_page(document, index))
        return TextDocument(pages=pages, source="text")
    except pypdfium2.PdfiumError as error:
        raise ExtractionError(f"unreadable PDF page: {error}") from None
    finally:
        document.close()


def open_pdf(data: bytes) -> pypdfium2.PdfDocument:
    """The PDF opened by pdfium (text layer and OCR alike), or ExtractionError with the reason."""
    try:
        return pypdfium2.PdfDocument(_from_header(data))
    except pypdfium2.PdfiumError as error:
        raise ExtractionError(_load_reason(error)) from None


def _from_header(data: bytes) -> bytes:
    """The file from its `%PDF-` header on.

    Readers accept a little junk before the header (a mail gateway's banner, a stray BOM); pdfium
    is handed the file from the header so that its offsets count from there. More than 1 KB of
    junk is not a PDF.
    """
    start = data.find(b"%PDF-", 0, 1024) if data else -1
    if start < 0:
        raise ExtractionError("not a PDF file (no %PDF- header in the first 1024 bytes)")
    return data[start:]


def _load_reason(error: Exception) -> str:
    code = getattr(error, "err_code", None)
    if code == _PASSWORD_ERROR or "password" in str(error).lower():
        return "the PDF is encrypted with a password"
    return f"corrupt or unsupported PDF ({error})"


def _read_page(document, index: int) -> Page:
    page = document[index]
    try:
        view = _PageView(page)
        textpage = page.get_textpage()
        try:
            # Text drawn off the page is never seen by a reader: it must not count either.
            words = [word for word in _page_words(textpage, view) if view.shows(word)]
        finally:
            textpage.close()
        return Page(number=index + 1, width=view.width, height=view.height, words=words)
    finally:
        page.close()


class _PageView:
    """Maps PDF space (origin bottom-left of the media) to the page as shown: top-left, rotated."""

    def __init__(self, page):
        self.left, self.bottom, right, self.top = page.get_cropbox()
        self.rotation = page.get_rotation() % 360
        self.raw_width, self.raw_height = right - self.left, self.top - self.bottom
        turned = self.rotation in (90, 270)
        self.width = self.raw_height if turned else self.raw_width
        self.height = self.raw_width if turned else self.raw_height

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        corners = [self._point(left, top), self._point(right, bottom)]
        xs, ys = [x for x, _ in corners], [y for _, y in corners]
        return min(xs), min(ys), max(xs), max(ys)

    def _point(self, x: float, y: float) -> tuple[float, float]:
        across, down = x - self.left, self.top - y
        if self.rotation == 90:
            return self.raw_height - down, across
        if self.rotation == 180:
            return self.raw_width - across, self.raw_height - down
        if self.rotation == 270:
            return down, self.raw_width - across
        return across, down

    def shows(self, word: Word) -> bool:
        return word.x1 > 0 and word.y1 > 0 and word.x0 < self.width and word.y0 < self.height


def _page_words(textpage, view: _PageView) -> list[Word]:
    """Split the page's characters into words at whitespace and at wide gaps."""
    words: list[Word] = []
    current: list[tuple[str, tuple]] = []
    for char, box in _characters(textpage, view):
        if char.isspace() or char in "\ufffe\ufeff\x00" or box is None:
            _flush(current, words)
            continue
        if current and _starts_new_word(current[-1][1], box):
            _flush(current, words)
        current.append((char, box))
    _flush(current, words)
    return words


def _characters(textpage, view: _PageView):
    """Each character with its loose box as shown on the page (None when pdfium has none).

    Loose boxes span the font's full height, so all words of a line share one band.
    """
    handle = textpage.raw
    rect = pdfium_c.FS_RECTF()
    upright = view.rotation == 0
    for index in range(min(max(textpage.count_chars(), 0), _MAX_CHARS_PER_PAGE)):
        code = pdfium_c.FPDFText_GetUnicode(handle, index)
        char = chr(code) if 0 < code < 0x110000 else " "
        if char.isspace() or not pdfium_c.FPDFText_GetLooseCharBox(handle, index, rect):
            yield char, None
        elif upright:
            # The common case, inlined: this loop runs once per character of every page.
            yield char, (rect.left - view.left, view.top - rect.top, rect.right - view.left, view.top - rect.bottom)
        else:
            yield char, view.box(rect.left, rect.bottom, rect.right, rect.top)


def _starts_new_word(previous: tuple, box: tuple) -> bool:
    height = max(previous[3] - previous[1], box[3] - box[1], 1.0)
    gap = box[0] - previous[2]
    # A jump backwards or to another line also ends the word (column text, line wraps).
    same_line = abs(box[3] - previous[3]) < height * 0.6
    return not same_line or gap > height * _WORD_GAP_RATIO or gap < -height


def _flush(current: list, words: list[Word]) -> None:
    if not current:
        return
    text = "".join(char for char, _ in current)
    x0 = min(box[0] for _, box in current)
    y0 = min(box[1] for _, box in current)
    x1 = max(box[2] for _, box in current)
    y1 = max(box[3] for _, box in current)
    words.append(Word(text=text, x0=x0, y0=y0, x1=x1, y1=y1))
    current.clear()
