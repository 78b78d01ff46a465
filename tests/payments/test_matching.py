"""Statement lines matched to open invoices: by number cited, else by amount and client."""

from datetime import date
from decimal import Decimal

from payments.matching import Allocation, OpenItem, match_lines
from payments.statement_model import StatementLine

ITEMS = [
    OpenItem("FA2026-0011", "Durand SARL", Decimal("0.00")),
    OpenItem("FA2026-0012", "Durand SARL", Decimal("1200.00"), date(2026, 11, 30)),
    OpenItem("FA2026-0013", "Martin et Fils", Decimal("850.00")),
    OpenItem("FA2026-0014", "Martin et Fils", Decimal("850.00")),
    OpenItem("FA2026-0015", "Boulangerie Petit", Decimal("200.00")),
    OpenItem("FA2026-0016", "Établissements Dupont-Moreau SAS", Decimal("480.00")),
    OpenItem("FA2026-0017", "Roux", Decimal("75.00")),
    OpenItem("AC2026-0003", "Leroy EURL", Decimal("100.00")),
]


def line(amount: str, label: str, reference: str = "", counterparty: str = "") -> StatementLine:
    return StatementLine(date(2026, 11, 3), Decimal(amount), label, reference, counterparty)


def one(statement_line: StatementLine):
    [match] = match_lines([statement_line], ITEMS)
    return match


def test_a_line_citing_an_open_invoice_pays_it():
    match = one(line("1200.00", "VIR SEPA RECU /DE DURAND SARL", "FA2026-0012"))
    assert (match.outcome, match.allocations) == ("paid", (Allocation("FA2026-0012", Decimal("1200.00")),))


def test_a_loosely_typed_number_still_pays_its_invoice():
    match = one(line("850.00", "VIR MARTIN ET FILS / REGLEMENT fa2026 13"))
    assert (match.outcome, match.allocations) == ("paid", (Allocation("FA2026-0013", Decimal("850.00")),))


def test_less_than_due_is_a_partial_payment_that_states_the_rest():
    match = one(line("500.00", "VIR DURAND FA2026-0012"))
    assert (match.outcome, match.allocations) == ("partial", (Allocation("FA2026-0012", Decimal("500.00")),))
    assert "reste dû : FA2026-0012 700,00" in match.reason


def test_more_than_due_is_overpaid_with_the_excess_stated():
    match = one(line("1250.00", "VIR DURAND FA2026-0012"))
    assert (match.outcome, match.allocations) == ("overpaid", (Allocation("FA2026-0012", Decimal("1200.00")),))
    assert "50,00" in match.reason and "trop-perçu" in match.reason and "50.00" in match.reason_en


def test_cited_invoices_are_paid_in_the_order_cited():
    match = one(line("1400.00", "REGLEMENT FA2026-0015 ET FA2026-0012"))
    assert match.outcome == "paid"
    assert match.allocations == (
        Allocation("FA2026-0015", Decimal("200.00")), Allocation("FA2026-0012", Decimal("1200.00")))
    short = one(line("300.00", "REGLEMENT FA2026-0015 ET FA2026-0012"))
    assert short.outcome == "partial"
    assert short.allocations == (
        Allocation("FA2026-0015", Decimal("200.00")), Allocation("FA2026-0012", Decimal("100.00")))


def test_two_lines_paying_one_invoice_in_one_statement_are_both_counted_and_a_third_is_overpaid():
    first, second, third = match_lines(
        [line("700.00", "VIR DURAND FA2026-0012"), line("500.00", "VIR DURAND FA2026-0012"),
         line("100.00", "VIR DURAND FA2026-0012")],
        ITEMS,
    )
    assert (first.outcome, first.allocations) == ("partial", (Allocation("FA2026-0012", Decimal("700.00")),))
    assert (second.outcome, second.allocations) == ("paid", (Allocation("FA2026-0012", Decimal("500.00")),))
    assert (third.outcome, third.allocations) == ("overpaid", ())
    assert "FA2026-0012 déjà soldée" in third.reason and "100,00" in third.reason


