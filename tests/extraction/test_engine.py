"""The engine end to end: the right path for each file, pairing, bad input, through the real pool."""

import io
from decimal import Decimal
from pathlib import Path

import pypdfium2
import pytest

from extraction.engine import Extractor, Options, extract_files
from extraction.pool import ExtractionPool
from tests.extraction.corpus import CORPUS, expected_of
from tests.extraction.mindee_standin import MindeeStandin
from tests.helpers import make_config

AKRETION = CORPUS / "facturx" / "akretion_invoice_EN16931.pdf"


@pytest.fixture(scope="module")
def extractor(tmp_path_factory):
    config = make_config(tmp_path_factory.mktemp("engine"))
    pool = ExtractionPool(config.extraction)
    yield Extractor(config.extraction, pool)
    pool.close()


def test_facturx_pdf_is_read_from_its_embedded_xml_with_full_confidence(extractor):
    bill = extractor.extract(AKRETION.read_bytes(), AKRETION.name)
    expected = expected_of(AKRETION)
    assert (bill.source, bill.kind) == ("facturx", "invoice")
    assert bill.number == expected["number"]
    assert bill.total_incl_tax == Decimal(expected["total_incl_tax"])
    assert set(bill.confidence.values()) == {1.0}
    # The sample's identifiers are dummies (a BIC "BIC_MONCOMPTE"), but its amounts add up.
    assert bill.problems and not [problem for problem in bill.problems if problem.field.startswith("total")]


def test_without_embedded_xml_the_same_pdf_is_read_from_its_text(extractor):
    bill = extractor.extract(AKRETION.read_bytes(), AKRETION.name, Options(use_embedded_xml=False))
    expected = expected_of(AKRETION)
    assert bill.source == "text"
    assert bill.number == expected["number"]
    assert bill.total_incl_tax == Decimal(expected["total_incl_tax"])


def test_standalone_ubl_credit_note_is_a_credit_note(extractor):
    path = CORPUS / "xml" / "validator_src_test_resources_ubl-tc434-creditnote1.xml"
    bill = extractor.extract(path.read_bytes(), path.name)
    assert (bill.source, bill.kind, bill.type_code) == ("ubl", "credit_note", "381")
    assert bill.number == expected_of(path)["number"]


def test_a_pdf_without_text_layer_is_read_by_ocr(extractor):
    page = pypdfium2.PdfDocument(AKRETION.read_bytes())[0]
    image = page.render(scale=200 / 72).to_pil().convert("L")
    scanned = io.BytesIO()
    image.save(scanned, format="PDF", resolution=200)
    bill = extractor.extract(scanned.getvalue(), "scan.pdf")
    assert bill.source == "ocr"
    assert bill.kind == "invoice"
    assert bill.number == expected_of(AKRETION)["number"]
    assert any("OCR" in warning for warning in bill.warnings)


@pytest.mark.parametrize("data, reason", [
    (b"", "unsupported file type (empty)"),
    (b"PK\x03\x04 a zip file", "unsupported file type (unknown)"),
    (b"%PDF-1.7\n" + b"\x00garbage" * 100, ""),
    (b"<Invoice><broken>", ""),
])
def test_bad_files_end_as_unreadable_with_a_reason(extractor, data, reason):
    bill = extractor.extract(data, "bad.bin")
    assert bill.kind == "other"
    assert bill.warnings[0].startswith("unreadable: ")
    assert reason in bill.warnings[0]


def test_every_hostile_corpus_file_ends_with_a_result_or_a_reason(extractor):
    for path in sorted((CORPUS / "hostile").glob("*.pdf")):
        bill = extractor.extract(path.read_bytes(), path.name)
        assert bill.is_bill or bill.warnings, path.name


def test_a_pdf_and_its_own_xml_are_one_bill_and_two_invoices_two(extractor):
    from facturx import get_facturx_xml_from_pdf

    xml_name, xml = get_facturx_xml_from_pdf(AKRETION.read_bytes(), check_xsd=False)
    other = CORPUS / "facturx" / "library_src_test_resources_EN16931_Einfach.pdf"
    files = [("facture.pdf", AKRETION.read_bytes()), (xml_name, xml), ("autre.pdf", other.read_bytes())]
    bills = extract_files(extractor, files, Options())
    assert [bill.duplicate_of for bill in bills].count(None) == 2
    repeated = [bill for bill in bills if bill.duplicate_of]
    assert len(repeated) == 1 and repeated[0].duplicate_of in {"facture.pdf", xml_name}



def test_every_corpus_invoice_is_read_without_a_crash(extractor):
    """Structured files exactly; PDFs both from their XML and visually; every one gives a bill."""
    for path in sorted(CORPUS.glob("*/*")):
        if path.suffix not in (".pdf", ".xml") or path.parent.name == "hostile":
            continue
        for options in (Options(), Options(use_embedded_xml=False)):
            bill = extractor.extract(path.read_bytes(), path.name, options)
            assert bill.is_bill, (path.name, bill.warnings)
            assert bill.total_incl_tax is not None or bill.amount_due is not None, path.name


def mindee_extractor(pool, base_url: str, **settings) -> Extractor:
    config = make_config(Path("/nonexistent"), extraction={"mindee_api_key": "md-test-key", "mindee_base_url": base_url,
                                                            "mindee_timeout_seconds": 5, **settings})
    return Extractor(config.extraction, pool)


def test_mindee_is_asked_only_when_local_confidence_stays_low(extractor):
    pdf = AKRETION.read_bytes()
    with MindeeStandin() as mindee:
        sure = mindee_extractor(extractor.pool, mindee.base_url, mindee_below_confidence=0.0)
        assert sure.extract(pdf, "a.pdf", Options(use_embedded_xml=False)).source == "text"
        assert mindee.received == []
        doubtful = mindee_extractor(extractor.pool, mindee.base_url, mindee_below_confidence=1.0)
        bill = doubtful.extract(pdf, "a.pdf", Options(use_embedded_xml=False))
        assert bill.source == "mindee" and len(mindee.received) == 1
        # Structured data is exact: Mindee is never asked about it.
        assert doubtful.extract(pdf, "a.pdf").source == "facturx" and len(mindee.received) == 1


def test_a_mindee_failure_leaves_the_local_reading_with_the_reason(extractor):
    with MindeeStandin() as mindee:
        mindee.fail_next(500)
        forced = mindee_extractor(extractor.pool, mindee.base_url)
        bill = forced.extract(AKRETION.read_bytes(), "a.pdf", Options(use_embedded_xml=False, engine="mindee"))
        assert bill.source == "text"
        assert any(warning.startswith("Mindee not used") for warning in bill.warnings)
