"""Late-payment penalties: worked examples computed by hand, rates, the indemnity and the wording."""

from datetime import date
from decimal import Decimal

import pytest

from receivables.legal_rates import load_legal_rates
from receivables.penalties import PenaltyPeriod, late_penalty, penalty_wording

RATES = load_legal_rates()
NBSP = "\u00a0"


def b2b(due, on, amount, settlements=(), **options):
    return late_penalty(due, on, Decimal(amount), list(settlements), consumer=False, rates=RATES, **options)


def test_partial_payment_splits_the_accrual_at_the_balance_change():
    # 1 200,00 € TTC due 15/10/2026, 500 € paid on 02/11/2026, computed on 26/11/2026.
    # 2026 S2 has no ECB entry: the 2026 S1 rate 2,15 % answers, + 10 points = 12,15 %.
    # 16/10 → 01/11: 17 days on 1 200 € : 1200 × 12.15 % × 17 / 365 = 6.7906… → 6,79 €
    # 02/11 → 26/11: 25 days on   700 € :  700 × 12.15 % × 25 / 365 = 5.8253… → 5,83 €
    penalty = b2b(date(2026, 10, 15), date(2026, 11, 26), "1200.00", [(date(2026, 11, 2), Decimal("500"))])
    assert penalty.periods == (
        PenaltyPeriod(date(2026, 10, 16), date(2026, 11, 1), 17, Decimal("1200.00"), Decimal("12.15"), Decimal("6.79")),
        PenaltyPeriod(date(2026, 11, 2), date(2026, 11, 26), 25, Decimal("700.00"), Decimal("12.15"), Decimal("5.83")),
    )
    assert (penalty.days_late, penalty.amount, penalty.indemnity) == (42, Decimal("12.62"), Decimal("40.00"))
    assert penalty.total == Decimal("52.62")
    assert penalty.rate == Decimal("12.15")
    assert len(penalty.warnings) == 1 and "2e semestre 2026 non configuré" in penalty.warnings[0]


def test_accrual_is_split_at_the_half_year_boundary():
    # 1 000 € due 15/06/2025, unpaid on 10/07/2025.
    # 16/06 → 30/06: 15 days at 3,15 + 10 = 13,15 % : 1000 × 13.15 % × 15 / 365 = 5.4041… → 5,40 €
    # 01/07 → 10/07: 10 days at 2,15 + 10 = 12,15 % : 1000 × 12.15 % × 10 / 365 = 3.3287… → 3,33 €
    penalty = b2b(date(2025, 6, 15), date(2025, 7, 10), "1000.00")
    assert [(p.start, p.end, p.days, p.rate, p.amount) for p in penalty.periods] == [
        (date(2025, 6, 16), date(2025, 6, 30), 15, Decimal("13.15"), Decimal("5.40")),
        (date(2025, 7, 1), date(2025, 7, 10), 10, Decimal("12.15"), Decimal("3.33")),
    ]
    assert (penalty.amount, penalty.rate, penalty.warnings) == (Decimal("8.73"), Decimal("12.15"), ())


def test_a_settlement_stops_interest_on_its_part_from_its_own_day():
    # 1 000 € due 31/01/2026 (rate 12,15 %), 400 € credit note on 01/02, the rest paid on 11/02.
    # 01/02 → 10/02: 10 days on 600 € : 600 × 12.15 % × 10 / 365 = 1.9972… → 2,00 €; nothing after.
    penalty = b2b(date(2026, 1, 31), date(2026, 3, 1), "1000.00",
                  [(date(2026, 2, 1), Decimal("400")), (date(2026, 2, 11), Decimal("600"))])
    assert [(p.start, p.end, p.base, p.amount) for p in penalty.periods] == [
        (date(2026, 2, 1), date(2026, 2, 10), Decimal("600.00"), Decimal("2.00")),
    ]
    # Paid off on 11/02: 11 days late, whatever the day of the computation.
    assert (penalty.days_late, penalty.indemnity) == (11, Decimal("40.00"))


