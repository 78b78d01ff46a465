"""Quote and forward headers of French and English clients, read from text bodies."""

from datetime import datetime, timedelta, timezone

import pytest

from gateway.forwards import REPLY_WINDOW, inline_forwards, parse_loose_date, reply_text

PARIS_WINTER = timezone(timedelta(hours=1))


def forwards(text: str, subject: str = "Fwd: Facture"):
    return inline_forwards(text, subject, PARIS_WINTER)


@pytest.mark.parametrize(
    "quote",
    [
        "Le lun. 2 mars 2026 à 10:12, Marie <m@x.fr> a écrit :",
        "Le mar. 3 mars 2026 à 10:12, Isabelle Roy <i.roy@x.fr> a écrit :",
        "Le mar. 3 mars 2026 à 10:12, Marie <m@x.fr> a écrit\u00a0:",
        "Le mar. 3 mars 2026 à 10:12, Marie <m@x.fr> a écrit\u202f:",
        "Le mar. 3 mars 2026 à 10:12, Passerelle factures <factures@exemple-sarl.fr> a\nécrit :",
        "Le 03/03/2026 à 10:12, Marie Dupont a écrit :",
        "De : Marie <m@x.fr>\nEnvoyé : mardi 3 mars 2026 10:12\nÀ : Jean <j@x.fr>\nObjet : Facture",
        "De\u00a0: Marie <m@x.fr>\nEnvoyé\u00a0: mardi 3 mars 2026 10:12\nÀ\u00a0: Jean <j@x.fr>\nObjet\u00a0: Facture",
        "________________________________\nDe : Marie <m@x.fr>\nEnvoyé : mardi 3 mars 2026 10:12\nObjet : Facture",
        "De: Marie <m@x.fr>\nDate: mardi 3 mars 2026 à 10:12\nÀ: Jean <j@x.fr>\nObjet: Facture",
        "-------- Message d'origine --------\nDe : Marie <m@x.fr>\nDate : 03/03/2026 10:12",
        "-----Message d'origine-----\nDe : Marie [mailto:m@x.fr]\nEnvoyé : mardi 3 mars 2026 10:12",
        "On Tue, Mar 3, 2026 at 10:12 AM Marie <m@x.fr> wrote:",
        "On Tue, Mar 3, 2026 at 10:12\u202fAM Marie Dupont <marie.dupont@example.com>\nwrote:",
        "From: Marie <m@x.fr>\nSent: Tuesday, March 3, 2026 10:12 AM\nTo: Jean <j@x.fr>\nSubject: Invoice",
        "-----Original Message-----\nFrom: Marie <m@x.fr>\nSent: Tuesday, March 3, 2026 10:12 AM",
        "---------- Forwarded message ---------\nFrom: Marie <m@x.fr>\nDate: Tue, Mar 3, 2026 at 10:12 AM",
        "Début du message réexpédié :\n\nDe: Marie <m@x.fr>\nObjet: Facture",
    ],
)
def test_quote_header_is_cut_from_reply_text(quote):
    text = f"OK pour moi.\n\nJean\n\n{quote}\n\n> Bonjour,\n> La facture attend votre validation.\n"
    assert reply_text(text) == "OK pour moi.\n\nJean"


def test_reply_with_nothing_above_the_quote_is_empty():
    assert reply_text("Le mar. 3 mars 2026 à 10:12, Marie <m@x.fr> a écrit :\n> Bonjour\n") == ""
    assert reply_text("On Tue, Mar 3, 2026 at 10:12 AM Marie <m@x.fr> wrote:\n> Hello\n") == ""


