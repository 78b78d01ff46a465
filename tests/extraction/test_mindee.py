"""Mindee's invoice API through the official SDK, against a local stand-in that answers as Mindee documents."""

import threading
import time
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from extraction.mindee import read_with_mindee, upload_name
from extraction.model import ExtractionError, TaxLine
from tests.extraction.mindee_payloads import french_invoice_prediction
from tests.extraction.mindee_standin import MindeeStandin

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "invoices"
PDF = (CORPUS / "pdf-text" / "NetpresseInvoice.pdf").read_bytes()
KEY = "md-test-key"


@pytest.fixture
def mindee():
    with MindeeStandin(api_key=KEY) as server:
        yield server


def test_success_maps_every_field(mindee):
    bill = read_with_mindee(PDF, "facture-lenoir.pdf", KEY, mindee.base_url, timeout=10)
    assert (bill.source, bill.kind, bill.filename, bill.pages) == ("mindee", "invoice", "facture-lenoir.pdf", 1)
    assert (bill.number, bill.issue_date, bill.due_date) == ("FA-2025-0117", date(2025, 3, 14), date(2025, 4, 13))
    assert (bill.total_excl_tax, bill.total_tax, bill.total_incl_tax) == (D("1250.00"), D("225.00"), D("1475.00"))
    assert bill.currency == "EUR"
    assert bill.tax_lines == [TaxLine(D("20"), D("1000"), D("200")), TaxLine(D("10"), D("250"), D("25"))]
    supplier = bill.supplier
    assert (supplier.name, supplier.siren, supplier.siret, supplier.vat_number) == (
        "Imprimerie Lenoir", "732829320", "73282932000074", "FR44732829320")
    assert (supplier.iban, supplier.bic) == ("FR7630006000011234567890189", "AGRIFRPP")
    assert supplier.address == "12 rue de la République, 69002 Lyon"
    assert (bill.buyer.name, bill.buyer.vat_number) == ("Boulangerie Martin", "FR11123456782")
    assert bill.confidence == {
        "number": 0.99, "issue_date": 0.99, "due_date": 0.97, "currency": 0.99, "total_excl_tax": 0.98,
        "total_tax": 0.97, "total_incl_tax": 0.99, "tax_lines": 0.9, "supplier.name": 0.96,
        "supplier.siren": 0.97, "supplier.siret": 0.96, "supplier.vat_number": 0.98, "supplier.iban": 0.93,
        "buyer.name": 0.95, "buyer.vat_number": 0.91,
    }
    assert all(isinstance(value, D) for value in (bill.total_excl_tax, bill.tax_lines[0].amount))


def test_the_key_is_sent_as_token_and_the_file_bytes_arrive(mindee):
    read_with_mindee(PDF, "facture.pdf", KEY, mindee.base_url, timeout=10)
    [request] = mindee.received
    assert request.path == "/v1/products/mindee/invoices/v4/predict"
    assert request.headers["Authorization"] == f"Token {KEY}"
    assert (request.filename, request.document) == ("facture.pdf", PDF)


def test_credit_note_document_type_gives_a_credit_note():
    prediction = french_invoice_prediction()
    prediction["document_type"] = {"value": "CREDIT NOTE"}
    prediction["document_type_extended"] = {"confidence": 0.97, "value": "CREDIT NOTE"}
    with MindeeStandin(api_key=KEY, prediction=prediction) as server:
        assert read_with_mindee(PDF, "avoir.pdf", KEY, server.base_url, timeout=10).kind == "credit_note"


def test_empty_fields_stay_unknown_without_confidence():
    prediction = french_invoice_prediction()
    for name in ("invoice_number", "due_date", "total_tax"):
        prediction[name] = {"confidence": 0, "page_id": None, "polygon": [], "value": None}
    prediction["taxes"] = []
    prediction["supplier_company_registrations"] = [{"confidence": 0.9, "polygon": [], "type": "SIRET",
                                                     "value": "73282932000074"}]
    with MindeeStandin(api_key=KEY, prediction=prediction) as server:
        bill = read_with_mindee(PDF, "facture.pdf", KEY, server.base_url, timeout=10)
    assert (bill.number, bill.due_date, bill.total_tax, bill.tax_lines) == (None, None, None, [])
    assert not {"number", "due_date", "total_tax", "tax_lines"} & set(bill.confidence)
    # A SIRET alone also gives the SIREN it starts with.
    assert (bill.supplier.siret, bill.supplier.siren) == ("73282932000074", "732829320")


def test_wrong_key_is_refused_with_mindee_reason(mindee):
    with pytest.raises(ExtractionError, match=r"refused the API key \(HTTP 401\).*Authorization required"):
        read_with_mindee(PDF, "facture.pdf", "md-wrong-key", mindee.base_url, timeout=10)


def test_forbidden_request_names_the_key_and_mindee_reason(mindee):
    mindee.fail_next(403)
    with pytest.raises(ExtractionError, match=r"for the API key \(HTTP 403\).*synchronous mode"):
        read_with_mindee(PDF, "facture.pdf", KEY, mindee.base_url, timeout=10)


