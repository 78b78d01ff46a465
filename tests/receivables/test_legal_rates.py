"""Dated late-payment rates: the shipped file, half-year lookup, unconfigured half-years, bad files."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from receivables.legal_rates import LegalRatesError, default_path, load_legal_rates

SHIPPED = Path(__file__).resolve().parents[2] / "config" / "legal_rates.toml"
MINIMAL = """
[[ecb_refinancing]]
valid_from = 2026-01-01
rate = 2.15
source = "test"

[[legal_interest]]
valid_from = 2026-01-01
consumer = 6.67
professional = 2.62
source = "test"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "legal_rates.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_file_is_the_default():
    assert default_path() == SHIPPED
    assert load_legal_rates().path == str(SHIPPED)


@pytest.mark.parametrize("day, ecb", [
    (date(2025, 1, 1), "3.15"), (date(2025, 6, 30), "3.15"),   # in force on 1 January 2025
    (date(2025, 7, 1), "2.15"), (date(2025, 12, 31), "2.15"),  # in force on 1 July 2025
    (date(2026, 3, 15), "2.15"),
])
def test_ecb_rate_is_the_one_in_force_at_the_start_of_the_half_year(day, ecb):
    rate = load_legal_rates().ecb_rate(day)
    assert rate.rate == Decimal(ecb)
    assert rate.start == date(day.year, 1 if day.month <= 6 else 7, 1)
    assert rate.configured_for == rate.start
    assert rate.warning == ""


@pytest.mark.parametrize("day, professional, consumer", [
    (date(2025, 2, 1), "3.71", "7.21"),
    (date(2025, 9, 1), "2.76", "6.65"),
    (date(2026, 6, 30), "2.62", "6.67"),
])
def test_legal_interest_has_a_professional_and_a_consumer_rate(day, professional, consumer):
    rates = load_legal_rates()
    assert rates.legal_interest(day).rate == Decimal(professional)
    assert rates.legal_interest(day, consumer=True).rate == Decimal(consumer)


def test_rates_are_exact_decimals_not_floats():
    assert str(load_legal_rates().legal_interest(date(2026, 1, 1)).rate) == "2.62"


def test_unconfigured_half_year_uses_the_latest_earlier_entry_with_a_bilingual_warning():
    rates = load_legal_rates()
    ecb = rates.ecb_rate(date(2026, 11, 26))
    assert (ecb.start, ecb.rate, ecb.configured_for) == (date(2026, 7, 1), Decimal("2.15"), date(2026, 1, 1))
    french, english = ecb.warning.split(" / ")
    assert french == (
        "Taux de refinancement de la BCE du 2e semestre 2026 non configuré : "
        "celui du 1er semestre 2026 (2,15\u00a0%) est appliqué."
    )
    assert english == (
        "ECB refinancing rate for the second half of 2026 not configured: "
        "the rate of the first half of 2026 (2.15%) is applied."
    )
    legal = rates.legal_interest(date(2027, 2, 1))
    assert legal.rate == Decimal("2.62")
    assert legal.warning.startswith("Taux de l'intérêt légal du 1er semestre 2027 non configuré")


def test_a_new_entry_is_configuration_not_code(tmp_path):
    # The rate published for a new half-year is one more entry; the marker value is a test one.
    path = write(tmp_path, MINIMAL + '\n[[ecb_refinancing]]\nvalid_from = 2026-07-01\nrate = 1.9\nsource = "test"\n')
    rate = load_legal_rates(path).ecb_rate(date(2026, 11, 26))
    assert (rate.rate, rate.configured_for, rate.warning) == (Decimal("1.9"), date(2026, 7, 1), "")


def test_entries_may_be_written_in_any_order(tmp_path):
    path = write(tmp_path, '[[ecb_refinancing]]\nvalid_from = 2026-07-01\nrate = 1.9\nsource = "test"\n' + MINIMAL)
    assert load_legal_rates(path).ecb_rate(date(2026, 2, 1)).rate == Decimal("2.15")


def test_a_day_before_every_entry_is_an_error_naming_file_and_key(tmp_path):
    path = write(tmp_path, MINIMAL)
    with pytest.raises(LegalRatesError, match=r"legal_rates\.toml: no \[\[ecb_refinancing\]\] entry on or before 2025-07-01"):
        load_legal_rates(path).ecb_rate(date(2025, 12, 31))


@pytest.mark.parametrize("text, message", [
    (MINIMAL.replace("2026-01-01", "2026-02-01", 1), r"\[\[ecb_refinancing\]\]: valid_from must be a 1 January or 1 July"),
    (MINIMAL.replace("rate = 2.15", 'rate = "2.15"'), r"\[\[ecb_refinancing\]\] 2026-01-01: rate must be a percent"),
    (MINIMAL.replace("rate = 2.15", "rate = -1"), r"rate must be a percent"),
    (MINIMAL.replace("professional = 2.62\n", ""), r"\[\[legal_interest\]\]: missing field\(s\) professional"),
    (MINIMAL.replace("consumer = 6.67", "consumer = 6.67\nconsummer = 1"), r"unknown field\(s\) consummer"),
    (MINIMAL.replace('source = "test"', 'source = ""', 1), r"source must be a non-empty string"),
    (MINIMAL + "[[legal_intrest]]\n", r"unknown key\(s\) legal_intrest"),
    (MINIMAL.split("[[legal_interest]]")[0], r"missing entries for legal_interest"),
    (MINIMAL + '[[ecb_refinancing]]\nvalid_from = 2026-01-01\nrate = 2\nsource = "x"\n', r"two entries for 2026-01-01"),
    ("rate = [", r"cannot read legal rates"),
])
def test_a_bad_file_is_refused_naming_file_and_key(tmp_path, text, message):
    with pytest.raises(LegalRatesError, match=message) as error:
        load_legal_rates(write(tmp_path, text))
    assert str(tmp_path) in str(error.value)


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(LegalRatesError, match="legal rates file not found"):
        load_legal_rates(tmp_path / "absent.toml")