def test_long_text_without_quote_is_all_reply():
    text = "Ligne de texte sans citation.\n" * (REPLY_WINDOW // 10)
    assert reply_text(text) == text.strip()


def test_gmail_french_separator_and_labels_are_read():
    (forwarded,) = forwards(
        "Pour info.\n\n---------- Message transféré ---------\nDe : Papeterie Durand <compta@papeterie-durand.fr>\n"
        "Date : lun. 2 févr. 2026 à 17:05\nObjet : Facture F-2026-0098\nÀ : Jean <jean@exemple-sarl.fr>\n\n\nBonjour,\n"
    )
    assert (forwarded.sender, forwarded.subject, forwarded.text) == ("compta@papeterie-durand.fr", "Facture F-2026-0098", "Bonjour,")
    assert forwarded.date == datetime(2026, 2, 2, 17, 5, tzinfo=PARIS_WINTER)
    assert forwarded.inline is True


def test_gmail_long_subject_wrapped_onto_the_next_line_is_joined():
    (forwarded,) = forwards(
        "---------- Forwarded message ---------\nFrom: Billing <billing@supplier.example>\n"
        "Subject: Invoice 2026-77 for the maintenance contract of the Lyon\noffice\nTo: <jean@exemple-sarl.fr>\n\nHello\n"
    )
    assert forwarded.subject == "Invoice 2026-77 for the maintenance contract of the Lyon office"


def test_apple_mail_english_quoted_forward_is_read_without_its_quote_marks():
    (forwarded,) = forwards(
        "FYI\n\nBegin forwarded message:\n\n> From: Billing <billing@supplier.example>\n"
        "> Subject: Invoice 2026-77\n> Date: March 3, 2026 at 10:12:34 AM GMT+1\n> To: Jean <jean@exemple-sarl.fr>\n"
        ">\n> Please find our invoice attached.\n> Regards\n"
    )
    assert (forwarded.sender, forwarded.subject) == ("billing@supplier.example", "Invoice 2026-77")
    assert forwarded.date == datetime(2026, 3, 3, 10, 12, 34, tzinfo=PARIS_WINTER)
    assert forwarded.text == "Please find our invoice attached.\nRegards"


def test_apple_mail_ios_french_separator_is_read():
    (forwarded,) = forwards("Début du message transféré :\n\nDe: Marie <Marie@X.fr>\nObjet: Facture 9\n\nBonjour")
    assert (forwarded.sender, forwarded.subject, forwarded.text) == ("marie@x.fr", "Facture 9", "Bonjour")


def test_thunderbird_english_separator_is_read():
    (forwarded,) = forwards(
        "-------- Forwarded Message --------\nSubject: \tInvoice 12\nDate: \tTue, 3 Mar 2026 09:30:12 +0000\n"
        "From: \tSupplier <billing@supplier.example>\nTo: \tJean <jean@exemple-sarl.fr>\n\nHello\n"
    )
    assert (forwarded.sender, forwarded.subject, forwarded.text) == ("billing@supplier.example", "Invoice 12", "Hello")
    assert forwarded.date == datetime(2026, 3, 3, 9, 30, 12, tzinfo=timezone.utc)


def test_outlook_rule_is_a_forward_unless_the_subject_is_a_reply():
    text = "Voir ci-dessous.\n\n________________________________\nDe : Marie <m@x.fr>\nObjet : Facture\n\nBonjour\n"
    assert [forwarded.sender for forwarded in forwards(text, "TR: Facture")] == ["m@x.fr"]
    assert forwards(text, "RE: Facture") == []


def test_underscore_rule_without_a_sender_line_is_not_a_forward():
    assert forwards("Signature\n________________________________\nAvis de confidentialité : ce message…\n") == []


def test_nested_forwards_are_each_read_in_order():
    found = forwards(
        "---------- Forwarded message ---------\nFrom: Jean <jean@x.fr>\nSubject: Fwd: Facture\n\nVoir plus bas.\n\n"
        "---------- Forwarded message ---------\nFrom: Compta <compta@fournisseur.fr>\nSubject: Facture\n\nBonjour\n"
    )
    assert [(forwarded.sender, forwarded.text) for forwarded in found] == [
        ("jean@x.fr", "Voir plus bas."),
        ("compta@fournisseur.fr", "Bonjour"),
    ]


def test_forward_without_readable_header_lines_leaves_them_empty():
    (forwarded,) = forwards("Voir dessous.\n\n---------- Forwarded message ---------\nBonjour,\nla facture.\n")
    assert (forwarded.sender, forwarded.subject, forwarded.date) == ("", "", None)
    assert forwarded.text == "Bonjour,\nla facture."


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("mar. 3 mars 2026 à 09:30", datetime(2026, 3, 3, 9, 30, tzinfo=PARIS_WINTER)),
        ("mardi 3 mars 2026 09:30", datetime(2026, 3, 3, 9, 30, tzinfo=PARIS_WINTER)),
        ("1er août 2026 à 18h05", datetime(2026, 8, 1, 18, 5, tzinfo=PARIS_WINTER)),
        ("3 déc. 2025 à 09:30:12 UTC+1", datetime(2025, 12, 3, 9, 30, 12, tzinfo=PARIS_WINTER)),
        ("Tue, Mar 3, 2026 at 10:12\u202fPM", datetime(2026, 3, 3, 22, 12, tzinfo=PARIS_WINTER)),
        ("Tuesday, March 3, 2026 10:12 AM", datetime(2026, 3, 3, 10, 12, tzinfo=PARIS_WINTER)),
        ("1. August 2011 23:28:15 GMT-07:00", datetime(2011, 8, 1, 23, 28, 15, tzinfo=timezone(timedelta(hours=-7)))),
        ("Tue, 3 Mar 2026 09:30:12 -0500", datetime(2026, 3, 3, 9, 30, 12, tzinfo=timezone(timedelta(hours=-5)))),
        ("Tue, 03 Mar 2026 09:30:12 GMT", datetime(2026, 3, 3, 9, 30, 12, tzinfo=timezone.utc)),
        ("03/03/2026 10:12", datetime(2026, 3, 3, 10, 12, tzinfo=PARIS_WINTER)),
        ("bientôt", None),
        ("31 février 2026", None),
    ],
)
def test_forward_dates_in_french_and_english_are_read(printed, expected):
    assert parse_loose_date(printed, PARIS_WINTER) == expected
