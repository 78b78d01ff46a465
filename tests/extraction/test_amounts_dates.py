"""Table tests: amounts, dates and identifiers as invoices print them."""

from datetime import date
from decimal import Decimal

import pytest

from extraction.amounts import find_amounts, parse_amount, parse_number
from extraction.dates import find_dates, is_month_first, parse_date
from extraction.identifiers import find_identifiers
from extraction.text_lines import fold


@pytest.mark.parametrize("text, value", [
    ("1 234,56 €", "1234.56"),
    ("1\u202f234,56\u00a0€", "1234.56"),
    ("1\u2009234,56", "1234.56"),
    ("1.234,56", "1234.56"),
    ("1,234.56", "1234.56"),
    ("1234.56", "1234.56"),
    ("1234,56", "1234.56"),
    ("-12,00", "-12.00"),
    ("12,00-", "-12.00"),
    ("\u221212,00 €", "-12.00"),
    ("€ -9,32", "-9.32"),
    ("$4.11", "4.11"),
    ("EUR 1.021,91", "1021.91"),
    ("1'234.50 CHF", "1234.50"),
    ("Rs. 319.00", "319.00"),
    ("40 €", "40"),
    ("0.025 €", "0.025"),
    ("1.000", "1000"),
])
def test_amount_is_read_whatever_the_separators(text, value):
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "15/03/2026", "20 %", "FR76"])
def test_text_without_one_amount_gives_none(text):
    assert parse_amount(text) is None


def test_amounts_in_a_line_keep_their_currency_and_skip_percentages_and_dates():
    found = find_amounts("Total  15.03.2026  19,00%  1 234,56 €  -5,00")
    assert [(amount.value, amount.currency) for amount in found] == [
        (Decimal("1234.56"), "EUR"), (Decimal("-5.00"), None),
    ]


def test_two_columns_are_two_amounts_not_one_thousands_group():
    # Line text separates columns by two spaces: « 1 » and « 278.61 » are quantity and price.
    assert [amount.value for amount in find_amounts("Total  1  278.61")] == [1, Decimal("278.61")]


def test_three_decimals_group_thousands_only_behind_a_non_zero_whole_part():
    assert parse_number("2.500") == Decimal("2500")
    assert parse_number("0.500") == Decimal("0.500")


@pytest.mark.parametrize("text, value", [
    ("15/03/2026", date(2026, 3, 15)),
    ("15.03.2026", date(2026, 3, 15)),
    ("15-03-2026", date(2026, 3, 15)),
    ("8-9-2022", date(2022, 9, 8)),
    ("15/03/26", date(2026, 3, 15)),
    ("2026-03-15", date(2026, 3, 15)),
    ("15 mars 2026", date(2026, 3, 15)),
    ("1er mars 2026", date(2026, 3, 1)),
    ("ler mars 2026", date(2026, 3, 1)),
    ("15 MARS 2026", date(2026, 3, 15)),
    ("3 février 2026", date(2026, 2, 3)),
    ("15 déc. 2025", date(2025, 12, 15)),
    ("March 15, 2026", date(2026, 3, 15)),
    ("August 3 , 2014", date(2014, 8, 3)),
    ("Jan 1, 2022", date(2022, 1, 1)),
    ("15 March 2026", date(2026, 3, 15)),
    ("15. März 2026", date(2026, 3, 15)),
    ("19 april 2014", date(2014, 4, 19)),
])
def test_date_is_read_in_french_english_and_german(text, value):
    assert parse_date(text) == value


@pytest.mark.parametrize("text", ["Page 1/2", "1.021,91", "31/02/2026", "2,5 Jan 2026", "v 2.0"])
def test_things_that_are_not_dates_give_none(text):
    assert parse_date(text) is None


def test_slash_dates_read_month_first_only_when_the_document_is_american():
    assert is_month_first("Invoice Date: 03/20/2023  Due: 04/04/2023") is True
    assert is_month_first("Date : 20/03/2023") is False
    assert find_dates("04/03/2023", month_first=True)[0].value == date(2023, 4, 3)
    # Dots and dashes are day-first everywhere.
    assert find_dates("04.03.2023", month_first=True)[0].value == date(2023, 3, 4)


def _identifiers(text: str) -> list[tuple[str, str, bool]]:
    return [(found.kind, found.value, found.valid) for found in find_identifiers(text, fold(text))]


def test_siret_siren_and_vat_number_are_found_and_checked():
    assert _identifiers("SIRET : 842 315 798 00012") == [("siret", "84231579800012", True)]
    assert _identifiers("SIREN 842315798") == [("siren", "842315798", True)]
    assert _identifiers("RCS Lyon 842 315 798") == [("siren", "842315798", True)]
    assert _identifiers("N° TVA : FR 18 842 315 798") == [("vat", "FR18842315798", True)]
    assert _identifiers("USt-IdNr. DE238574172") == [("vat", "DE238574172", True)]
    assert _identifiers("BTW NL810433941B01") == [("vat", "NL810433941B01", True)]


def test_wrong_check_digits_are_found_but_marked_invalid():
    assert _identifiers("N° TVA : FR 32 123 456 789") == [("vat", "FR32123456789", False)]


def test_nine_digits_without_a_company_label_are_no_siren():
    assert _identifiers("Commande 842315798") == []


def test_iban_and_bic_are_found_with_their_check_digits():
    found = _identifiers("IBAN : FR76 3000 6000 0000 0112 3456 786 - BIC : AGRIFRPP")
    assert found == [("iban", "FR7630006000000001123456786", True), ("bic", "AGRIFRPP", True)]


def test_iban_stops_before_the_word_that_follows_it():
    found = _identifiers("IBAN : FR20 1254 2547 2569 8542 5874 698 BIC :")
    assert found == [("iban", "FR2012542547256985425874698", True)]


def test_iban_check_digits_misread_by_ocr_are_repaired():
    assert _identifiers("IBAN NLSOINGB0683251309") == [("iban", "NL50INGB0683251309", True)]


def test_a_german_iban_is_not_read_as_a_vat_number():
    assert _identifiers("IBAN DE34 7007 0010 0156 9193 01") == [("iban", "DE34700700100156919301", True)]


def test_vat_number_misread_by_ocr_is_repaired_when_its_key_then_checks():
    assert _identifiers("N° TVA : FRO3208065094") == [("vat", "FR03208065094", True)]
