"""The command grammar, read as the user guide: what each reply means, and what is never an approval."""

from datetime import date
from decimal import Decimal

import pytest

from gateway.command_values import UnreadableValue, parse_amount, parse_date
from gateway.commands import Command, help_for, parse_commands, unreadable_answer

BILL_VALIDATION = {"approve", "reject", "correct", "duplicate", "new"}
REMINDERS = {"paid", "pause", "resume", "stop", "status"}


def only(reply: str, allowed=None) -> Command:
    parsed = parse_commands(reply, allowed)
    assert parsed.ambiguity is None and not parsed.unread, (parsed.unread, parsed.ambiguity)
    assert len(parsed.commands) == 1, parsed.commands
    return parsed.commands[0]


@pytest.mark.parametrize(
    "reply",
    [
        "OK", "Ok.", "ok !", "OK!!", "oK", "  OK  ", "OUI", "Oui.", "D'accord", "D’accord", "d accord", "Validé",
        "VALIDÉ", "valide", "Je valide", "je valide.", "Bon pour accord", "Bon à payer", "Approuvé", "J'approuve",
        "Accepté", "Je confirme", "Yes", "Approved", "Confirm", "Confirmed", "Agreed", "OK merci", "Ok, merci !",
        "OK merci beaucoup", "Merci, OK", "OK pour moi", "C'est OK", "Tout est OK pour moi", "Oui c'est bon",
        "OK parfait, merci", "OK d'accord", "Validé, merci. Bonne journée", "OK thanks", "Yes, thank you",
        "OK 👍", "✅ OK", "OK :)", "- OK", "Bonjour, OK", "Ok svp",
    ],
)
def test_reply_approves(reply):
    assert only(reply).name == "approve"
    assert parse_commands(reply).approved


@pytest.mark.parametrize(
    "reply",
    [
        "OK\n\nCordialement,\nMarie",
        "Bonjour,\n\nOK pour moi.\n\nBonne journée\nMarie Durand\nComptable - ACME SAS\nTél. 01 23 45 67 89",
        "OK\nMarie",
        "OK\n\nMarie Durand\nComptable\nACME SAS\n01 23 45 67 89\nmarie@acme.fr",
        "Bonjour Paul,\n\nje valide\n\nMerci",
        "Bonjour à tous,\nOK",
        "OK\n\nEnvoyé de mon iPhone",
        "Validé\n\nSent from my iPhone",
        "OK\n-- \nMarie Durand\nDirectrice administrative et financière, pas joignable le lundi",
        ("OK\n\nCordialement\nMarie\n\nCe message et ses pièces jointes sont confidentiels. Si vous n'êtes pas "
         "le destinataire, merci de le détruire."),
        "OK\nBest regards,\nJohn Smith",
        "Merci,\nOK",
        "OK\nOK",
        "OK\nOui",
        "\n\n  OK  \n\n",
        "OK\r\n\r\nCordialement\r\n",
        "OK\n> Validez-vous la facture ?",
    ],
    ids=[
        "signoff-name", "greeting-signature-phone", "trailing-name", "signature-block-without-signoff",
        "greeting-with-name", "greeting-to-all", "iphone-footer", "english-footer", "sig-dashes",
        "legal-notice", "english-signoff", "thanks-first", "twice", "ok-then-oui", "blank-lines", "crlf",
        "quote-marker",
    ],
)
def test_greetings_signoffs_and_signatures_leave_a_clean_approval(reply):
    assert only(reply).name == "approve"


