"""The PDF text layer as positioned words, and clear reasons for PDFs that cannot be read."""

from pathlib import Path

import pytest

from extraction.model import ExtractionError
from extraction.pdf_text import read_pdf_text
from extraction.text_lines import group_lines
from tests.extraction.hostile_pdfs import build_pdf

INVOICES = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "invoices"
NETPRESSE = INVOICES / "pdf-text" / "NetpresseInvoice.pdf"


def test_words_are_in_points_from_the_top_left_corner():
    document = read_pdf_text(NETPRESSE.read_bytes())
    page = document.pages[0]
    assert document.source == "text" and page.number == 1
    assert 590 < page.width < 600 and 835 < page.height < 850
    for word in page.words:
        assert word.x0 < word.x1 and word.y0 < word.y1
        assert word.x1 > 0 and word.y1 > 0 and word.x0 < page.width and word.y0 < page.height
    first = {}
    for word in page.words:
        first.setdefault(word.text, word)
    # The invoice number heads the page and the totals come below it.
    assert first["2022089083"].y0 < first["HT"].y0 < first["TTC"].y0


def test_lines_read_left_to_right_with_column_gaps_marked():
    lines = group_lines(read_pdf_text(NETPRESSE.read_bytes()))
    texts = [line.text for line in lines]
    assert "Facture n° 2022089083" in texts
    total = next(text for text in texts if text.startswith("Total HT"))
    assert total.replace("  ", " ") == "Total HT : 46,68 €"


def test_max_pages_limits_the_pages_read():
    path = INVOICES / "facturx" / "library_src_test_resources_EN16931_1_Teilrechnung.pdf"
    assert len(read_pdf_text(path.read_bytes(), max_pages=1).pages) == 1
    assert len(read_pdf_text(path.read_bytes()).pages) == 3


@pytest.mark.parametrize("path", sorted((INVOICES / "hostile").glob("*.pdf")), ids=lambda path: path.name)
def test_hostile_pdfs_give_words_or_a_reason(path):
    try:
        document = read_pdf_text(path.read_bytes())
    except ExtractionError as error:
        assert str(error)
    else:
        assert all(page.width > 0 for page in document.pages)


@pytest.mark.parametrize("data", [b"", b"hello", b"<html></html>" * 200 + b"%PDF-1.4"])
def test_something_else_than_a_pdf_is_refused_with_a_reason(data):
    with pytest.raises(ExtractionError, match="not a PDF"):
        read_pdf_text(data)


@pytest.mark.parametrize("junk", [b"\xef\xbb\xbf", b"X-Mailer: scanner\r\n\r\n", b"\x00" * 1000])
def test_junk_before_the_header_within_the_first_kilobyte_is_skipped(junk):
    clean = read_pdf_text(NETPRESSE.read_bytes())
    shifted = read_pdf_text(junk + NETPRESSE.read_bytes())
    assert [word.text for word in shifted.pages[0].words] == [word.text for word in clean.pages[0].words]


def test_header_after_the_first_kilobyte_is_refused():
    with pytest.raises(ExtractionError, match="not a PDF"):
        read_pdf_text(b" " * 1024 + NETPRESSE.read_bytes())


def test_truncated_pdf_is_refused_with_a_reason():
    with pytest.raises(ExtractionError, match="corrupt"):
        read_pdf_text(NETPRESSE.read_bytes()[:2000])


def _encrypted_pdf() -> bytes:
    """A one-page PDF whose standard security handler wants a password nobody has."""
    file_id = b"<00112233445566778899aabbccddeeff>"
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"41" * 32 + b"> /U <" + b"42" * 32 + b"> /P -4 >>",
    ], trailer_extra=b"/Encrypt 4 0 R /ID [%s %s] " % (file_id, file_id), version=b"1.4")


def test_password_protected_pdf_is_refused_with_a_reason():
    with pytest.raises(ExtractionError, match="encrypted"):
        read_pdf_text(_encrypted_pdf())


def test_rotated_page_is_measured_as_shown(tmp_path):
    import pypdfium2

    pdf = pypdfium2.PdfDocument(NETPRESSE.read_bytes())
    pdf[0].set_rotation(90)
    path = tmp_path / "rotated.pdf"
    pdf.save(path)
    pdf.close()
    page = read_pdf_text(path.read_bytes()).pages[0]
    assert page.width > page.height
    assert page.words and all(0 <= word.x0 < word.x1 <= page.width + 1 for word in page.words)
