"""Fraud and exception checks: each reason raised exactly when its condition holds."""

from decimal import Decimal

import pytest

from bills.checks import History, check_amount, check_currency, check_iban, check_known_supplier, supplier_alerts

IBAN = "FR7630006000011234567890189"
OTHER = "FR2012542547256985425874698"


@pytest.mark.parametrize("iban, known, alert", [
    (IBAN, (IBAN,), False),
    ("fr76 3000 6000 0112 3456 7890 189", (IBAN,), False),  # spaces and case do not make a change
    (OTHER, (IBAN,), True),
    (OTHER, (IBAN, OTHER), False),
    (OTHER, (), False),  # no validated history: nothing to compare with
    ("", (IBAN,), False),
])
def test_iban_alert_only_for_an_iban_outside_the_validated_history(iban, known, alert):
    found = check_iban(iban, History(len(known), known))
    assert (found is not None) is alert
    if found:
        assert found.blocking and found.code == "iban_changed"
        assert OTHER in found.french and IBAN in found.french


def test_supplier_without_validated_bill_is_unknown():
    assert check_known_supplier(History()).code == "unknown_supplier"
    assert check_known_supplier(History(validated_count=1)) is None


@pytest.mark.parametrize("total, totals, flagged", [
    ("301", ("100", "100", "100"), True),
    ("300", ("100", "100", "100"), False),  # exactly the factor is still usual
    ("1000", ("100", "100"), False),  # fewer than three validated bills: no judgement
    ("350", ("90", "100", "5000"), True),  # the median, not the mean, is the usual amount
    (None, ("100", "100", "100"), False),
])
def test_unusual_amount_is_above_factor_times_the_median(total, totals, flagged):
    history = History(len(totals), (), tuple(Decimal(value) for value in totals))
    found = check_amount(Decimal(total) if total else None, history, Decimal(3))
    assert (found is not None) is flagged
    if found:
        assert found.code == "unusual_amount" and not found.blocking


def test_blocking_alerts_come_first():
    history = History(3, (IBAN,), (Decimal(10), Decimal(10), Decimal(10)))
    alerts = supplier_alerts(OTHER, Decimal(1000), history, Decimal(3))
    assert [alert.code for alert in alerts] == ["iban_changed", "unusual_amount"]


@pytest.mark.parametrize("currency, flagged", [("EUR", False), ("eur", False), (None, False), ("USD", True)])
def test_bill_in_another_currency_is_flagged(currency, flagged):
    found = check_currency(currency)
    assert (found is not None) is flagged
    if found:
        assert "Devise : EUR" in found.french