@pytest.mark.parametrize(
    "reply",
    [
        "pas OK", "Pas ok.", "not ok", "NOT OK", "OK ?", "ok?", "Ok ?!", "OK…", "OK...", "ok mais il manque la remise",
        "OK mais", "ok sauf la TVA", "OK but the VAT is wrong", "OK, sauf erreur", "NON", "je ne valide pas",
        "je valide pas", "Je ne valide pas encore", "Ce n'est pas OK", "OK pour le HT", "OK pour moi si la TVA est bonne",
        "OK je pense", "ok peut-être", "presque OK", "ok non", "OK NON", "OK KO", "OK : voir avec Paul", "OK ? Merci",
        "Oui mais non", "OK en attente du bon de livraison", "ok Paul", "👍", "👌", "C'est bon", "Parfait", "Super merci",
        "Nickel", "Looks good", "No problem", "Non merci", "D'accord ?", "Bon pour accord ?", "o.k.",
        "OK\nmais attention au montant", "OK\nTrop cher", "OK\nMerci,\nmais attention au montant",
        "OK\nCordialement\nMarie\nPS : finalement pas OK", "OK\nNON trop cher", "OK\nTTC: 12,3,4",
        "OK\nPAYÉ FA-12", "Non, c'est OK", "OK\nDOUBLON", "",
    ],
)
def test_negation_doubt_or_extra_words_are_never_an_approval(reply):
    parsed = parse_commands(reply, BILL_VALIDATION)
    assert not parsed.approved
    assert "approve" not in parsed.names


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("NON", ""),
        ("Non.", ""),
        ("NON trop cher", "trop cher"),
        ("Non, ce n'est pas notre commande", "ce n'est pas notre commande"),
        ("Non, pas OK : montant faux", "pas OK : montant faux"),
        ("Refusé : pas commandé", "pas commandé"),
        ("REFUSÉ", ""),
        ("Je refuse, le devis était à 800 €", "le devis était à 800 €"),
        ("Rejeté - mauvais fournisseur", "mauvais fournisseur"),
        ("NO wrong amount", "wrong amount"),
        ("Reject: not ours", "not ours"),
        ("Rejected", ""),
        ("Non merci beaucoup", ""),
        ("NON, pas d'accord avec le montant", "pas d'accord avec le montant"),
        ("NON, accord refusé par la direction", "accord refusé par la direction"),
        ("NON\nLe montant est faux.\nIl manque la remise.\n\nCordialement\nMarie",
         "Le montant est faux. Il manque la remise."),
    ],
)
def test_refusal_keeps_its_motif(reply, reason):
    command = only(reply, BILL_VALIDATION)
    assert command.name == "reject"
    assert command.args == {"reason": reason}


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1 234,56", "1234.56"), ("1\u202f234,56\u00a0€", "1234.56"), ("1\u00a0234,56", "1234.56"),
        ("1 234,56 €", "1234.56"), ("1.234,56", "1234.56"), ("1,234.56", "1234.56"), ("1234.56", "1234.56"),
        ("1234,56", "1234.56"), ("-12,00", "-12.00"), ("\u221212,00", "-12.00"), ("12", "12.00"), ("12,5", "12.50"),
        ("0,99 EUR", "0.99"), ("€ 1 000", "1000.00"), ("1 234 567,89", "1234567.89"), ("1,234,567", "1234567.00"),
        ("1.234.567,89", "1234567.89"), ("12'345.60", "12345.60"), ("150 euros", "150.00"),
    ],
)
def test_amounts_are_read_to_the_cent(text, amount):
    assert parse_amount(text) == Decimal(amount)
    assert only(f"TTC: {text}").args == {"field": "total_incl_tax", "value": Decimal(amount)}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1,234", "deux façons"), ("1.234", "deux façons"), ("1234,5678", "trop de décimales"),
        ("12 34,56", "milliers"), ("1.234.56", "mélange"), ("12,3,4", "milliers"), ("douze", "n'est pas un montant"),
        ("12 $", "n'est pas un montant"), ("", "n'est pas un montant"), ("1,2,3.4.5", "milliers"),
    ],
)
def test_unreadable_amounts_are_refused_with_a_reason(text, reason):
    with pytest.raises(UnreadableValue) as refused:
        parse_amount(text)
    assert reason in refused.value.french


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/03/2026", date(2026, 3, 15)), ("5/3/2026", date(2026, 3, 5)), ("15-03-26", date(2026, 3, 15)),
        ("15.03.2026", date(2026, 3, 15)), ("2026-03-15", date(2026, 3, 15)), ("15 mars 2026", date(2026, 3, 15)),
        ("1er avril 2026", date(2026, 4, 1)), ("15 avril 2026", date(2026, 4, 15)), ("15 AVRIL 2026", date(2026, 4, 15)),
        ("15 avr. 2026", date(2026, 4, 15)), ("1 février 2026", date(2026, 2, 1)), ("15 août 2026", date(2026, 8, 15)),
        ("le 15 décembre 2026", date(2026, 12, 15)), ("lundi 16 mars 2026", date(2026, 3, 16)),
        ("March 15, 2026", date(2026, 3, 15)), ("March 15th, 2026", date(2026, 3, 15)),
        ("Mar 15 2026", date(2026, 3, 15)), ("15 March 2026", date(2026, 3, 15)), ("1st April 2026", date(2026, 4, 1)),
    ],
)
def test_dates_are_read_day_first(text, expected):
    assert parse_date(text) == expected
    assert only(f"Échéance : {text}").args == {"field": "due_date", "value": expected}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/02/2026", "n'existe pas"), ("03/15/2026", "n'existe pas"), ("15/03", "pas une date complète"),
        ("15 mars", "pas une date complète"), ("demain", "pas une date complète"), ("15/03/1926", "pas plausible"),
        ("15 floréal 2026", "pas une date complète"),
    ],
)
def test_unreadable_dates_are_refused_with_a_reason(text, reason):
    with pytest.raises(UnreadableValue) as refused:
        parse_date(text)
    assert reason in refused.value.french


