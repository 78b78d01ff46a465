"""Purchase entries by the French chart: charge, deductible VAT per rate, supplier; reverse charge; credit notes."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from accounting.purchases import propose_account, purchase_entry, supplier_aux_account
from tests.accounting.samples import BILLS, SETTINGS


def amounts(entry):
    return [(line.account, line.debit, line.credit) for line in entry.lines]


def test_bill_at_20_percent_debits_charge_and_vat_and_credits_the_supplier_tiers():
    entry = purchase_entry(BILLS[0], SETTINGS)
    assert amounts(entry) == [("6064", D("100.00"), D("0.00")), ("44566", D("20.00"), D("0.00")),
                              ("401", D("0.00"), D("120.00"))]
    supplier = entry.lines[-1]
    assert (supplier.aux_account, supplier.aux_label) == ("FOURNITURESGENERA", "Fournitures Générales SARL")
    assert (entry.journal, entry.piece_ref, entry.entry_date, entry.due_date) == ("HA", "F-2026-101", date(2026, 3, 2), date(2026, 4, 1))
    assert (entry.source_kind, entry.source_id) == ("bill", 11)
    assert entry.is_balanced()


def test_two_rates_give_one_vat_line_per_rate_named_with_its_rate():
    entry = purchase_entry(BILLS[2], SETTINGS)
    vat = [line for line in entry.lines if line.account == "44566"]
    assert [(line.debit, line.label.split(" É")[0]) for line in vat] == [(D("10.00"), "TVA 20 %"), (D("11.00"), "TVA 5,5 %")]
    assert entry.total_debit() == entry.total_credit() == D("271.00")


def test_credit_note_swaps_every_side_with_positive_amounts():
    bill = purchase_entry(replace(BILLS[3], is_credit_note=False, number="X"), SETTINGS)
    credit_note = purchase_entry(BILLS[3], SETTINGS)
    assert [(a, c, d) for a, d, c in amounts(bill)] == amounts(credit_note)
    assert credit_note.source_kind == "credit_note" and credit_note.label.startswith("Avoir ")
    assert credit_note.is_balanced()


def test_reverse_charge_books_deductible_and_due_vat_and_owes_the_supplier_only_the_net():
    entry = purchase_entry(BILLS[4], SETTINGS)
    assert amounts(entry) == [("6135", D("45.90"), D("0.00")), ("445662", D("9.18"), D("0.00")),
                              ("4452", D("0.00"), D("9.18")), ("401", D("0.00"), D("45.90"))]


def test_reverse_charge_vat_is_rounded_to_the_cent_half_up():
    bill = replace(BILLS[4], total_excl_tax=D("10.03"), total_incl_tax=D("10.03"), reverse_charge_rate=D("5.5"))
    assert amounts(purchase_entry(bill, SETTINGS))[1] == ("445662", D("0.55"), D("0.00"))


def test_bill_without_vat_lines_books_its_totals():
    bill = replace(BILLS[0], tax_lines=())
    assert amounts(purchase_entry(bill, SETTINGS)) == amounts(purchase_entry(BILLS[0], SETTINGS))


def test_vat_lines_that_do_not_make_the_total_are_refused():
    with pytest.raises(ValueError, match="121.00"):
        purchase_entry(replace(BILLS[0], total_incl_tax=D("121.00")), SETTINGS)


def test_journal_and_accounts_come_from_the_settings():
    settings = replace(SETTINGS, purchase_journal="AC", supplier_account="4010", deductible_vat_account="445660")
    entry = purchase_entry(BILLS[0], settings)
    assert entry.journal == "AC" and [line.account for line in entry.lines] == ["6064", "445660", "4010"]


@pytest.mark.parametrize("name, siren, code", [
    ("ACME SAS", None, "ACME"),
    ("Société Générale d'Électricité", None, "SOCIETEGENERALEDE"),
    ("  acme   sas ", "123456789", "ACME"),
    ("SARL", None, "SARL"),
    ("***", "123 456 789", "F123456789"),
    ("", None, "FOURNISSEUR"),
])
def test_supplier_tiers_code_is_capital_ascii_at_most_17_and_stable(name, siren, code):
    assert supplier_aux_account(name, siren) == code
    assert supplier_aux_account(name, siren) == supplier_aux_account(name, siren)


@pytest.mark.parametrize("text, account", [
    ("Facture EDF électricité mars", "6061"),
    ("Ramettes de papier et toners", "6064"),
    ("Abonnement fibre internet pro", "626"),
    ("Abonnement logiciel SaaS annuel", "6135"),
    ("Honoraires expert-comptable bilan 2025", "6226"),
    ("Billet de train Paris-Lyon", "6256"),
    ("Repas d'affaires restaurant", "6257"),
    ("Loyer du local avril", "6132"),
    ("Prime d'assurance multirisque", "616"),
    ("Frais de port et livraison", "6241"),
    ("Sous-traitance développement", "604"),
])
def test_category_words_propose_their_account_with_the_reason(text, account):
    proposed, reason = propose_account(text, None, SETTINGS)
    assert proposed == account
    assert reason.startswith("catégorie")


def test_the_suppliers_last_account_wins_over_the_category():
    assert propose_account("électricité", "6068", SETTINGS) == ("6068", "dernier compte utilisé pour ce fournisseur")


def test_unknown_words_get_the_configured_default():
    account, reason = propose_account("Facture n° 42", None, replace(SETTINGS, default_charge_account="6288"))
    assert account == "6288" and "défaut" in reason


def test_a_word_inside_another_is_not_a_category():
    # "gazon" contains "gaz" but is another word: it is not energy.
    assert propose_account("Tonte du gazon", None, SETTINGS)[0] == SETTINGS.default_charge_account
