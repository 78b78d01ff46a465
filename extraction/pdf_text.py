"""Read a PDF's text layer with pypdfium2 into positioned words (points from the page's top-left)."""

import pypdfium2
import pypdfium2.raw as pdfium_c

from extraction.model import ExtractionError, Page, TextDocument, Word

# A gap wider than this share of the glyph height splits two words even without a space:
# generators that place each word on its own never write the space character.
_WORD_GAP_RATIO = 0.35
_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD


def read_pdf_text(data: bytes, max_pages: int = 50) -> TextDocument:
    """Positioned words of the first max_pages pages. Not thread-safe: pdfium is one per process."""
    if not data or not data.lstrip()[:5].startswith(b"%PDF"):
        raise ExtractionError("not a PDF file (no %PDF header)")
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise ExtractionError(_load_reason(error)) from None
    try:
        pages = []
        for index in range(min(len(document), max_pages)):
            pages.append(_read_page(document, index))
        return TextDocument(pages=pages, source="text")
    except pypdfium2.PdfiumError as error:
        raise ExtractionError(f"unreadable PDF page: {error}") from None
    finally:
        document.close()


def _load_reason(error: Exception) -> str:
    code = getattr(error, "err_code", None)
    if code == _PASSWORD_ERROR or "password" in str(error).lower():
        return "the PDF is encrypted with a password"
    return f"corrupt or unsupported PDF ({error})"


def _read_page(document, index: int) -> Page:
    page = document[index]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            words = _page_words(textpage, height)
        finally:
            textpage.close()
        return Page(number=index + 1, width=width, height=height, words=words)
    finally:
        page.close()


def _page_words(textpage, page_height: float) -> list[Word]:
    """Split the page's characters into words at whitespace and at wide gaps."""
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    boxes = _char_boxes(textpage, count)
    words: list[Word] = []
    current: list[tuple[str, tuple]] = []
    for char, box in zip(text, boxes):
        if char.isspace() or char == "\ufffe" or box is None:
            _flush(current, words, page_height)
            continue
        if current and _starts_new_word(current[-1][1], box):
            _flush(current, words, page_height)
        current.append((char, box))
    _flush(current, words, page_height)
    return words


def _char_boxes(textpage, count: int) -> list[tuple | None]:
    """Each character's loose (left, bottom, right, top) in PDF space, None when pdfium has none.

    Loose boxes span the font's full height, so all words of a line share one baseline band.
    """
    handle = textpage.raw
    rect = pdfium_c.FS_RECTF()
    boxes: list[tuple | None] = []
    for index in range(count):
        if not pdfium_c.FPDFText_GetLooseCharBox(handle, index, rect):
            boxes.append(None)
            continue
        boxes.append((rect.left, rect.bottom, rect.right, rect.top))
    return boxes


def _starts_new_word(previous: tuple, box: tuple) -> bool:
    height = max(previous[3] - previous[1], box[3] - box[1], 1.0)
    gap = box[0] - previous[2]
    # A jump backwards or to another baseline also ends the word (column text, line wraps).
    same_line = abs(box[1] - previous[1]) < height * 0.6
    return not same_line or gap > height * _WORD_GAP_RATIO or gap < -height


def _flush(current: list, words: list[Word], page_height: float) -> None:
    if not current:
        return
    text = "".join(char for char, _ in current)
    x0 = min(box[0] for _, box in current)
    x1 = max(box[2] for _, box in current)
    bottom = min(box[1] for _, box in current)
    top = max(box[3] for _, box in current)
    words.append(Word(text=text, x0=x0, y0=page_height - top, x1=x1, y1=page_height - bottom))
    current.clear()