def test_on_the_due_date_or_paid_by_it_there_is_nothing():
    due = date(2026, 3, 15)
    for penalty in (b2b(due, due, "500.00"), b2b(due, date(2026, 4, 1), "500.00", [(due, Decimal("500"))])):
        assert (penalty.days_late, penalty.amount, penalty.indemnity, penalty.periods) == (0, 0, 0, ())
        assert penalty.late_since is None
        assert penalty.rate == Decimal("12.15")


def test_indemnity_is_due_once_late_even_when_paid_the_next_day():
    # Paid in full on 16/03 for a due date of 15/03: no interest day (the settlement stops it
    # that day), but the invoice was late: the €40 is due.
    penalty = b2b(date(2026, 3, 15), date(2026, 4, 30), "500.00", [(date(2026, 3, 16), Decimal("500"))])
    assert (penalty.days_late, penalty.amount, penalty.indemnity, penalty.total) == (1, 0, Decimal("40.00"), Decimal("40.00"))


def test_contract_rate_below_three_times_legal_interest_is_raised_to_the_floor():
    # 2026 S1: legal interest 2,62 % → floor 7,86 %. 1 000 € due 15/03/2026, on 10/04/2026:
    # 26 days: 1000 × 7.86 % × 26 / 365 = 5.5989… → 5,60 €.
    penalty = b2b(date(2026, 3, 15), date(2026, 4, 10), "1000.00", contract_rate=Decimal("5"))
    assert (penalty.rate, penalty.amount) == (Decimal("7.86"), Decimal("5.60"))
    assert penalty.warnings == (
        f"Taux contractuel de 5,00{NBSP}% inférieur au plancher légal de trois fois le taux de l'intérêt "
        f"légal (7,86{NBSP}%) : le plancher est appliqué (art. L441-10 du Code de commerce). / Contract "
        "rate of 5.00% below the legal floor of three times the legal interest rate (7.86%): the floor is applied.",
    )


def test_contract_rate_above_the_floor_is_used_as_is():
    # 26 days at 9 %: 1000 × 9 % × 26 / 365 = 6.4109… → 6,41 €.
    penalty = b2b(date(2026, 3, 15), date(2026, 4, 10), "1000.00", contract_rate=Decimal("9"))
    assert (penalty.rate, penalty.amount, penalty.warnings) == (Decimal("9"), Decimal("6.41"), ())


def test_contract_floor_follows_each_half_year():
    # Contract rate 10 %: above the floor of 2025 S2 (3 × 2,76 = 8,28) and of 2026 S1 (7,86).
    penalty = b2b(date(2025, 12, 20), date(2026, 1, 10), "1000.00", contract_rate=Decimal("10"))
    assert [p.rate for p in penalty.periods] == [Decimal("10"), Decimal("10")]
    # Contract rate 8 %: raised to 8,28 % in 2025 S2, kept in 2026 S1.
    penalty = b2b(date(2025, 12, 20), date(2026, 1, 10), "1000.00", contract_rate=Decimal("8"))
    assert [p.rate for p in penalty.periods] == [Decimal("8.28"), Decimal("8")]
    assert len(penalty.warnings) == 1


def test_consumer_owes_nothing_before_formal_notice():
    penalty = late_penalty(date(2026, 3, 15), date(2026, 4, 10), Decimal("1000.00"), [], consumer=True, rates=RATES)
    assert (penalty.amount, penalty.indemnity, penalty.total, penalty.periods) == (0, 0, 0, ())
    assert penalty.days_late == 26
    # The creditor is a business: the "all other cases" legal rate (2,62 %), not the 6,67 % of
    # consumer creditors.
    assert penalty.rate == Decimal("2.62")
    assert penalty_wording(penalty) == (
        f"Des intérêts au taux légal (2,62{NBSP}% l'an) pourront être réclamés après mise en demeure "
        "(art. 1231-6 du Code civil).",
        "Interest at the statutory rate (2.62% a year) may be claimed after formal notice "
        "(art. 1231-6 of the French Civil Code).",
    )