@pytest.mark.parametrize(
    ("reply", "args"),
    [
        ("TTC: 1 234,56", {"field": "total_incl_tax", "value": Decimal("1234.56")}),
        ("Total TTC = 1234.56", {"field": "total_incl_tax", "value": Decimal("1234.56")}),
        ("Montant TTC : 99,90 €", {"field": "total_incl_tax", "value": Decimal("99.90")}),
        ("Net à payer : 120", {"field": "total_incl_tax", "value": Decimal("120.00")}),
        ("HT: 1 028,80", {"field": "total_excl_tax", "value": Decimal("1028.80")}),
        ("total ht = 1028.8", {"field": "total_excl_tax", "value": Decimal("1028.80")}),
        ("TVA: 205,76", {"field": "total_tax", "value": Decimal("205.76")}),
        ("VAT: 205.76", {"field": "total_tax", "value": Decimal("205.76")}),
        ("TVA 20: 200,00", {"field": "tax_line", "rate": Decimal("20"), "value": Decimal("200.00")}),
        ("TVA 20 % : 200,00", {"field": "tax_line", "rate": Decimal("20"), "value": Decimal("200.00")}),
        ("TVA à 5,5 % : 10,45", {"field": "tax_line", "rate": Decimal("5.5"), "value": Decimal("10.45")}),
        ("TVA 5.5: 10,45", {"field": "tax_line", "rate": Decimal("5.5"), "value": Decimal("10.45")}),
        ("Numéro: F-2026-114", {"field": "number", "value": "F-2026-114"}),
        ("N° : F-2026-114", {"field": "number", "value": "F-2026-114"}),
        ("numero de facture : FA 2026 0012", {"field": "number", "value": "FA 2026 0012"}),
        ("Date: 15/03/2026", {"field": "issue_date", "value": date(2026, 3, 15)}),
        ("Date de facture : 1er mars 2026", {"field": "issue_date", "value": date(2026, 3, 1)}),
        ("Échéance: 30/04/2026", {"field": "due_date", "value": date(2026, 4, 30)}),
        ("ECHEANCE : 15 avril 2026", {"field": "due_date", "value": date(2026, 4, 15)}),
        ("Due date: April 30, 2026", {"field": "due_date", "value": date(2026, 4, 30)}),
        ("Fournisseur: ACME SAS", {"field": "supplier.name", "value": "ACME SAS"}),
        ("fournisseur :   Plomberie  Martin & Fils ", {"field": "supplier.name", "value": "Plomberie Martin & Fils"}),
        ("SIREN: 732 829 320", {"field": "supplier.siren", "value": "732829320"}),
        ("SIRET : 732 829 320 00074", {"field": "supplier.siret", "value": "73282932000074"}),
        ("N° TVA : FR44 732829320", {"field": "supplier.vat_number", "value": "FR44732829320"}),
        ("IBAN: FR76 3000 6000 0112 3456 7890 189", {"field": "supplier.iban", "value": "FR7630006000011234567890189"}),
        ("Compte: 6064", {"field": "account", "value": "6064"}),
        ("Compte comptable : 401acme", {"field": "account", "value": "401ACME"}),
        ("Devise : €", {"field": "currency", "value": "EUR"}),
    ],
)
def test_corrections_are_read_with_their_values(reply, args):
    command = only(reply)
    assert command.name == "correct"
    assert command.args == args


