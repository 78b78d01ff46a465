"""OCR of scans and photos: words in points like a PDF's text layer, upright, enlarged, bounded."""

import io

import pypdfium2
import pytest
from PIL import Image

from extraction.images import LoadedImage
from extraction.model import ExtractionError, Page, TextDocument, Word
from extraction.ocr import needs_ocr, ocr_image, ocr_pdf
from extraction.page_cleanup import clean_page, crop_dark_border, flatten_lighting, looks_sideways, skew_angle
from tests.extraction.hostile_pdfs import png

CORPUS = __import__("pathlib").Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "invoices"
FRENCH_PDF = CORPUS / "facturx" / "validator_src_test_resources_Facture_F20180027.pdf"
LANGUAGES = "fra+eng"
DPI = 200


@pytest.fixture(scope="module")
def scan() -> Image.Image:
    """The top third of a real French bill's first page, as a 200 dpi grayscale scan."""
    document = pypdfium2.PdfDocument(FRENCH_PDF.read_bytes())
    image = document[0].render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
    return image.crop((0, 0, image.width, image.height // 3))


@pytest.fixture(scope="module")
def pdf_words() -> dict[str, list[tuple[float, float]]]:
    """Each word of the PDF's own text layer on page 1 → its top-left corners in points from the top."""
    page = pypdfium2.PdfDocument(FRENCH_PDF.read_bytes())[0]
    height = page.get_height()
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    words, start = {}, None
    for index, char in enumerate(text + " "):
        if not char.isspace() and start is None:
            start = index
        elif char.isspace() and start is not None:
            left, _, _, top = textpage.get_charbox(start)
            words.setdefault(text[start:index], []).append((left, height - top))
            start = None
    return words


def encoded(image: Image.Image, format_name: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format_name, **options)
    return buffer.getvalue()


def texts(document: TextDocument) -> set[str]:
    return {word.text for page in document.pages for word in page.words}


def test_scan_words_are_in_points_where_the_pdf_text_layer_has_them(scan, pdf_words):
    document = ocr_image(encoded(scan, dpi=(DPI, DPI)), LANGUAGES)
    assert document.source == "ocr"
    page = document.pages[0]
    assert page.width == pytest.approx(scan.width * 72 / DPI)
    matched = [word for word in page.words if len(word.text) >= 5 and word.text in pdf_words]
    assert len(matched) >= 5
    for word in matched:
        assert any(abs(word.x0 - left) < 4 and abs(word.y0 - top) < 6 for left, top in pdf_words[word.text]), word
        assert 0.5 <= word.confidence <= 1.0


def test_phone_photo_is_turned_by_its_exif_orientation(scan):
    # The sensor's pixels lie on their side; EXIF orientation 6 tells viewers to turn them back.
    sideways = scan.rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6
    document = ocr_image(encoded(sideways.convert("RGB"), "JPEG", exif=exif, quality=90), LANGUAGES)
    assert "FACTURE" in {text.upper() for text in texts(document)}
    assert document.pages[0].width > document.pages[0].height


def test_upside_down_scan_is_read_upright(scan):
    document = ocr_image(encoded(scan.rotate(180), dpi=(DPI, DPI)), LANGUAGES)
    assert "FACTURE" in {text.upper() for text in texts(document)}


def test_low_resolution_image_is_enlarged_before_reading(scan):
    small = scan.resize((scan.width // 3, scan.height // 3), Image.Resampling.LANCZOS)
    document = ocr_image(encoded(small), LANGUAGES)
    assert "FACTURE" in {text.upper() for text in texts(document)}
    # Without a resolution in the file, 200 dpi is assumed for the pixels given.
    assert document.pages[0].width == pytest.approx(small.width * 72 / 200)


def test_image_only_pdf_is_read_by_ocr_at_page_size(scan):
    pdf = encoded(scan.convert("RGB"), "PDF", resolution=float(DPI))
    document = ocr_pdf(pdf, LANGUAGES, dpi=DPI)
    page = document.pages[0]
    assert page.width == pytest.approx(scan.width * 72 / DPI, abs=1)
    assert "FACTURE" in {text.upper() for text in texts(document)}


def test_blank_page_has_no_words():
    document = ocr_image(encoded(Image.new("L", (1654, 2339), 255), dpi=(DPI, DPI)), LANGUAGES)
    assert document.pages[0].words == []


def test_image_beyond_pixel_budget_is_refused_before_decoding():
    with pytest.raises(ExtractionError, match="too large"):
        ocr_image(png(50_000, 50_000, b"not even compressed data"), LANGUAGES)


def test_encrypted_or_broken_pdf_gets_a_reason():
    with pytest.raises(ExtractionError, match="not a PDF"):
        ocr_pdf(b"GIF89a", LANGUAGES)
    with pytest.raises(ExtractionError, match="corrupt"):
        ocr_pdf(b"%PDF-1.7\n garbage", LANGUAGES)


def test_languages_are_checked_before_running_tesseract(scan):
    with pytest.raises(ExtractionError, match="invalid OCR languages"):
        ocr_image(encoded(scan), "fra --user-words /etc/passwd")


def test_needs_ocr_for_an_empty_or_nearly_empty_text_layer():
    def document(*texts_per_page: str) -> TextDocument:
        return TextDocument(pages=[Page(number, 595, 842, [Word(text, 0, 0, 1, 1) for text in text.split()])
                                   for number, text in enumerate(texts_per_page, start=1)])

    assert needs_ocr(TextDocument(pages=[]))
    assert needs_ocr(document(""))
    assert needs_ocr(document("Scanné par Canon", ""))
    assert needs_ocr(document("\ue000\ue001\ue002 " * 30))
    assert not needs_ocr(document("Facture n° FA-2024-001 du 12/03/2024 Total TTC 1 234,56 € TVA 20 %"))


def gradient_lit(image: Image.Image, darkest: int) -> Image.Image:
    """The scan as a phone sees it under a lamp: grey on one side, nearly white on the other."""
    from PIL import ImageChops

    shade = Image.linear_gradient("L").rotate(90).resize(image.size)
    shade = shade.point(lambda value: darkest + (235 - darkest) * value // 255)
    return ImageChops.multiply(image, shade)


def on_dark_table(image: Image.Image, margin: int = 80) -> Image.Image:
    table = Image.new("L", (image.width + 2 * margin, image.height + 2 * margin), 45)
    table.paste(image, (margin, margin))
    return table


def test_skew_angle_is_found_and_a_level_page_is_left_alone(scan):
    assert skew_angle(scan) == 0.0
    tilted = scan.rotate(3, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    assert skew_angle(tilted) == pytest.approx(-3, abs=0.3)
    assert clean_page(LoadedImage(scan, DPI)).image is scan


def test_skewed_photo_is_levelled_so_a_line_keeps_its_words_on_one_row(scan, pdf_words):
    tilted = scan.rotate(-2.5, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    page = ocr_image(encoded(tilted, dpi=(DPI, DPI)), LANGUAGES).pages[0]
    # Words the PDF prints on one line, far apart, must come back at the same height.
    found = [(word.x0, word.y0, pdf_words[word.text][0][1]) for word in page.words
             if len(word.text) >= 4 and len(pdf_words.get(word.text, [])) == 1]
    pairs = [(a, b) for a in found for b in found if a[2] == b[2] and b[0] - a[0] > 200]
    assert pairs
    assert all(abs(a[1] - b[1]) < 4 for a, b in pairs)


def test_unevenly_lit_grey_photo_is_flattened_to_white_paper(scan):
    lit = gradient_lit(scan, darkest=90)
    flat = flatten_lighting(lit)
    assert flat is not lit
    # The paper's darkest corner comes back near white, and the text stays dark.
    assert _percentile_of(flat.crop((0, 0, 200, flat.height)), 0.5) > 220
    assert flatten_lighting(scan) is scan
    document = ocr_image(encoded(lit.convert("RGB"), "JPEG", quality=60, dpi=(DPI, DPI)), LANGUAGES)
    assert "FACTURE" in {text.upper() for text in texts(document)}


def test_dark_table_around_a_photographed_page_is_cropped(scan):
    photo = on_dark_table(scan)
    cropped = crop_dark_border(LoadedImage(photo, DPI)).image
    assert abs(cropped.width - scan.width) <= 10 and abs(cropped.height - scan.height) <= 10
    assert crop_dark_border(LoadedImage(scan, DPI)).image is scan
    page = ocr_image(encoded(photo, dpi=(DPI, DPI)), LANGUAGES).pages[0]
    assert page.width == pytest.approx(scan.width * 72 / DPI, abs=4)


def test_sideways_scan_without_exif_is_turned_before_reading(scan):
    sideways = scan.rotate(90, expand=True)
    assert looks_sideways(sideways) and not looks_sideways(scan)
    document = ocr_image(encoded(sideways, dpi=(DPI, DPI)), LANGUAGES)
    assert "FACTURE" in {text.upper() for text in texts(document)}
    assert document.pages[0].width > document.pages[0].height


def _percentile_of(image: Image.Image, share: float) -> int:
    histogram, seen = image.histogram(), 0
    for value, count in enumerate(histogram):
        seen += count
        if seen >= share * image.width * image.height:
            return value
    return 255