def test_consumer_in_an_unconfigured_half_year_carries_the_warning():
    penalty = late_penalty(date(2026, 10, 15), date(2026, 11, 26), Decimal("100"), [], consumer=True, rates=RATES)
    assert penalty.rate == Decimal("2.62")
    assert "Taux de l'intérêt légal du 2e semestre 2026 non configuré" in penalty.warnings[0]


def test_business_wording_with_amount_date_and_indemnity():
    penalty = b2b(date(2026, 11, 15), date(2026, 12, 31), "12345.67")
    # 46 days on 12 345,67 € at 12,15 %: 12345.67 × 12.15 % = 1499.9989…; × 46 / 365 = 189.0410… → 189,04 €.
    assert penalty.amount == Decimal("189.04")
    assert penalty_wording(penalty) == (
        f"Pénalités de retard au taux de 12,15{NBSP}% l'an depuis le 16/11/2026 : 189,04{NBSP}€, plus "
        f"l'indemnité forfaitaire de 40{NBSP}€ pour frais de recouvrement (art. L441-10 du Code de commerce).",
        "Late-payment penalties at 12.15% a year since 16/11/2026: €189.04, plus the fixed €40 "
        "recovery indemnity (art. L441-10 of the French Commercial Code).",
    )


def test_wording_uses_french_thousands_separator():
    # 16/11/2026 → 31/12/2026, 46 days on 250 000 €: 250000 × 12.15 % × 46 / 365 = 3828.08… → 3 828,08 €.
    french, english = penalty_wording(b2b(date(2026, 11, 15), date(2026, 12, 31), "250000"))
    assert f"3\u202f828,08{NBSP}€" in french
    assert "€3,828.08" in english


def test_wording_names_each_rate_when_the_rate_changed():
    french, english = penalty_wording(b2b(date(2025, 6, 15), date(2025, 7, 10), "1000.00"))
    assert french.startswith(f"Pénalités de retard aux taux de 13,15{NBSP}% puis 12,15{NBSP}% l'an depuis le 16/06/2025")
    assert english.startswith("Late-payment penalties at 13.15% then 12.15% a year")


def test_wording_before_the_due_date_states_the_rule():
    french, _ = penalty_wording(b2b(date(2026, 3, 15), date(2026, 3, 1), "1000.00"))
    assert french == (
        f"En cas de retard de paiement, pénalités au taux de 12,15{NBSP}% l'an dès le lendemain de "
        f"l'échéance, plus l'indemnité forfaitaire de 40{NBSP}€ pour frais de recouvrement "
        "(art. L441-10 du Code de commerce)."
    )


@pytest.mark.parametrize("base, days, expected", [
    # Within 2026 S1 (12,15 %), rounded half up to the cent:
    # 10 € for 10 days: 10 × 12.15 % × 10 / 365 = 0.03328… → 0,03 €
    # 100 € for 30 days: 100 × 12.15 % × 30 / 365 = 0.99863… → 1,00 €
    # 1 000 € for 3 days: 1000 × 12.15 % × 3 / 365 = 0.99863… → 1,00 €
    ("10.00", 10, "0.03"),
    ("100.00", 30, "1.00"),
    ("1000.00", 3, "1.00"),
])
def test_simple_interest_on_actual_days_over_365(base, days, expected):
    penalty = b2b(date(2026, 1, 31), date.fromordinal(date(2026, 1, 31).toordinal() + days), base)
    assert (penalty.amount, penalty.days_late) == (Decimal(expected), days)


def test_a_whole_year_late_gives_the_annual_rate_period_by_period():
    # Due 31/12/2025, on 31/12/2026: 01/01 → 30/06 (181 days) and 01/07 → 31/12 (184 days).
    # 1000 × 12.15 % × 181 / 365 = 60.2506… → 60,25 €; 1000 × 12.15 % × 184 / 365 = 61.2493… → 61,25 €.
    penalty = b2b(date(2025, 12, 31), date(2026, 12, 31), "1000.00")
    assert [(p.days, p.amount) for p in penalty.periods] == [(181, Decimal("60.25")), (184, Decimal("61.25"))]
    assert penalty.amount == Decimal("121.50")