@pytest.mark.parametrize(
    ("reply", "code", "reason"),
    [
        ("TTC: 1,234", "bad_value", "deux façons"),
        ("TTC: douze euros", "bad_value", "n'est pas un montant"),
        ("TTC:", "missing_value", "Il manque la valeur"),
        ("Total: 1 234,56", "unclear_field", "HT ou du TTC"),
        ("Montant = 12", "unclear_field", "HT ou du TTC"),
        ("Date: 15/03", "bad_value", "pas une date complète"),
        ("Échéance: fin du mois", "bad_value", "pas une date complète"),
        ("SIREN: 732 829 321", "bad_value", "clé du SIREN"),
        ("SIREN: 73282932", "bad_value", "9 chiffres"),
        ("IBAN: FR76 3000 6000 0112 3456 7890 188", "bad_value", "clé de l'IBAN"),
        ("IBAN: 1234", "bad_value", "forme d'un IBAN"),
        ("N° TVA : FR45 732829320", "bad_value", "ne correspond pas au SIREN"),
        ("Compte: six cent", "bad_value", "compte comptable"),
        ("TVA 120: 12", "bad_value", "pas plausible"),
        ("Remarque : à payer vite", "unknown", "pas compris"),
    ],
)
def test_unreadable_correction_is_reported_never_guessed(reply, code, reason):
    parsed = parse_commands(reply)
    assert parsed.commands == ()
    assert [(item.code, item.line) for item in parsed.unread] == [(code, reply.strip())]
    assert reason in parsed.unread[0].french and parsed.unread[0].english


def test_several_corrections_are_read_together():
    parsed = parse_commands("Bonjour,\nTTC : 1 234,56\nHT : 1 028,80\nÉchéance : 30/04/2026\nMerci\nMarie")
    assert [command.args["field"] for command in parsed.commands] == ["total_incl_tax", "total_excl_tax", "due_date"]
    assert parsed.unread == () and parsed.ambiguity is None


def test_corrections_then_ok_correct_and_approve():
    parsed = parse_commands("TTC: 1 234,56\nOK")
    assert parsed.names == {"correct", "approve"} and parsed.approved


@pytest.mark.parametrize(
    ("reply", "args"),
    [
        ("PAYÉ FA2026-0012", {"reference": "FA2026-0012"}),
        ("payé FA2026-0012 1 234,56", {"reference": "FA2026-0012", "amount": Decimal("1234.56")}),
        ("PAYE FA2026-0012 1 234,56 € 15/03/2026",
         {"reference": "FA2026-0012", "amount": Decimal("1234.56"), "date": date(2026, 3, 15)}),
        ("PAID FA2026-0012 1,234.56 March 15, 2026",
         {"reference": "FA2026-0012", "amount": Decimal("1234.56"), "date": date(2026, 3, 15)}),
        ("Réglé FA-1 le 15 mars 2026 1 200 €", {"reference": "FA-1", "amount": Decimal("1200.00"), "date": date(2026, 3, 15)}),
        ("Payée F-2026-114 le 1er avril 2026", {"reference": "F-2026-114", "date": date(2026, 4, 1)}),
        ("PAYÉ facture 114 50,00", {"reference": "114", "amount": Decimal("50.00")}),
        ("PAYÉ n°114", {"reference": "114"}),
        ("PAYÉ 1 234,56", {"amount": Decimal("1234.56")}),
        ("PAYÉ", {}),
        ("PAYÉ FA2026-0012, merci", {"reference": "FA2026-0012"}),
    ],
)
def test_paid_reads_invoice_amount_and_date(reply, args):
    command = only(reply, REMINDERS)
    assert command.name == "paid"
    assert command.args == args


@pytest.mark.parametrize(
    "reply",
    ["PAYÉ FA2026-0012 hier", "PAYÉ FA2026-0012 1,234", "PAYÉ FA-1 15/03", "PAYÉ FA-1 par erreur"],
)
def test_paid_with_unreadable_amount_or_date_is_reported(reply):
    parsed = parse_commands(reply, REMINDERS)
    assert parsed.commands == () and parsed.unread[0].code == "unread_arguments"
    assert "PAYÉ FA2026-0012 1 234,56 15/03/2026" in parsed.unread[0].french