def test_rate_limited_twice_says_rate_limited(mindee):
    mindee.fail_next(429, retry_after="0.2", times=2)
    with pytest.raises(ExtractionError, match="rate limited"):
        read_with_mindee(PDF, "facture.pdf", KEY, mindee.base_url, timeout=10)
    assert len(mindee.received) == 2


def test_rate_limited_once_is_retried_after_retry_after(mindee):
    mindee.fail_next(429, retry_after="0.3")
    started = time.monotonic()
    bill = read_with_mindee(PDF, "facture.pdf", KEY, mindee.base_url, timeout=10)
    assert bill.number == "FA-2025-0117"
    assert time.monotonic() - started >= 0.3
    assert len(mindee.received) == 2


def test_long_retry_after_is_not_waited_for(mindee):
    mindee.fail_next(429, retry_after="120")
    with pytest.raises(ExtractionError, match="rate limited"):
        read_with_mindee(PDF, "facture.pdf", KEY, mindee.base_url, timeout=10)
    assert len(mindee.received) == 1


def test_server_error_gives_its_reason(mindee):
    mindee.fail_next(500)
    with pytest.raises(ExtractionError, match=r"server error \(HTTP 500\).*Inference failed"):
        read_with_mindee(PDF, "facture.pdf", KEY, mindee.base_url, timeout=10)


def test_html_error_page_from_a_gateway_gives_a_clear_reason(mindee):
    mindee.fail_next(502)
    with pytest.raises(ExtractionError, match=r"server error \(HTTP 502\).*502 Bad Gateway"):
        read_with_mindee(PDF, "facture.pdf", KEY, mindee.base_url, timeout=10)


def test_slow_server_times_out(mindee):
    mindee.delay_seconds = 3
    started = time.monotonic()
    with pytest.raises(ExtractionError, match="did not answer within 1 s"):
        read_with_mindee(PDF, "facture.pdf", KEY, mindee.base_url, timeout=1)
    assert time.monotonic() - started < 2.5


def test_unreachable_server_is_named():
    with MindeeStandin() as server:
        base_url = server.base_url
    with pytest.raises(ExtractionError, match="Mindee unreachable at http://127.0.0.1"):
        read_with_mindee(PDF, "facture.pdf", KEY, base_url, timeout=2)


def test_missing_key_and_empty_file_are_refused_before_any_call(mindee):
    with pytest.raises(ExtractionError, match="API key"):
        read_with_mindee(PDF, "facture.pdf", "", mindee.base_url)
    with pytest.raises(ExtractionError, match="empty file"):
        read_with_mindee(b"", "facture.pdf", KEY, mindee.base_url)
    assert mindee.received == []


def test_file_type_mindee_does_not_read_is_refused(mindee):
    with pytest.raises(ExtractionError, match="Mindee cannot read this file"):
        read_with_mindee(b"<Invoice/>", "facture.xml", KEY, mindee.base_url)


@pytest.mark.parametrize("data, filename, expected", [
    (b"%PDF-1.7", "facture", "facture.pdf"), (b"\x89PNG\r\n", "scan", "scan.png"),
    (b"\xff\xd8\xff\xe0", "photo", "photo.jpg"), (b"%PDF", "Facture.PDF", "Facture.PDF"),
])
def test_upload_name_gets_an_extension_from_the_content(data, filename, expected):
    assert upload_name(data, filename) == expected


def test_two_threads_with_different_servers_do_not_mix(mindee):
    with MindeeStandin(api_key="md-other-key") as other:
        results = {}

        def read(name, key, url):
            results[name] = read_with_mindee(PDF, f"{name}.pdf", key, url, timeout=10).filename

        threads = [threading.Thread(target=read, args=("a", KEY, mindee.base_url)),
                   threading.Thread(target=read, args=("b", "md-other-key", other.base_url))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == {"a": "a.pdf", "b": "b.pdf"}
        assert [r.filename for r in other.received] == ["b.pdf"]


def test_base_url_given_per_call_wins_over_the_environment(mindee, monkeypatch):
    monkeypatch.setenv("MINDEE_BASE_URL", "http://127.0.0.1:9")
    assert read_with_mindee(PDF, "facture.pdf", KEY, mindee.base_url, timeout=10).number == "FA-2025-0117"


def test_empty_base_url_follows_the_sdk_environment_variable(mindee, monkeypatch):
    monkeypatch.setenv("MINDEE_BASE_URL", mindee.base_url)
    assert read_with_mindee(PDF, "facture.pdf", KEY, "", timeout=10).number == "FA-2025-0117"


def test_answer_without_the_invoice_fields_is_refused_with_a_reason():
    with MindeeStandin(api_key=KEY, prediction={"invoice_number": {"value": "1"}}) as server:
        with pytest.raises(ExtractionError, match="not an invoice v4 prediction"):
            read_with_mindee(PDF, "facture.pdf", KEY, server.base_url, timeout=10)
