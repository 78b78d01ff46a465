"""Reading bills from positioned text: French bills printed here, the corpus, and OCR-like noise."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from extraction.model import Page, Party, TextDocument, Word
from extraction.pdf_text import read_pdf_text
from extraction.text_rules import read_bill
from tests.extraction import french_bills

INVOICES = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "invoices"
FRENCH_BILLS = ("SINGLE_RATE", "SEVERAL_RATES", "TWO_PAGES", "CREDIT_NOTE", "NO_VAT", "DISCOUNT",
                "SPACED_NUMBER", "BESIDE_TITLE", "WRAPPED")
CORPUS_PDFS = sorted((INVOICES / "facturx").glob("*.pdf")) + sorted((INVOICES / "pdf-text").glob("*.pdf"))


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    """The French test bills, printed once, read as bills."""
    folder = tmp_path_factory.mktemp("french_bills")
    bills = {}
    for name in FRENCH_BILLS:
        path = french_bills.render(getattr(french_bills, name), folder, name.lower())
        bills[name] = read_bill(read_pdf_text(path.read_bytes()), path.name)
    return bills


def _assert_values(bill, expected: dict) -> None:
    data = bill.to_json()
    for key, want in expected.items():
        if key == "tax_lines":
            got = [(line["rate"], line["base"], line["amount"]) for line in data["tax_lines"]]
            assert [tuple(Decimal(v) for v in row) for row in got] == [tuple(Decimal(v) for v in row) for row in want]
        elif key == "supplier":
            for field, value in want.items():
                assert data["supplier"][field] == value, field
        elif key.startswith("total") or key == "amount_due":
            assert Decimal(data[key]) == Decimal(want), key
        else:
            assert data[key] == want, key


@pytest.mark.parametrize("name", FRENCH_BILLS)
def test_french_bill_fields_are_read_exactly(french, name):
    _assert_values(french[name], getattr(french_bills, f"{name}_EXPECTED"))


def test_supplier_is_the_issuer_not_the_billed_client(french):
    bill = french["SINGLE_RATE"]
    for field, value in french_bills.SUPPLIER.items():
        assert getattr(bill.supplier, field) == value, field
    assert bill.buyer.name == french_bills.BUYER["name"]
    assert bill.buyer.vat_number == french_bills.BUYER["vat_number"]
    assert bill.buyer.siren == french_bills.BUYER["siren"]


def test_several_vat_rates_become_tax_lines_that_add_up(french):
    bill = french["SEVERAL_RATES"]
    assert sum(line.amount for line in bill.tax_lines) == bill.total_tax
    assert sum(line.base for line in bill.tax_lines) == bill.total_excl_tax
    assert bill.confidence["tax_lines"] >= 0.9


def test_totals_printed_under_their_labels_are_read_by_column(french):
    bill = french["SEVERAL_RATES"]
    assert (bill.total_excl_tax, bill.total_tax, bill.total_incl_tax) == (
        Decimal("2050.00"), Decimal("346.00"), Decimal("2396.00"))


def test_amount_due_after_an_advance_is_confirmed_by_the_total(french):
    bill = french["SEVERAL_RATES"]
    assert bill.amount_due == Decimal("2000.00") and bill.confidence["amount_due"] >= 0.9


def test_totals_on_the_second_page_are_found(french):
    bill = french["TWO_PAGES"]
    assert bill.pages == 2 and bill.total_incl_tax == Decimal("2640.00")
    assert bill.confidence["total_incl_tax"] >= 0.9


def test_vat_exemption_mention_makes_the_vat_zero(french):
    bill = french["NO_VAT"]
    assert bill.total_tax == 0 and bill.total_excl_tax == bill.total_incl_tax == Decimal("850.00")


def test_net_total_after_a_discount_is_the_one_that_adds_up(french):
    bill = french["DISCOUNT"]
    assert bill.total_excl_tax == Decimal("900.00") and bill.amount_due == Decimal("780.00")


def test_buyer_vat_number_printed_as_yours_is_not_the_supplier_s(french):
    bill = french["DISCOUNT"]
    assert bill.supplier.vat_number == "FR60502184633" and bill.buyer.vat_number == "FR67913572467"


def test_credit_note_is_guessed_from_its_heading(french):
    assert french["CREDIT_NOTE"].kind == "credit_note"
    assert french["SINGLE_RATE"].kind == "invoice"


def test_consistent_totals_and_checked_identifiers_are_confident(french):
    confidence = french["SINGLE_RATE"].confidence
    for field in ("total_excl_tax", "total_tax", "total_incl_tax", "supplier.siren", "supplier.vat_number"):
        assert confidence[field] >= 0.9, field
    assert set(confidence) <= set(french["SINGLE_RATE"].to_json()["confidence"])


def _document(rows: list[str], source: str = "ocr", confidence: float = 0.9) -> TextDocument:
    """A page of words laid out row by row; « | » starts a new column further right."""
    words = []
    for number, row in enumerate(rows):
        x, top = 40.0, 60.0 + number * 14
        for cell in row.split("|"):
            for text in cell.split():
                words.append(Word(text, x, top, x + 5.5 * len(text), top + 10, confidence))
                x += 5.5 * len(text) + 3
            x += 60
    return TextDocument(pages=[Page(1, 595, 842, words)], source=source)


def test_ocr_confusions_in_numbers_are_repaired():
    bill = read_bill(_document([
        "Facture n° F-2O26-7", "Date : ler mars 2O26",
        "Total HT | 1 2O0,00 €", "TVA 20 % | 24O,OO €", "Total TTC | 1 44O,00 €",
    ]))
    assert bill.source == "ocr" and bill.issue_date == date(2026, 3, 1)
    assert (bill.total_excl_tax, bill.total_tax, bill.total_incl_tax) == (
        Decimal("1200.00"), Decimal("240.00"), Decimal("1440.00"))


def test_vat_rows_whose_rate_ocr_lost_are_named_by_their_arithmetic():
    bill = read_bill(_document([
        "Umsatzsteuer (S) | 113,03 | 7,91", "Umsatzsteuer (S) | 64,46 | 19 | 12,25",
        "K | 000% | 2,00 | 0,00",
        "Rechnungssumme ohne USt. | 179,49", "Steuerbetrag | 20,16", "Bruttosumme | 199,65",
    ]))
    rows = [(line.rate, line.base, line.amount) for line in bill.tax_lines]
    assert rows == [(Decimal("7"), Decimal("113.03"), Decimal("7.91")),
                    (Decimal("19"), Decimal("64.46"), Decimal("12.25")),
                    (Decimal("0"), Decimal("2.00"), Decimal("0.00"))]
    assert bill.confidence["tax_lines"] >= 0.9


def test_uncertain_ocr_words_lower_the_confidence():
    rows = ["Invoice No. 4711", "Subtotal | 100.00", "VAT 20% | 20.00", "Total | 120.00"]
    sure = read_bill(_document(rows, confidence=1.0))
    unsure = read_bill(_document(rows, confidence=0.4))
    assert sure.total_incl_tax == unsure.total_incl_tax == Decimal("120.00")
    assert unsure.confidence["total_incl_tax"] < sure.confidence["total_incl_tax"]
    assert unsure.confidence["number"] < sure.confidence["number"]


def test_german_labels_are_read():
    bill = read_bill(_document([
        "Rechnung Nr. 2024-118 | Rechnungsdatum: 15.03.2024",
        "Nettobetrag | 100,00 EUR", "MwSt. 19 % | 19,00 EUR", "Bruttobetrag | 119,00 EUR",
        "Zahlbar bis 14.04.2024",
    ], source="text", confidence=1.0))
    assert (bill.number, bill.issue_date, bill.due_date) == ("2024-118", date(2024, 3, 15), date(2024, 4, 14))
    assert (bill.total_excl_tax, bill.total_tax, bill.total_incl_tax) == (
        Decimal("100.00"), Decimal("19.00"), Decimal("119.00"))


def test_header_row_labels_each_take_the_value_in_their_column():
    bill = read_bill(_document([
        "INVOICE", "Invoice number | Date | Payment due", "INV-0042 | 03/20/2026 | 04/19/2026",
        "Net total | VAT total | Grand total", "$1,000.00 | $200.00 | $1,200.00",
    ], source="text", confidence=1.0))
    assert (bill.number, bill.issue_date, bill.due_date) == ("INV-0042", date(2026, 3, 20), date(2026, 4, 19))
    assert (bill.total_excl_tax, bill.total_tax, bill.total_incl_tax) == (
        Decimal("1000.00"), Decimal("200.00"), Decimal("1200.00"))
    assert bill.currency == "USD"


def test_order_and_customer_numbers_are_not_the_bill_number():
    bill = read_bill(_document([
        "N° de commande : CMD-99812", "N° client : 4471", "Facture n° 2026-0007", "Date de facture : 03/02/2026",
    ], source="text", confidence=1.0))
    assert bill.number == "2026-0007"


def _two_unlabelled_companies() -> TextDocument:
    # Supplier on the right, client on the left, no heading says which is which.
    return _document([
        "Boulangerie Martin SAS | Atelier Dupont SARL",
        "SIREN : 913 572 467 | SIRET : 842 315 798 00012",
        "N° TVA : FR67913572467 | N° TVA : FR18842315798",
        "Facture n° 12", "Total HT | 100,00 €", "TVA 20 % | 20,00 €", "Total TTC | 120,00 €",
    ], source="text", confidence=1.0)


def test_two_unlabelled_companies_leave_the_supplier_uncertain():
    bill = read_bill(_two_unlabelled_companies())
    assert bill.confidence["supplier.siren"] < 0.6 and bill.confidence["supplier.vat_number"] < 0.6


def test_our_own_company_is_never_taken_for_the_supplier():
    own = Party(name="Boulangerie Martin SAS", siren="913572467", vat_number="FR67913572467")
    bill = read_bill(_two_unlabelled_companies(), known_buyer=own)
    assert (bill.supplier.siren, bill.supplier.vat_number) == ("842315798", "FR18842315798")
    assert bill.confidence["supplier.siren"] >= 0.9
    assert bill.buyer.vat_number == "FR67913572467"


def test_number_printed_in_spaced_groups_is_read_whole(french):
    assert french["SPACED_NUMBER"].number == "FA 2026 001"


def test_spaced_groups_never_swallow_a_date_or_an_amount():
    bill = read_bill(_document([
        "Facture n° 2026 15 mars 2026", "Total HT | 100,00 €", "TVA 20 % | 20,00 €", "Total TTC | 120,00 €",
    ], source="text", confidence=1.0))
    assert bill.number == "2026" and bill.issue_date == date(2026, 3, 15)


def test_values_under_labels_beside_a_large_title_are_read(french):
    bill = french["BESIDE_TITLE"]
    assert (bill.number, bill.issue_date, bill.due_date) == ("2026/03/0045", date(2026, 3, 12), date(2026, 4, 11))


def test_header_labels_wrapped_onto_two_lines_still_reach_their_values(french):
    bill = french["WRAPPED"]
    assert (bill.total_excl_tax, bill.total_tax, bill.total_incl_tax) == (
        Decimal("1500.00"), Decimal("150.00"), Decimal("1650.00"))


def test_rate_printed_only_in_the_item_rows_gives_the_tax_line(french):
    assert [(line.rate, line.base, line.amount) for line in french["WRAPPED"].tax_lines] == [
        (Decimal("10"), Decimal("1500.00"), Decimal("150.00"))]


def test_vat_number_cut_by_a_line_wrap_is_read_across_the_lines(french):
    bill = french["WRAPPED"]
    assert bill.supplier.vat_number == "FR60502184633" and bill.confidence["supplier.vat_number"] >= 0.9


def test_a_derived_total_implying_an_impossible_vat_rate_is_not_made_up():
    bill = read_bill(_document([
        "Facture n° 12", "Total HT | 4,00 €", "Total TTC | 4 468,93 €",
    ], source="text", confidence=1.0))
    assert bill.total_tax is None


def test_page_without_text_is_no_bill():
    bill = read_bill(TextDocument(pages=[Page(1, 595, 842, [])], source="ocr"), "scan.pdf")
    assert bill.kind == "other" and bill.warnings and bill.confidence == {}


def _expected(path: Path, field: str):
    expected = json.loads(path.with_suffix(".expected.json").read_text())
    if "." in field:
        party, key = field.split(".")
        return (expected.get(party) or {}).get(key)
    return expected.get(field)


@pytest.fixture(scope="module")
def corpus_bills():
    return {path: read_bill(read_pdf_text(path.read_bytes()), path.name) for path in CORPUS_PDFS}


# The issue's targets; number and issue date miss one visualisation whose printed number and
# date differ from its XML, and one number that the source project expects with a leading « # ».
@pytest.mark.parametrize("field, target", [
    ("number", 0.85), ("issue_date", 0.9), ("total_excl_tax", 0.98), ("total_tax", 0.98),
    ("total_incl_tax", 0.98), ("supplier.siren", 0.98), ("supplier.vat_number", 0.98),
])
def test_corpus_accuracy_meets_the_target(corpus_bills, field, target):
    checked = right = 0
    for path, bill in corpus_bills.items():
        want = _expected(path, field)
        if want is None:
            continue
        got = bill.to_json()
        got = got[field.split(".")[0]][field.split(".")[1]] if "." in field else got[field]
        checked += 1
        if field.startswith("total"):
            right += got is not None and Decimal(got) == Decimal(want)
        else:
            right += got is not None and got.replace(" ", "") == str(want).replace(" ", "")
    assert checked and right / checked >= target


def test_confident_corpus_values_are_right(corpus_bills):
    """Calibration: what the reader gives 0.9 or more is right."""
    wrong = []
    for path, bill in corpus_bills.items():
        data = bill.to_json()
        for field in ("total_excl_tax", "total_tax", "total_incl_tax", "supplier.siren", "supplier.vat_number"):
            want = _expected(path, field)
            if want is None or bill.confidence.get(field, 0) < 0.9:
                continue
            got = data[field.split(".")[0]][field.split(".")[1]] if "." in field else data[field]
            same = Decimal(got) == Decimal(want) if field.startswith("total") else got == want.replace(" ", "")
            if not same:
                wrong.append((path.name, field, got, want))
    assert wrong == []