@pytest.mark.parametrize(
    ("reply", "name", "args"),
    [
        ("PAUSE", "pause", {}),
        ("PAUSE FA2026-0012", "pause", {"invoice": "FA2026-0012"}),
        ("pause FA2026-0012 jusqu'au 30/04/2026", "pause", {"invoice": "FA2026-0012", "until": date(2026, 4, 30)}),
        ("Pause ACME jusqu’au 15 mai 2026", "pause", {"client": "ACME", "until": date(2026, 5, 15)}),
        ("PAUSE client Boulangerie Dupont 15 jours", "pause", {"client": "Boulangerie Dupont", "days": 15}),
        ("PAUSE les relances ACME pendant 2 semaines", "pause", {"client": "ACME", "days": 14}),
        ("PAUSE 10 jours", "pause", {"days": 10}),
        ("PAUSE FA-12 1 mois", "pause", {"invoice": "FA-12", "months": 1}),
        ("PAUSE ACME until April 30, 2026", "pause", {"client": "ACME", "until": date(2026, 4, 30)}),
        ("Suspendre FA-12", "pause", {"invoice": "FA-12"}),
        ("REPRENDRE FA2026-0012", "resume", {"invoice": "FA2026-0012"}),
        ("Reprendre les relances ACME", "resume", {"client": "ACME"}),
        ("RESUME", "resume", {}),
        ("STOP", "stop", {}),
        ("STOP FA2026-0012", "stop", {"invoice": "FA2026-0012"}),
        ("Stop client ACME SAS", "stop", {"client": "ACME SAS"}),
        ("STATUT", "status", {}),
        ("Statut FA2026-0012", "status", {"invoice": "FA2026-0012"}),
        ("STATUS ACME", "status", {"client": "ACME"}),
        ("État", "status", {}),
    ],
)
def test_reminder_commands_read_their_target_and_delay(reply, name, args):
    command = only(reply, REMINDERS)
    assert (command.name, command.args) == (name, args)


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        ("PAUSE FA-12 jusqu'au 30/04", "bad_value"),
        ("PAUSE FA-12 jusqu'au 31/02/2026", "bad_value"),
        ("STOP 2 jours", "unread_arguments"),
        ("REPRENDRE jusqu'au 15/04/2026", "unread_arguments"),
        ("STOP facture", "unread_arguments"),
        ("STATUT 2026", "unread_arguments"),
    ],
)
def test_reminder_commands_with_unreadable_arguments_are_reported(reply, code):
    parsed = parse_commands(reply, REMINDERS)
    assert parsed.commands == () and parsed.unread[0].code == code


@pytest.mark.parametrize(
    ("reply", "name", "args"),
    [
        ("DOUBLON", "duplicate", {}),
        ("Doublon.", "duplicate", {}),
        ("C'est un doublon", "duplicate", {}),
        ("DOUBLON de F-2026-114", "duplicate", {"reference": "F-2026-114"}),
        ("Duplicate of INV-3", "duplicate", {"reference": "INV-3"}),
        ("NOUVEAU", "new", {}),
        ("Nouvelle facture", "new", {}),
        ("Pas un doublon", "new", {}),
        ("new", "new", {}),
        ("AIDE", "help", {}),
        ("Aide svp", "help", {}),
        ("HELP", "help", {}),
        ("?", "help", {}),
    ],
)
def test_verdict_and_help_words(reply, name, args):
    command = only(reply, BILL_VALIDATION)
    assert (command.name, command.args) == (name, args)


