"""Payment-term phrases, the due date each gives (month ends, leap years) and the L441-10 caps."""

from datetime import date

import pytest

from invoicing.payment_terms import PaymentTermsError, cap_warning, legal_cap, parse_terms


@pytest.mark.parametrize(
    ("phrase", "issue", "due"),
    [
        ("à réception", date(2026, 11, 26), date(2026, 11, 26)),
        ("Paiement à réception de facture", date(2026, 11, 26), date(2026, 11, 26)),
        ("comptant", date(2026, 11, 26), date(2026, 11, 26)),
        ("30 jours", date(2026, 11, 26), date(2026, 12, 26)),
        ("30 jours net", date(2026, 1, 31), date(2026, 3, 2)),
        ("60 jours date de facture", date(2026, 11, 26), date(2027, 1, 25)),
        # N days, then the end of that month.
        ("30 jours fin de mois", date(2026, 1, 15), date(2026, 2, 28)),
        ("30 jours fin de mois", date(2028, 1, 15), date(2028, 2, 29)),  # leap year
        ("30 jours fin de mois", date(2026, 1, 31), date(2026, 3, 31)),
        ("45 jours fin de mois", date(2026, 11, 26), date(2027, 1, 31)),
        ("45 jours fin de mois", date(2028, 1, 1), date(2028, 2, 29)),  # leap year: 15 Feb → 29 Feb
        ("45 jours fin de mois", date(2026, 12, 31), date(2027, 2, 28)),
        ("45 j fdm", date(2026, 11, 26), date(2027, 1, 31)),
        # The other reading, when written so: end of the issue month, then N days.
        ("fin de mois + 45 jours", date(2026, 1, 10), date(2026, 3, 17)),
        ("fin de mois 30 jours", date(2028, 2, 3), date(2028, 3, 30)),
    ],
)
def test_due_date_follows_the_documented_rule(phrase, issue, due):
    assert parse_terms(phrase).due_date(issue) == due


@pytest.mark.parametrize("phrase", ["bientôt", "30 days", "jours", "fin de mois", "-30 jours", ""])
def test_unknown_phrase_is_refused_with_the_accepted_forms(phrase):
    with pytest.raises(PaymentTermsError, match="à réception"):
        parse_terms(phrase)


def test_more_than_a_year_is_refused():
    with pytest.raises(PaymentTermsError, match="more than 365"):
        parse_terms("400 jours")


def test_terms_within_the_caps_give_no_warning():
    issue = date(2026, 11, 26)
    for phrase in ("à réception", "30 jours", "60 jours", "45 jours fin de mois", "30 jours fin de mois", "fin de mois + 45 jours"):
        assert cap_warning(issue, parse_terms(phrase).due_date(issue)) == ""


def test_terms_above_the_caps_give_a_warning_naming_l441_10():
    issue = date(2026, 11, 26)
    warning = cap_warning(issue, parse_terms("90 jours").due_date(issue))
    assert "L441-10" in warning and "2027-02-24" in warning


def test_legal_cap_is_the_latest_accepted_reading():
    # 60 days: 30 Jan; 45 days then end of month: 31 Jan; end of month then 45 days: 14 Feb.
    assert legal_cap(date(2026, 12, 1)) == date(2027, 2, 14)
