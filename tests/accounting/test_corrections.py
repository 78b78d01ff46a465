"""The accountant's corrections: lines of a reply read as (piece, account, VAT rate), and their correcting entries."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from accounting.corrections import (
    Correction,
    CorrectionRefused,
    CorrectionsReply,
    correcting_entry,
    read_corrections,
)
from accounting.entries import BookedEntry, Entry, EntryLine
from accounting.purchases import PurchaseBill, purchase_entry
from gateway.config_sections import Accounting
from gateway.forwards import reply_text

SETTINGS = Accounting()
BOOKED_ON = date(2026, 3, 31)
CORRECTED_ON = date(2026, 4, 8)


# Reading a reply.

@pytest.mark.parametrize(("line", "piece", "account", "rate"), [
    ("FA2026-0012 compte 6064", "FA2026-0012", "6064", None),
    ("F-8841 TVA 10", "F-8841", None, D("10")),
    ("F-8841 compte 6064 TVA 10", "F-8841", "6064", D("10")),
    ("F-8841 TVA 10 et compte 2183.", "F-8841", "2183", D("10")),
    ("FA2026-0012 : compte 6064", "FA2026-0012", "6064", None),
    ("FA2026-0012 - compte 6064", "FA2026-0012", "6064", None),
    ("F-8841 → compte 6064", "F-8841", "6064", None),
    ("F-8841 -> cpte : 6064", "F-8841", "6064", None),
    ("F-8841 account 60640000", "F-8841", "60640000", None),
    ("f-8841 vat 20%", "f-8841", None, D("20")),
    ("- F/2026/12 Compte 6064", "F/2026/12", "6064", None),
    ("• 2026.03_114 TVA à 5,5 %", "2026.03_114", None, D("5.5")),
    ("1. HA000042 COMPTE 6063", "HA000042", "6063", None),
    ("Facture n° F-8841 : TVA 5.5 %, merci", "F-8841", None, D("5.5")),
    ("ÉCRITURE HA000042 compte de charge 6064", "HA000042", "6064", None),
])
def test_each_written_form_of_a_correction_gives_piece_account_and_rate(line, piece, account, rate):
    reply = read_corrections(line)
    assert reply.corrections == (Correction(line, piece, account, rate),)
    assert (reply.close, reply.unread) == (False, ())


@pytest.mark.parametrize(("written", "rate"), [
    ("5,5", D("5.5")), ("5.5 %", D("5.5")), ("5,5%", D("5.5")), ("20%", D("20")), ("20,0", D("20")),
    ("8,5", D("8.5")), ("2,1", D("2.1")), ("1,05", D("1.05")), ("0,9", D("0.9")), ("0", D("0")),
])
def test_french_vat_rates_are_read_with_a_comma_or_a_point_and_with_or_without_percent(written, rate):
    (correction,) = read_corrections(f"F-8841 TVA {written}").corrections
    assert correction.vat_rate == rate and str(correction.vat_rate) == str(rate)


def test_ok_alone_closes_the_month():
    assert read_corrections("OK") == read_corrections("ok\n") == CorrectionsReply((), True, ())


def test_ok_with_politeness_greeting_and_signature_closes_the_month_and_leaves_nothing_unread():
    # The text above the quote, cut as the parsed mail gives it (gateway.forwards.reply_text).
    body = reply_text("Bonjour Paul,\n\nOK, merci !\n\nBien cordialement,\nMarie Durand\nCabinet Durand Expertise\n"
                      "01 23 45 67 89\n\nLe 1 avr. 2026 à 09:00, <factures@entreprise.fr> a écrit :\n"
                      "> Écritures de mars 2026\n> F-8841 compte 6068\n")
    reply = read_corrections(body)
    assert (reply.corrections, reply.close, reply.unread) == ((), True, ())


def test_a_french_mail_with_greeting_several_corrections_and_signature_reads_every_correction():
    reply = read_corrections(
        "Bonjour,\n\nVoici mes corrections :\n- FA2026-0012 compte 6064\n- F-8841 TVA 5,5 %\n"
        "- HA000042 : compte 2183 TVA 20\nPour le reste c'est OK.\nMerci\n\nCordialement,\nMarie Durand\n"
        "Expert-comptable\nmarie@cabinet-durand.fr\n")
    assert [(c.piece, c.account, c.vat_rate) for c in reply.corrections] == [
        ("FA2026-0012", "6064", None), ("F-8841", None, D("5.5")), ("HA000042", "2183", D("20"))]
    assert reply.close is False
    # "OK" among other words is not taken for closing the month: the accountant is asked again.
    assert [line.line for line in reply.unread] == ["Pour le reste c'est OK."]
    assert "OK seul" in reply.unread[0].french


def test_corrections_and_ok_in_one_reply_give_both():
    reply = read_corrections("F-8841 compte 6064\nOK merci")
    assert reply.close is True and [c.piece for c in reply.corrections] == ["F-8841"] and reply.unread == ()


@pytest.mark.parametrize(("line", "shown"), [
    ("F-8841", "« F-8841 compte 6064 »"),
    ("F-8841 compte abc", "« abc » n'est pas un numéro de compte"),
    ("F-8841 compte 411DUPONT", "« 411DUPONT » n'est pas un numéro de compte"),
    ("F-8841 compte 60", "« 60 » n'est pas un numéro de compte"),
    ("F-8841 TVA 8", "« 8 » n'est pas un taux de TVA français (20, 10, 8,5, 5,5"),
    ("F-8841 TVA 19,6 %", "« 19,6 » n'est pas un taux de TVA français"),
    ("F-8841 TVA abc", "« abc » n'est pas un taux de TVA français"),
    ("compte 6064", "ne dit pas quelle pièce corriger"),
    ("F-8841 compte 6064 mais pas la TVA", "« mais pas la TVA »"),
    ("F-8841 compte 6064 OK", "« OK »"),
    ("Je regarde le reste demain", "Je n'ai pas compris « Je regarde le reste demain »"),
    ("OK sauf F-8841", "Je ne prends pas « OK sauf F-8841 » pour la clôture"),
])
def test_a_line_that_is_no_correction_is_unread_with_its_reason_and_an_example(line, shown):
    reply = read_corrections(line)
    assert (reply.corrections, reply.close) == ((), False)
    (unread,) = reply.unread
    assert unread.line == line and shown in unread.french and unread.english
    assert any(example in unread.french for example in ("compte 7061", "6064", "TVA 5,5"))


def test_two_different_accounts_for_one_piece_apply_neither_and_a_repeated_line_counts_once():
    reply = read_corrections("F-8841 compte 6064\nf-8841 compte 6063\nFA-1 TVA 10\nFA-1 TVA 10")
    assert [(c.piece, c.vat_rate) for c in reply.corrections] == [("FA-1", D("10"))]
    assert [line.line for line in reply.unread] == ["F-8841 compte 6064", "f-8841 compte 6063"]
    assert "deux corrections différentes" in reply.unread[0].french


def test_a_line_announcing_the_list_and_a_thank_you_are_ignored():
    reply = read_corrections("Voici les corrections à passer :\nF-8841 compte 6064\nMerci d'avance")
    assert [c.piece for c in reply.corrections] == ["F-8841"] and reply.unread == () and not reply.close


# Correcting entries.

def bill(number, charge_account, tax_lines, total_incl_tax, **options):
    base = sum((line[1] for line in tax_lines), D("0.00"))
    vat = sum((line[2] for line in tax_lines), D("0.00"))
    return PurchaseBill("ACME SAS", "552100554", number, date(2026, 3, 2), date(2026, 4, 1), charge_account,
                        tax_lines, base, vat, total_incl_tax, **options)


def booked(entry, number=42):
    return BookedEntry(number, entry, BOOKED_ON)


AT_20 = ((D("20"), D("100.00"), D("20.00")),)
OFFICE = booked(purchase_entry(bill("F-2026-101", "6068", AT_20, D("120.00")), SETTINGS))
CATERER = booked(purchase_entry(bill("CMD-55", "6257", ((D("20"), D("50.00"), D("10.00")),
                                                         (D("5.5"), D("200.00"), D("11.00"))), D("271.00")), SETTINGS))
CLOUD = booked(purchase_entry(PurchaseBill("Hetzner Online GmbH", None, "R0012345678", date(2026, 3, 15), None, "6135",
                                           (), D("45.90"), D("0.00"), D("45.90"), reverse_charge=True), SETTINGS))
SUPPLIER_CREDIT = booked(purchase_entry(bill("AV-7", "6064", ((D("20"), D("-20.00"), D("-4.00")),), D("-24.00"),
                                             is_credit_note=True), SETTINGS))
# A final invoice of services and goods at 20 %, less a deposit of 100 HT invoiced before.
SALE = booked(Entry("VT", date(2026, 3, 10), "FA2026-0012", date(2026, 3, 10), "Dupont SARL FA2026-0012", (
    EntryLine("411", "Dupont SARL FA2026-0012", debit=D("1080.00"), aux_account="DUPONT", aux_label="Dupont SARL"),
    EntryLine("4191", "Dupont SARL FA2026-0012", debit=D("100.00")),
    EntryLine("706", "Dupont SARL FA2026-0012", credit=D("600.00")),
    EntryLine("707", "Dupont SARL FA2026-0012", credit=D("400.00")),
    EntryLine("44571", "TVA 20 % Dupont SARL FA2026-0012", credit=D("180.00")),
), source_kind="issued", source_id=7), number=50)
DEPOSIT = booked(Entry("VT", date(2026, 3, 1), "FA2026-0010", date(2026, 3, 1), "Acompte Dupont SARL FA2026-0010", (
    EntryLine("411", "Acompte Dupont SARL FA2026-0010", debit=D("120.00"), aux_account="DUPONT"),
    EntryLine("4191", "Acompte Dupont SARL FA2026-0010", credit=D("100.00")),
    EntryLine("44571", "TVA 20 % Acompte Dupont SARL FA2026-0010", credit=D("20.00")),
), source_kind="issued", source_id=6), number=49)
PAYMENT = booked(Entry("BQ", date(2026, 3, 20), "FA2026-0012", date(2026, 3, 20), "Virement Dupont", (
    EntryLine("512", "Virement Dupont", debit=D("1080.00")),
    EntryLine("411", "Virement Dupont", credit=D("1080.00"), aux_account="DUPONT"),
), source_kind="payment"), number=51)


def correct(original, piece_line, earlier=()):
    (correction,) = read_corrections(piece_line).corrections
    entry = correcting_entry(original, list(earlier), correction, SETTINGS, CORRECTED_ON)
    assert entry.is_balanced()
    assert all(line.debit >= 0 and line.credit >= 0 and (line.debit == 0 or line.credit == 0) for line in entry.lines)
    return entry


def amounts(entry):
    return [(line.account, line.debit, line.credit) for line in entry.lines]


def nets(*entries):
    """Debit less credit per account over the entries: the booking as it stands."""
    totals = {}
    for entry in entries:
        for line in entry.lines:
            totals[line.account] = totals.get(line.account, D("0.00")) + line.debit - line.credit
    return {account: amount for account, amount in totals.items() if amount}


def test_account_correction_moves_the_charge_of_every_rate_and_keeps_journal_piece_and_source():
    entry = correct(CATERER, "CMD-55 compte 6256")
    assert amounts(entry) == [("6257", D("0"), D("250.00")), ("6256", D("250.00"), D("0"))]
    assert (entry.journal, entry.piece_ref, entry.piece_date, entry.entry_date) == (
        "HA", "CMD-55", date(2026, 3, 2), CORRECTED_ON)
    assert (entry.source_kind, entry.source_id) == ("correction", 42)
    assert entry.label == "Correction ACME SAS CMD-55 : compte 6257 -> 6256"
    assert {line.label for line in entry.lines} == {"Correction ACME SAS CMD-55 : compte 6257 -> 6256"}
    assert nets(CATERER.entry, entry) == {"6256": D("250.00"), "44566": D("21.00"), "401": D("-271.00")}


def test_account_correction_of_a_sales_invoice_moves_706_and_707_but_not_the_deposit():
    entry = correct(SALE, "FA2026-0012 compte 7088")
    assert amounts(entry) == [("706", D("600.00"), D("0")), ("7088", D("0"), D("600.00")),
                              ("707", D("400.00"), D("0")), ("7088", D("0"), D("400.00"))]
    assert entry.journal == "VT" and entry.label == "Correction Dupont SARL FA2026-0012 : compte 706 + 707 -> 7088"
    assert nets(SALE.entry, entry)["4191"] == D("100.00")


def test_a_sales_invoice_already_partly_on_the_account_moves_only_the_other_product():
    entry = correct(SALE, "FA2026-0012 compte 706")
    assert amounts(entry) == [("707", D("400.00"), D("0")), ("706", D("0"), D("400.00"))]


@pytest.mark.parametrize(("original", "line", "shown"), [
    (OFFICE, "F-2026-101 compte 706", "s'impute en classe 6 (charges) ou 2 (immobilisations), pas sur le compte 706"),
    (OFFICE, "F-2026-101 compte 401", "pas sur le compte 401"),
    (SALE, "FA2026-0012 compte 6064", "s'impute en classe 7 (produits), pas sur le compte 6064"),
    (PAYMENT, "FA2026-0012 compte 7088", "est un règlement (journal BQ)"),
    (PAYMENT, "FA2026-0012 TVA 10", "est un règlement (journal BQ)"),
    (DEPOSIT, "FA2026-0010 compte 7088", "FA2026-0010 n'a aucun montant à changer de compte"),
    (OFFICE, "F-2026-101 compte 6068", "déjà sur le compte 6068"),
    (OFFICE, "F-2026-101 TVA 20", "déjà à la TVA 20 %"),
    (CLOUD, "R0012345678 TVA 20", "déjà à la TVA autoliquidée 20 %"),
    (SALE, "FA2026-0012 TVA 10", "se corrige par un avoir (AVOIR FA2026-0012"),
    (SALE, "FA2026-0012 compte 7088 TVA 10", "se corrige par un avoir (AVOIR FA2026-0012"),
])
def test_a_correction_that_does_not_fit_the_entry_is_refused_in_french_and_english(original, line, shown):
    (correction,) = read_corrections(line).corrections
    with pytest.raises(CorrectionRefused) as refused:
        correcting_entry(original, [], correction, SETTINGS, CORRECTED_ON)
    assert shown in refused.value.french and refused.value.english and str(refused.value) == refused.value.french


def test_vat_20_to_10_keeps_the_ttc_and_splits_it_into_109_09_and_10_91():
    entry = correct(OFFICE, "F-2026-101 TVA 10")
    # The VAT at 20 % is reversed and booked again at 10 %, so that each rate's total is right.
    assert amounts(entry) == [("6068", D("9.09"), D("0")), ("44566", D("0"), D("20.00")), ("44566", D("10.91"), D("0"))]
    assert entry.label == "Correction ACME SAS F-2026-101 : TVA 20 % -> 10 %"
    assert nets(OFFICE.entry, entry) == {"6068": D("109.09"), "44566": D("10.91"), "401": D("-120.00")}


def test_a_bill_at_two_rates_goes_whole_to_the_one_rate_given():
    entry = correct(CATERER, "CMD-55 TVA 5,5")
    # 271.00 / 1.055 = 256.872… → 256.87 HT and 14.13 VAT, against 250.00 and 21.00 booked.
    assert amounts(entry) == [("6257", D("6.87"), D("0")), ("44566", D("0"), D("10.00")), ("44566", D("0"), D("11.00")),
                              ("44566", D("14.13"), D("0"))]
    assert entry.label.endswith(": TVA 20 % + 5,5 % -> 5,5 %")


def test_a_supplier_credit_note_changes_rate_with_its_sides_swapped():
    entry = correct(SUPPLIER_CREDIT, "AV-7 TVA 10")
    assert amounts(entry) == [("6064", D("0"), D("1.82")), ("44566", D("4.00"), D("0")), ("44566", D("0"), D("2.18"))]
    assert nets(SUPPLIER_CREDIT.entry, entry) == {"6064": D("-21.82"), "44566": D("-2.18"), "401": D("24.00")}


def test_reverse_charge_keeps_the_ht_and_books_the_self_assessed_vat_at_the_new_rate():
    entry = correct(CLOUD, "R0012345678 TVA 10")
    assert amounts(entry) == [("445662", D("0"), D("9.18")), ("445662", D("4.59"), D("0")),
                              ("4452", D("9.18"), D("0")), ("4452", D("0"), D("4.59"))]
    assert entry.label.endswith(": TVA autoliquidée 20 % -> 10 %")
    assert nets(CLOUD.entry, entry) == {"6135": D("45.90"), "445662": D("4.59"), "4452": D("-4.59"), "401": D("-45.90")}


def test_a_second_account_correction_moves_what_the_first_one_booked():
    first = correct(OFFICE, "F-2026-101 compte 6064")
    second = correct(OFFICE, "F-2026-101 compte 6063", [booked(first, 60)])
    assert amounts(second) == [("6064", D("0"), D("100.00")), ("6063", D("100.00"), D("0"))]
    assert nets(OFFICE.entry, first, second) == {"6063": D("100.00"), "44566": D("20.00"), "401": D("-120.00")}
    with pytest.raises(CorrectionRefused, match="déjà sur le compte 6064"):
        correct(OFFICE, "F-2026-101 compte 6064", [booked(first, 60)])


def test_a_second_rate_correction_starts_from_the_rate_and_account_booked_by_the_first_ones():
    moved = booked(correct(OFFICE, "F-2026-101 compte 6064"), 60)
    to_ten = booked(correct(OFFICE, "F-2026-101 TVA 10", [moved]), 61)
    assert amounts(to_ten.entry) == [("6064", D("9.09"), D("0")), ("44566", D("0"), D("20.00")),
                                     ("44566", D("10.91"), D("0"))]
    to_five = correct(OFFICE, "F-2026-101 TVA 5,5", [moved, to_ten])
    # 120.00 / 1.055 = 113.744… → 113.74 HT and 6.26 VAT, against 109.09 and 10.91 now.
    # Only the rate booked now (10 %) is reversed: the 20 % of the bill nets to nothing after the first.
    assert amounts(to_five) == [("6064", D("4.65"), D("0")), ("44566", D("0"), D("10.91")), ("44566", D("6.26"), D("0"))]
    assert to_five.label.endswith(": TVA 10 % -> 5,5 %")
    with pytest.raises(CorrectionRefused, match="déjà à la TVA 10 %"):
        correct(OFFICE, "F-2026-101 TVA 10", [moved, to_ten])


def test_a_second_reverse_charge_correction_starts_from_the_vat_booked_by_the_first():
    first = booked(correct(CLOUD, "R0012345678 TVA 10"), 60)
    second = correct(CLOUD, "R0012345678 TVA 5,5", [first])
    assert amounts(second) == [("445662", D("0"), D("4.59")), ("445662", D("2.52"), D("0")),
                               ("4452", D("4.59"), D("0")), ("4452", D("0"), D("2.52"))]
    assert second.label.endswith(": TVA autoliquidée 10 % -> 5,5 %")


def test_account_and_rate_on_one_line_give_one_entry_whose_vat_difference_goes_to_the_new_account():
    entry = correct(OFFICE, "F-2026-101 compte 6064 TVA 10")
    assert amounts(entry) == [("6068", D("0"), D("100.00")), ("6064", D("100.00"), D("0")),
                              ("6064", D("9.09"), D("0")), ("44566", D("0"), D("20.00")), ("44566", D("10.91"), D("0"))]
    assert entry.label == "Correction ACME SAS F-2026-101 : compte 6068 -> 6064, TVA 20 % -> 10 %"


def test_an_account_already_right_beside_a_new_rate_books_the_rate_alone():
    entry = correct(OFFICE, "F-2026-101 compte 6068 TVA 10")
    assert amounts(entry) == [("6068", D("9.09"), D("0")), ("44566", D("0"), D("20.00")), ("44566", D("10.91"), D("0"))]
    assert entry.label == "Correction ACME SAS F-2026-101 : TVA 20 % -> 10 %"


def test_a_long_original_label_is_cut_so_that_the_change_stays_whole_within_255_characters():
    bill_entry = purchase_entry(bill("F-9", "6068", AT_20, D("120.00")), SETTINGS)
    long_named = booked(replace(bill_entry, label="Très long fournisseur " * 20))
    entry = correct(long_named, "F-9 compte 6064 TVA 10")
    assert all(len(label) <= 255 for label in (entry.label, *(line.label for line in entry.lines)))
    assert entry.label.startswith("Correction Très long")
    assert entry.label.endswith(" : compte 6068 -> 6064, TVA 20 % -> 10 %")


def test_a_rate_correction_of_a_bill_on_two_charge_accounts_asks_for_one_account_first():
    label = "ACME SAS F-10"
    two_accounts = booked(Entry("HA", date(2026, 3, 2), "F-10", date(2026, 3, 2), label, (
        EntryLine("6064", label, debit=D("100.00")), EntryLine("2183", label, debit=D("500.00")),
        EntryLine("44566", f"TVA 20 % {label}", debit=D("120.00")),
        EntryLine("401", label, credit=D("720.00"), aux_account="ACME", aux_label="ACME SAS"),
    ), source_kind="bill"))
    with pytest.raises(CorrectionRefused, match=r"plus d'un compte de charge \(6064, 2183\)"):
        correct(two_accounts, "F-10 TVA 10")
    # Once moved to one account, the same rate correction is booked.
    moved = booked(correct(two_accounts, "F-10 compte 2183"), 60)
    assert amounts(moved.entry) == [("6064", D("0"), D("100.00")), ("2183", D("100.00"), D("0"))]
    assert amounts(correct(two_accounts, "F-10 TVA 10", [moved])) == [("2183", D("54.55"), D("0")),
                                                                       ("44566", D("0"), D("120.00")),
                                                                       ("44566", D("65.45"), D("0"))]