def test_duplicate_with_free_text_is_reported():
    parsed = parse_commands("DOUBLON mais pas sûr", BILL_VALIDATION)
    assert parsed.commands == () and parsed.unread[0].code == "unread_arguments"


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        ("OK\nNON", "contradiction"),
        ("NON trop cher\nOK", "contradiction"),
        ("Je valide\nDOUBLON", "contradiction"),
        ("DOUBLON\nNOUVEAU", "contradiction"),
        ("NON\nTTC: 1 234,56", "contradiction"),
        ("TTC: 100\nTTC: 200", "contradiction"),
        ("TVA 20: 100\nTVA 20: 150", "contradiction"),
        ("OK\nok mais la TVA", "approval_with_unread"),
        ("OK\nLe fournisseur a changé d'adresse", "approval_with_unread"),
        ("OK\nTTC: 12,3,4", "approval_with_unread"),
        ("OK\nPAYÉ FA-12", "approval_with_unread"),
        ("NON trop cher\nOK ?", "doubt"),
    ],
)
def test_contradictory_reply_is_ambiguous_and_nothing_is_applied(reply, code):
    parsed = parse_commands(reply, BILL_VALIDATION)
    assert parsed.commands == () and not parsed.approved
    assert parsed.ambiguity.code == code
    assert parsed.ambiguity.french and parsed.ambiguity.english
    assert parsed.set_aside


def test_pause_and_resume_of_the_same_invoice_contradict_but_not_of_two_invoices():
    assert parse_commands("PAUSE FA-1\nREPRENDRE FA-1", REMINDERS).ambiguity.code == "contradiction"
    parsed = parse_commands("PAUSE FA-1\nREPRENDRE FA-2", REMINDERS)
    assert parsed.ambiguity is None and parsed.names == {"pause", "resume"}


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        ("Non, c'est OK", "contradiction"),
        ("Non c'est bon", "contradiction"),
        ("Non, d'accord", "contradiction"),
        ("NON, TTC: 1 234,56", "contradiction"),
        ("No problem", "doubt"),
        ("👍", "emoji"),
        ("C'est bon", "not_explicit"),
        ("pas OK", "doubt"),
        ("Pouvez-vous rappeler le fournisseur", "unknown"),
    ],
)
def test_lines_not_understood_carry_a_code_and_reasons(reply, code):
    parsed = parse_commands(reply, BILL_VALIDATION)
    assert parsed.commands == ()
    assert [item.code for item in parsed.unread] == [code]
    assert parsed.unread[0].french and parsed.unread[0].english


def test_politeness_alone_is_neither_a_command_nor_unread():
    parsed = parse_commands("Bonjour,\n\nMerci !\n\nBonne journée")
    assert parsed.commands == () and parsed.unread == () and parsed.ambiguity is None


def test_command_of_another_conversation_is_not_applied():
    parsed = parse_commands("PAYÉ FA2026-0012", BILL_VALIDATION)
    assert parsed.commands == ()
    assert parsed.unread[0].code == "not_here" and "ne s'applique pas" in parsed.unread[0].french


def test_approval_is_not_applied_where_it_does_not_belong():
    parsed = parse_commands("OK", REMINDERS)
    assert not parsed.approved and parsed.unread[0].code == "not_here"


def test_help_applies_in_every_conversation():
    assert only("AIDE", REMINDERS).name == "help"


def test_help_lists_the_commands_that_apply_in_french():
    text = help_for(BILL_VALIDATION)
    assert text.startswith("Les commandes possibles")
    for word in ("OK", "NON motif", "champ : valeur", "DOUBLON", "NOUVEAU", "AIDE"):
        assert word in text
    for word in ("PAYÉ", "PAUSE", "STOP", "STATUT"):
        assert word not in text


def test_help_lists_every_command_in_english():
    text = help_for(None, language="en")
    assert text.startswith("The commands you can use")
    for word in ("OK", "NO reason", "field: value", "DUPLICATE", "NEW", "PAID", "PAUSE", "RESUME", "STOP",
                 "STATUS", "HELP"):
        assert word in text


def test_answer_to_an_unreadable_reply_gives_the_reasons_then_the_commands():
    parsed = parse_commands("ok mais la TVA est fausse", BILL_VALIDATION)
    answer = unreadable_answer(parsed, BILL_VALIDATION)
    assert answer.startswith("Je n'ai pas su lire votre réponse ; rien n'a été appliqué.")
    assert "- ok mais la TVA est fausse\n  Je ne prends pas" in answer
    assert answer.endswith(help_for(BILL_VALIDATION))


def test_answer_to_an_ambiguous_reply_says_nothing_was_applied():
    answer = unreadable_answer(parse_commands("OK\nNON"), BILL_VALIDATION, language="en")
    assert answer.startswith("Your reply is ambiguous") and "nothing was applied" in answer
