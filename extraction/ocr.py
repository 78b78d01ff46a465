"""OCR of scans and photos with tesseract, into the same positioned words as a PDF's text layer.

Words are in points from the page's top-left corner: a pixel is 72/dpi points, the dpi being the
image's own (or 200 when it has none worth trusting) or the one a PDF page was rendered at. Each
page is first cleaned up (extraction/page_cleanup.py: dark margins cropped, uneven light flattened,
skew undone) and turned upright when it lies on its side; pages that still read badly are tried
again upright (tesseract's orientation detection) or enlarged.
"""

import statistics

from extraction.images import MAX_PIXELS, LoadedImage, load_image_pages, upscale
from extraction.model import ExtractionError, Page, TextDocument, Word
from extraction.page_cleanup import clean_page, looks_sideways
from extraction.tesseract import detect_rotation, tesseract_words

# A page whose longer words average less than this confidence is read again (turned, or enlarged).
GOOD_CONFIDENCE = 0.75
# Words shorter than this (pixels) are too small for tesseract: such a page is read enlarged.
READABLE_WORD_HEIGHT = 20
# A page is blank when fewer than BLANK_DARK_SHARE of its pixels are darker than BLANK_DARK_LEVEL
# (at 200 dpi, about 400 pixels: less than three printed characters).
BLANK_DARK_LEVEL = 128
BLANK_DARK_SHARE = 0.0001
# A text layer with fewer letters and digits than this per page is a scan wearing a stamp.
MIN_CHARS_PER_PAGE = 40


def ocr_image(data: bytes, languages: str, max_pages: int = 20) -> TextDocument:
    """A JPEG/PNG/TIFF (every frame of a multi-page TIFF) read by tesseract."""
    pages = load_image_pages(data, max_pages=max_pages)
    return TextDocument(pages=[_ocr_page(page, languages, number)
                               for number, page in enumerate(pages, start=1)], source="ocr")


def ocr_pdf(data: bytes, languages: str, dpi: int = 200, max_pages: int = 20) -> TextDocument:
    """A scanned PDF: each page rendered at dpi (less for huge pages) and read by tesseract."""
    # Imported here: the parent imports this module for needs_ocr() and never renders.
    import pypdfium2

    from extraction.pdf_text import open_pdf

    document = open_pdf(data)
    try:
        pages = []
        for index in range(min(len(document), max_pages)):
            loaded = _render_page(document, index, dpi)
            pages.append(_ocr_page(loaded, languages, index + 1))
        return TextDocument(pages=pages, source="ocr")
    except pypdfium2.PdfiumError as error:
        raise ExtractionError(f"unreadable PDF page: {error}") from None
    finally:
        document.close()


def needs_ocr(doc: TextDocument) -> bool:
    """True for a PDF whose text layer is empty or nearly so (a scan, or glyphs without meaning)."""
    if not doc.pages:
        return True
    letters = sum(_meaningful_chars(word.text) for page in doc.pages for word in page.words)
    return letters < MIN_CHARS_PER_PAGE * len(doc.pages)


def _meaningful_chars(text: str) -> int:
    # Private-use code points are what fonts without a Unicode map often yield: they mean nothing.
    return sum(1 for char in text if char.isalnum() and not 0xE000 <= ord(char) <= 0xF8FF)


def _render_page(document, index: int, dpi: int) -> LoadedImage:
    page = document[index]
    try:
        width, height = page.get_size()
        if width <= 0 or height <= 0:
            raise ExtractionError(f"page {index + 1} has no size")
        # A page of several square metres would render to gigabytes: lower its resolution instead.
        scale = min(dpi / 72, (MAX_PIXELS / (width * height)) ** 0.5)
        image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
        return LoadedImage(image, scale * 72)
    finally:
        page.close()


def _ocr_page(page: LoadedImage, languages: str, number: int) -> Page:
    """The best of: the page cleaned up (cropped, evenly lit, level), upright if it was not, enlarged."""
    if is_blank(page.image):
        return _to_page(page, [], number)
    page = clean_page(page)
    # A page on its side is turned before any reading: read sideways, it would cost a wasted run.
    sideways = looks_sideways(page.image)
    if sideways:
        page = _upright(page)
    best = page, tesseract_words(page.image, page.dpi, languages)
    if not best[1] or _reads_well(best[1]):
        return _to_page(*best, number)
    if not sideways:
        turned = _upright(page)
        if turned is not page:
            best = _better(best, (turned, tesseract_words(turned.image, turned.dpi, languages)))
    factor = _enlargement(best)
    if factor:
        bigger = upscale(best[0], factor)
        best = _better(best, (bigger, tesseract_words(bigger.image, bigger.dpi, languages)))
    return _to_page(*best, number)


def _upright(page: LoadedImage) -> LoadedImage:
    """The page turned as tesseract's orientation detection says, or itself when upright or unsure."""
    rotation = detect_rotation(page.image, page.dpi)
    if not rotation:
        return page
    return clean_page(LoadedImage(page.image.rotate(-rotation, expand=True), page.dpi))


def is_blank(image) -> bool:
    """A page with (nearly) no dark pixel: scanners' empty backs cost no tesseract run."""
    histogram = image.histogram()
    return sum(histogram[:BLANK_DARK_LEVEL]) < BLANK_DARK_SHARE * image.width * image.height


def _reads_well(words: list) -> bool:
    real = [word for word in words if _meaningful_chars(word[0])]
    # Upside-down or sideways text still yields many short "words" read with fair confidence;
    # longer words tell: about 0.9 on upright pages, even blurred or grey, and 0.5 or less turned.
    long = [word for word in real if _meaningful_chars(word[0]) >= 4] or real
    return bool(long) and statistics.fmean(word[5] for word in long) >= GOOD_CONFIDENCE


def _score(words: list) -> float:
    return sum(word[5] for word in words if _meaningful_chars(word[0]))


def _better(first, second):
    return second if _score(second[1]) > _score(first[1]) else first


def _enlargement(candidate) -> float | None:
    """How much to enlarge a page whose words are too small to read well, or None."""
    loaded, words = candidate
    heights = [word[4] for word in words if _meaningful_chars(word[0])]
    if not heights:
        return None
    median = statistics.median(heights)
    width, height = loaded.image.size
    factor = min(READABLE_WORD_HEIGHT * 1.5 / max(median, 1), 3.0, (MAX_PIXELS / (width * height)) ** 0.5)
    return factor if median < READABLE_WORD_HEIGHT and factor > 1.3 else None


def _to_page(loaded: LoadedImage, words: list, number: int) -> Page:
    """Pixels become points so that position rules read OCR and PDF text alike."""
    ratio = 72 / loaded.dpi
    width, height = loaded.image.size
    return Page(
        number=number, width=width * ratio, height=height * ratio,
        words=[Word(text=text, x0=left * ratio, y0=top * ratio, x1=(left + w) * ratio,
                    y1=(top + h) * ratio, confidence=conf)
               for text, left, top, w, h, conf in words],
    )