def test_without_a_number_the_named_client_with_that_exact_outstanding_is_paid():
    # Accents, case, hyphens and the legal forms do not stop the client from being recognised.
    match = one(line("480.00", "VIR SEPA RECU", counterparty="ETS DUPONT MOREAU"))
    assert (match.outcome, match.allocations) == ("paid", (Allocation("FA2026-0016", Decimal("480.00")),))


def test_a_client_name_glued_into_one_word_is_recognised():
    match = one(line("200.00", "VIR BOULANGERIEPETIT"))
    assert match.allocations == (Allocation("FA2026-0015", Decimal("200.00")),)


def test_two_invoices_of_the_named_client_with_that_outstanding_are_left_for_a_person():
    match = one(line("850.00", "VIR SEPA RECU /DE MARTIN ET FILS"))
    assert (match.outcome, match.allocations) == ("unmatched", ())
    assert "FA2026-0013" in match.reason and "FA2026-0014" in match.reason
    assert match.reason.endswith("à confirmer avec PAYÉ FA2026-0013")


def test_an_equal_amount_without_the_client_named_is_left_for_a_person():
    match = one(line("1200.00", "VIREMENT RECU"))
    assert match.outcome == "unmatched"
    assert match.reason == (
        "montant égal au reste dû de FA2026-0012 (Durand SARL), mais le client n'est pas nommé : "
        "à confirmer avec PAYÉ FA2026-0012"
    )
    assert match.reason_en.endswith("confirm with PAYÉ FA2026-0012")


def test_a_named_client_with_another_amount_is_left_for_a_person_with_what_is_due():
    match = one(line("999.00", "VIR SEPA RECU /DE DURAND SARL"))
    assert match.outcome == "unmatched"
    assert "client nommé" in match.reason and "FA2026-0012 (Durand SARL, 1\u202f200,00\u00a0€)" in match.reason


def test_a_client_name_inside_a_longer_word_is_not_recognised():
    match = one(line("75.00", "VIR ROUXEL"))
    assert "n'est pas nommé" in match.reason


def test_debits_and_zero_amounts_are_ignored():
    debit, zero = match_lines([line("-1200.00", "PRLV FA2026-0012"), line("0", "INFO")], ITEMS)
    assert (debit.outcome, debit.reason) == ("ignored", "débit : ignoré")
    assert (zero.outcome, zero.allocations) == ("ignored", ())


def test_an_unknown_or_settled_number_is_named_in_the_reason():
    unknown = one(line("300.00", "REGLEMENT FA2026-0099"))
    assert unknown.outcome == "unmatched"
    assert unknown.reason.startswith("FA2026-0099 n'est pas une facture ouverte")
    settled = one(line("300.00", "REGLEMENT FA2026-0011"))
    assert settled.outcome == "unmatched" and "FA2026-0011 n'est pas une facture ouverte" in settled.reason


def test_a_wrong_number_is_never_overridden_by_amount_and_client():
    match = one(line("1200.00", "VIR DURAND SARL FA2026-0099"))
    assert (match.outcome, match.allocations) == ("unmatched", ())
    assert "à confirmer avec PAYÉ FA2026-0012" in match.reason


def test_an_open_number_cited_beside_an_unknown_one_is_paid_and_the_unknown_one_said():
    match = one(line("100.00", "ACOMPTE AC2026-0003 ET AC2026-0009"))
    assert (match.outcome, match.allocations) == ("paid", (Allocation("AC2026-0003", Decimal("100.00")),))
    assert "AC2026-0009 n'est pas une facture ouverte" in match.reason


def test_an_invoice_with_nothing_outstanding_is_never_matched():
    assert one(line("0.01", "DURAND SARL")).allocations == ()
