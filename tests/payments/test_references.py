"""Invoice numbers cited in free text, as payers really type them."""

import pytest

from payments.references import invoice_numbers_in, unknown_numbers_in

KNOWN = ["FA2026-0012", "FA2026-0013", "FA2026-0120", "AC2026-0003"]


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("VIR SEPA FA2026-0012", ["FA2026-0012"]),
        ("FA 2026-0012", ["FA2026-0012"]),
        ("fa2026 0012", ["FA2026-0012"]),
        ("FA20260012", ["FA2026-0012"]),
        ("FACT FA2026-12", ["FA2026-0012"]),
        ("REGLT FA.2026/13", ["FA2026-0013"]),
        ("FA2026-120", ["FA2026-0120"]),
        ("FA2026-00120", ["FA2026-0120"]),
        ("acompte AC 2026 3", ["AC2026-0003"]),
        ("REF:FA-2026-0012", ["FA2026-0012"]),
        ("PAIEMENTFA2026-0012", []),
        ("FA2026-0012ACME", ["FA2026-0012"]),
    ],
)
def test_a_number_is_found_however_it_is_typed(text, cited):
    assert invoice_numbers_in(text, KNOWN) == cited


@pytest.mark.parametrize(
    "text", ["FA2026-00123", "FA2026-01200", "XFA2026-0012", "12FA2026-0012", "FA202 60012", "2026-0012"]
)
def test_a_number_inside_a_longer_one_or_without_its_series_is_not_cited(text):
    assert invoice_numbers_in(text, KNOWN) == []


def test_zeros_are_only_dropped_when_the_sequence_stands_apart_from_the_year():
    # "FA202612" could be FA2026-12 or FA20-2612: only the full digits are trusted when glued.
    assert invoice_numbers_in("FA202612", KNOWN) == []


def test_numbers_come_in_order_of_appearance_without_duplicates():
    text = "FA2026-0013 FA2026-0012 et encore FA2026-0013 / fa2026-12"
    assert invoice_numbers_in(text, KNOWN) == ["FA2026-0013", "FA2026-0012"]


def test_numbers_of_a_known_series_that_are_not_known_are_reported_as_written():
    assert unknown_numbers_in("FACTURES FA2026-0099 ET FA2026-0012", KNOWN) == ["FA2026-0099"]
    assert unknown_numbers_in("VIREMENT 2026 DURAND", KNOWN) == []
    assert unknown_numbers_in("FACTURES FA 2026 NOVEMBRE", KNOWN) == []
