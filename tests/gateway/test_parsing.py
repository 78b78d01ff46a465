"""parse_mail on mails as Gmail, Outlook, Apple Mail and Thunderbird send them, and on broken ones."""

import base64
import email
import json
import random
import struct
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import gateway.parsing
from gateway.config import Parsing
from gateway.parsed import MalformedMail, ParsedMail
from gateway.parsing import parse_mail

EMAILS = Path(__file__).parents[1] / "emails"
CORPUS = Path(__file__).parents[2].parent / "shared" / "corpus"
PARIS_WINTER = timezone(timedelta(hours=1))


def parse(source: str | bytes, limits: Parsing = Parsing()) -> ParsedMail:
    """Parse a file of tests/emails/ by name, or raw bytes, as the gateway receives them."""
    raw = (EMAILS / source).read_bytes() if isinstance(source, str) else source
    return parse_mail(raw, "Bounce+X@Exemple-SARL.fr", ["Factures@Exemple-SARL.fr"], limits)


def simple_mail(body: str, headers: str = "", content_type: str = "text/plain; charset=utf-8") -> bytes:
    """A minimal single-part mail for the cases no real client file is needed for."""
    return (
        "From: Marie Dupont <marie@exemple.fr>\nTo: factures@exemple-sarl.fr\nSubject: Test\n"
        f"Date: Tue, 3 Mar 2026 10:00:00 +0100\nMessage-ID: <test@exemple.fr>\n{headers}"
        f"MIME-Version: 1.0\nContent-Type: {content_type}\n\n{body}"
    ).encode("utf-8")


def mixed_mail(*parts: str, boundary: str = "XyZ") -> bytes:
    """A multipart/mixed mail made of the given parts, each "headers\\n\\nbody"."""
    body = "".join(f"--{boundary}\n{part}\n" for part in parts) + f"--{boundary}--\n"
    return simple_mail(body, content_type=f'multipart/mixed; boundary="{boundary}"')


# --- A small TNEF encoder, to build the winmail.dat that Outlook sends in rich-text mode. ---
# Attribute ids and types are those of MS-OXTNEF, as tnefparse/tnef.py reads them.
TNEF_SIGNATURE = 0x223E9F78
LVL_MESSAGE, LVL_ATTACHMENT = 0x01, 0x02
ATP_STRING, ATP_BYTE, ATP_WORD, ATP_DWORD = 0x0001, 0x0006, 0x0007, 0x0008
ATT_MESSAGE_CLASS, ATT_ATTACH_DATA, ATT_ATTACH_TITLE = 0x8008, 0x800F, 0x8010
ATT_ATTACH_REND_DATA, ATT_ATTACHMENT, ATT_TNEF_VERSION, ATT_OEM_CODEPAGE = 0x9002, 0x9005, 0x9006, 0x9007
PR_ATTACH_LONG_FILENAME, PR_ATTACH_MIME_TAG, PT_UNICODE = 0x3707, 0x370E, 0x001F


def tnef_attribute(level: int, attribute: int, kind: int, data: bytes) -> bytes:
    """One record: level, id, type, length, the data, then the 16-bit sum of the data bytes."""
    checksum = sum(data) & 0xFFFF
    return struct.pack("<BHHI", level, attribute, kind, len(data)) + data + struct.pack("<H", checksum)


def mapi_unicode(property_id: int, text: str) -> bytes:
    encoded = text.encode("utf-16-le") + b"\x00\x00"
    return struct.pack("<HHII", PT_UNICODE, property_id, 1, len(encoded)) + encoded + b"\x00" * (-len(encoded) % 4)


def build_winmail_dat(short_name: str, long_name: str, data: bytes) -> bytes:
    """A winmail.dat holding one file, with its 8.3 title and its long name as Outlook writes them."""
    properties = struct.pack("<I", 2) + mapi_unicode(PR_ATTACH_LONG_FILENAME, long_name)
    properties += mapi_unicode(PR_ATTACH_MIME_TAG, "application/pdf")
    rendering = struct.pack("<HIHHI", 1, 0xFFFFFFFF, 0xFFFF, 0xFFFF, 0x00000001)
    records = [
        tnef_attribute(LVL_MESSAGE, ATT_TNEF_VERSION, ATP_DWORD, struct.pack("<I", 0x00010000)),
        tnef_attribute(LVL_MESSAGE, ATT_OEM_CODEPAGE, ATP_BYTE, struct.pack("<II", 1252, 0)),
        tnef_attribute(LVL_MESSAGE, ATT_MESSAGE_CLASS, ATP_WORD, b"IPM.Microsoft Mail.Note\x00"),
        tnef_attribute(LVL_ATTACHMENT, ATT_ATTACH_REND_DATA, ATP_BYTE, rendering),
        tnef_attribute(LVL_ATTACHMENT, ATT_ATTACH_TITLE, ATP_STRING, short_name.encode("cp1252") + b"\x00"),
        tnef_attribute(LVL_ATTACHMENT, ATT_ATTACH_DATA, ATP_BYTE, data),
        tnef_attribute(LVL_ATTACHMENT, ATT_ATTACHMENT, ATP_BYTE, properties),
    ]
    return struct.pack("<IH", TNEF_SIGNATURE, 0x0001) + b"".join(records)


WINMAIL_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% F-2026-0142 winmail\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def outlook_winmail_mail() -> bytes:
    """The mail Outlook sends in rich-text mode: a short text part and the winmail.dat."""
    winmail = base64.encodebytes(build_winmail_dat("FACTUR~1.PDF", "Facture F-2026-0142.pdf", WINMAIL_PDF))
    boundary = "_002_AM0PR08MB5283C2D7E1F04B1A9C3E7D2AB5C49AM0PR08MB5283eurp_"
    return (
        "From: Jean Martin <jean.martin@exemple-sarl.fr>\n"
        'To: "factures@exemple-sarl.fr" <factures@exemple-sarl.fr>\n'
        "Subject: TR: Facture F-2026-0142\nThread-Topic: Facture F-2026-0142\n"
        "Date: Tue, 3 Mar 2026 09:47:03 +0000\n"
        "Message-ID: <AM0PR08MB5283C2D7E1F04B1A9C3E7D2AB5C49@AM0PR08MB5283.eurprd08.prod.outlook.com>\n"
        "Accept-Language: fr-FR, en-US\nContent-Language: fr-FR\nX-MS-Has-Attach: yes\n"
        "X-MS-TNEF-Correlator: <AM0PR08MB5283C2D7E1F04B1A9C3E7D2AB5C49@AM0PR08MB5283.eurprd08.prod.outlook.com>\n"
        f'Content-Type: multipart/mixed;\n\tboundary="{boundary}"\nMIME-Version: 1.0\n\n'
        f"--{boundary}\n"
        'Content-Type: text/plain; charset="iso-8859-1"\nContent-Transfer-Encoding: quoted-printable\n\n'
        "Facture ci-jointe, envoy=E9e depuis Outlook en texte enrichi.\n\n"
        f"--{boundary}\n"
        'Content-Type: application/ms-tnef; name="winmail.dat"\n'
        'Content-Disposition: attachment; filename="winmail.dat"\nContent-Transfer-Encoding: base64\n\n'
        f"{winmail.decode()}\n--{boundary}--\n"
    ).encode("ascii")


# --- Headers ---


def test_sender_is_the_lowercased_address_and_its_decoded_name():
    mail = parse("latin1_body.eml")
    assert mail.sender == "f.lefevre@cabinet-lefevre.fr"
    assert mail.sender_name == "Françoise Lefèvre"


def test_envelope_is_copied_lowercased():
    mail = parse("latin1_body.eml")
    assert mail.envelope_from == "bounce+x@exemple-sarl.fr"
    assert mail.envelope_to == ["factures@exemple-sarl.fr"]


def test_address_headers_are_lists_of_lowercased_bare_addresses():
    headers = 'Cc: "Roux, Marc" <Marc.Roux@Roux-Batiment.fr>, compta@exemple-sarl.fr\nReply-To: Marie <Marie@Exemple.fr>\n'
    mail = parse(simple_mail("Bonjour", headers=headers))
    assert mail.to == ["factures@exemple-sarl.fr"]
    assert mail.cc == ["marc.roux@roux-batiment.fr", "compta@exemple-sarl.fr"]
    assert mail.reply_to == ["marie@exemple.fr"]


def test_message_id_keeps_its_angle_brackets_and_threading_ids_are_listed():
    mail = parse("reply_fr_gmail.eml")
    assert mail.message_id == "<CAGm9x1Lq0Zt8vR3pW5kY2nH7dJ4sF6aB9cE1xQ0mU3oT2iK8g@mail.gmail.com>"
    assert mail.in_reply_to == ["<gw.20260303101200.k7p2q9@exemple-sarl.fr>"]
    assert mail.references == ["<gw.20260303101200.k7p2q9@exemple-sarl.fr>"]


def test_folded_references_give_every_id_and_a_missing_message_id_is_empty():
    raw = simple_mail("x", headers="References: <a@x.fr>\n <b@x.fr>\t<c@x.fr>\n").replace(b"Message-ID: <test@exemple.fr>\n", b"")
    mail = parse(raw)
    assert mail.references == ["<a@x.fr>", "<b@x.fr>", "<c@x.fr>"]
    assert mail.message_id == ""
    assert mail.in_reply_to == []


def test_subject_is_decoded_from_rfc2047_words_mixed_with_plain_text():
    assert parse("latin1_body.eml").subject == "Facture n° 2026-031 - février"
    assert parse("reply_fr_outlook.eml").subject == "RE: Facture F-2026-0142 à valider"
    assert parse("windows1252_body.eml").subject == "Récapitulatif acompte – chantier Lyon"


def test_raw_utf8_in_headers_is_read_as_utf8():
    raw = simple_mail("x", headers="").replace(b"Subject: Test", "Subject: Facture réglée".encode())
    raw = raw.replace(b"From: Marie Dupont", "From: Hélène Dupré".encode())
    mail = parse(raw)
    assert mail.subject == "Facture réglée"
    assert mail.sender_name == "Hélène Dupré"


def test_date_is_timezone_aware_and_keeps_its_offset():
    mail = parse("gmail_fr_forward_inline.eml")
    assert mail.date == datetime(2026, 3, 3, 10, 41, 7, tzinfo=PARIS_WINTER)
    assert mail.date.utcoffset() == timedelta(hours=1)


def test_unreadable_date_is_none_with_a_problem():
    mail = parse(simple_mail("x").replace(b"Date: Tue, 3 Mar 2026 10:00:00 +0100", b"Date: sometime soon"))
    assert mail.date is None
    assert any("Date" in problem for problem in mail.problems)


def test_headers_is_the_stdlib_message_of_the_top_level():
    mail = parse("apple_mail_fr_forward.eml")
    assert isinstance(mail.headers, email.message.Message)
    assert mail.header("X-Mailer") == "Apple Mail (2.3826.400.131.1.6)"


# --- Bodies ---


def test_latin1_body_is_decoded():
    assert "facture n° 2026-031 relative à la tenue comptable de février" in parse("latin1_body.eml").text


def test_windows1252_quoted_printable_body_is_decoded():
    text = parse("windows1252_body.eml").text
    assert "l’acompte de 500 € a bien été reçu" in text
    assert "« hors œuvre »" in text


def test_iso_8859_1_label_on_windows_1252_bytes_reads_the_euro_sign():
    raw = simple_mail("", content_type="text/plain; charset=iso-8859-1") + "Montant : 120 \x80 TTC, l\x92acompte".encode("latin-1")
    mail = parse(raw)
    assert mail.text == "Montant : 120 € TTC, l’acompte"
    assert mail.problems == []


def test_utf8_body_labelled_with_another_charset_is_read_as_utf8_with_a_problem():
    raw = simple_mail("", content_type="text/plain; charset=big5") + "Réglée à 100 %".encode("utf-8")
    mail = parse(raw)
    assert mail.text == "Réglée à 100 %"
    assert mail.problems == ["text/plain body: text labelled big5 is UTF-8"]


def test_html_only_mail_gets_a_plain_text_rendering():
    mail = parse("html_only.eml")
    assert "Votre facture FA-2026-0087 d'un montant de 480,00 € est disponible." in mail.text
    assert "Échéance 02/04/2026" in mail.text
    assert "track(" not in mail.text and "font-family" not in mail.text and "<" not in mail.text
    assert mail.html.startswith("<!DOCTYPE html>")


def test_html_body_is_kept_beside_the_plain_text():
    mail = parse("gmail_fr_forward_inline.eml")
    assert 'class="gmail_quote' in mail.html
    assert mail.text.startswith("Voici la facture de la papeterie")


def test_text_bodies_of_the_top_level_message_are_not_attachments():
    mail = parse("gmail_fr_forward_inline.eml")
    assert [attachment.content_type for attachment in mail.attachments] == ["application/pdf"]


def test_blank_lines_before_the_headers_are_skipped():
    mail = parse(b"\r\n\n" + simple_mail("Bonjour"))
    assert (mail.sender, mail.text) == ("marie@exemple.fr", "Bonjour")


def test_crlf_line_endings_parse_like_lf():
    lf = parse("gmail_fr_forward_inline.eml")
    crlf = parse((EMAILS / "gmail_fr_forward_inline.eml").read_bytes().replace(b"\n", b"\r\n"))
    assert crlf.reply_text == lf.reply_text
    assert crlf.forwarded[0].sender == lf.forwarded[0].sender
    assert crlf.attachments[0].data == lf.attachments[0].data


# --- The reply above the quote ---


def test_french_gmail_quote_is_cut_from_reply_text():
    # Gmail wraps the attribution before "écrit :", and the gateway's own name holds "le ".
    assert parse("reply_fr_gmail.eml").reply_text == "OK"


def test_french_outlook_quote_is_cut_from_reply_text():
    assert parse("reply_fr_outlook.eml").reply_text == "OK, je valide.\n\nJean Martin\nGérant - Exemple SARL"


def test_english_gmail_quote_is_cut_from_reply_text():
    assert parse("reply_en.eml").reply_text == "Approved, thanks."


def test_mail_without_quote_is_all_reply():
    assert parse("latin1_body.eml").reply_text.startswith("Bonjour,\n\nVeuillez trouver ci-joint")
    assert parse("latin1_body.eml").reply_text.endswith("Cabinet Lefèvre & Associés")


def test_forward_comment_is_the_reply_text():
    assert parse("gmail_fr_forward_inline.eml").reply_text == "Voici la facture de la papeterie, à régler avant le 31 mars."
    assert parse("apple_mail_fr_forward.eml").reply_text == "Pour la compta."
    assert parse("thunderbird_fr_forward_inline.eml").reply_text == "Pour la compta."


# --- Forwarded messages ---


def test_gmail_inline_forward_is_read_from_its_header_block():
    (forwarded,) = parse("gmail_fr_forward_inline.eml").forwarded
    assert forwarded.inline is True
    assert forwarded.sender == "compta@papeterie-durand.fr"
    assert forwarded.subject == "Facture F-2026-0142"
    assert forwarded.date == datetime(2026, 3, 3, 9, 30, tzinfo=PARIS_WINTER)
    assert forwarded.text.startswith("Bonjour,\n\nVeuillez trouver ci-joint notre facture F-2026-0142")


def test_outlook_inline_forward_below_the_underscore_rule_is_read():
    (forwarded,) = parse("outlook_fr_forward_inline.eml").forwarded
    assert forwarded.inline is True
    assert forwarded.sender == "compta@papeterie-durand.fr"
    assert forwarded.subject == "Facture F-2026-0142"
    # "Envoyé : mardi 3 mars 2026 09:30" has no offset: it takes that of the forwarding mail's Date.
    assert forwarded.date == datetime(2026, 3, 3, 9, 30, tzinfo=timezone.utc)


def test_outlook_rule_in_a_reply_is_a_quote_not_a_forward():
    assert parse("reply_fr_outlook.eml").forwarded == []


def test_apple_mail_french_forward_is_read():
    (forwarded,) = parse("apple_mail_fr_forward.eml").forwarded
    assert forwarded.sender == "compta@papeterie-durand.fr"
    assert forwarded.subject == "Facture F-2026-0142"
    assert forwarded.date == datetime(2026, 3, 3, 9, 30, 12, tzinfo=PARIS_WINTER)


def test_thunderbird_inline_forward_is_read():
    (forwarded,) = parse("thunderbird_fr_forward_inline.eml").forwarded
    assert forwarded.sender == "compta@papeterie-durand.fr"
    assert forwarded.subject == "Facture F-2026-0142"
    assert forwarded.date == datetime(2026, 3, 3, 9, 30, 12, tzinfo=PARIS_WINTER)
    assert forwarded.text.startswith("Bonjour,")


def test_pdf_inside_forwarded_message_is_an_attachment():
    mail = parse("outlook_fr_forward_attachment.eml")
    (pdf,) = mail.attachments
    assert (pdf.filename, pdf.content_type, pdf.origin) == ("Facture F-2026-0142.pdf", "application/pdf", "forwarded")
    assert pdf.data.startswith(b"%PDF-1.4") and pdf.data.endswith(b"%%EOF\n")
    (forwarded,) = mail.forwarded
    assert forwarded.inline is False
    assert (forwarded.sender, forwarded.subject) == ("compta@papeterie-durand.fr", "Facture F-2026-0142")
    assert forwarded.date == datetime(2026, 3, 3, 9, 30, 12, tzinfo=PARIS_WINTER)
    assert "notre facture F-2026-0142" in forwarded.text
    assert mail.reply_text.startswith("Bonjour,\n\nCi-joint la facture reçue")


def test_thunderbird_forward_as_attachment_is_read():
    mail = parse("thunderbird_fr_forward_attachment.eml")
    assert [(a.filename, a.origin) for a in mail.attachments] == [("F-2026-0142.pdf", "forwarded")]
    (forwarded,) = mail.forwarded
    assert (forwarded.sender, forwarded.subject, forwarded.inline) == ("compta@papeterie-durand.fr", "Facture F-2026-0142", False)
    assert mail.text == "Facture à saisir, merci.\n\nClaire\n"


def test_base64_encoded_forwarded_message_is_decoded():
    inner = b"From: Papeterie Durand <compta@papeterie-durand.fr>\nSubject: Facture F-2026-0142\n\nBonjour\n"
    part = "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n" + base64.encodebytes(inner).decode()
    (forwarded,) = parse(mixed_mail("Content-Type: text/plain\n\nVoici.", part)).forwarded
    assert (forwarded.sender, forwarded.subject, forwarded.text) == ("compta@papeterie-durand.fr", "Facture F-2026-0142", "Bonjour\n")


# --- Attachments ---


def test_inline_pdf_with_a_filename_is_an_attachment_with_origin_inline():
    (pdf,) = parse("apple_mail_fr_forward.eml").attachments
    assert (pdf.filename, pdf.content_type, pdf.origin) == ("Facture F-2026-0142.pdf", "application/pdf", "inline")


def test_pdf_without_content_disposition_is_an_attachment():
    (pdf,) = parse("scanner_pdf_without_disposition.eml").attachments
    assert (pdf.filename, pdf.origin) == ("20260304091244487.pdf", "attachment")
    assert pdf.data.startswith(b"%PDF-1.4")


def test_unnamed_pdf_gets_a_generated_name():
    part = "Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n" + base64.b64encode(b"%PDF-1.4 x").decode()
    (pdf,) = parse(mixed_mail("Content-Type: text/plain\n\nVoici.", part)).attachments
    assert (pdf.filename, pdf.data) == ("attachment-1.pdf", b"%PDF-1.4 x")


def test_rfc2231_and_rfc2047_filenames_are_decoded():
    names = [attachment.filename for attachment in parse("rfc2231_filename.eml").attachments]
    assert names == ["facture n° 12.pdf", "Devis n° 7 - Menuiserie Lefèvre SARL.pdf", "Relevé de compte février.pdf"]


def test_raw_utf8_filename_is_read_as_utf8():
    part = 'Content-Type: application/pdf; name="reçu.pdf"\nContent-Disposition: attachment; filename="reçu.pdf"\n\n%PDF-1.4'
    (pdf,) = parse(mixed_mail(part)).attachments
    assert pdf.filename == "reçu.pdf"


def test_folders_in_a_filename_are_dropped():
    part = 'Content-Type: application/pdf\nContent-Disposition: attachment; filename="C:\\\\Users\\\\jean\\\\facture.pdf"\n\n%PDF'
    (pdf,) = parse(mixed_mail(part)).attachments
    assert pdf.filename == "facture.pdf"


def test_quoted_printable_attachment_is_decoded_to_bytes():
    part = 'Content-Type: text/csv; name="releve.csv"\nContent-Transfer-Encoding: quoted-printable\n\nmontant;devise\n12,50;=E2=82=AC'
    (csv,) = parse(mixed_mail(part)).attachments
    assert (csv.filename, csv.content_type, csv.data) == ("releve.csv", "text/csv", "montant;devise\n12,50;€".encode())


def test_attachment_over_the_size_limit_is_dropped_with_a_problem():
    mail = parse("gmail_fr_forward_inline.eml", Parsing(max_attachment_size=100))
    assert mail.attachments == []
    assert any("Facture F-2026-0142.pdf" in problem and "limit" in problem for problem in mail.problems)


def test_pdf_inside_winmail_dat_is_unpacked_with_origin_tnef():
    mail = parse("outlook_winmail_dat.eml")
    (pdf,) = mail.attachments
    assert (pdf.filename, pdf.content_type, pdf.origin, pdf.data) == ("Facture F-2026-0142.pdf", "application/pdf", "tnef", WINMAIL_PDF)
    assert mail.problems == []
    assert mail.text.startswith("Facture ci-jointe, envoyée depuis Outlook")


def test_saved_winmail_mail_is_what_the_tnef_encoder_builds():
    assert (EMAILS / "outlook_winmail_dat.eml").read_bytes() == outlook_winmail_mail()


def test_unreadable_winmail_dat_is_kept_with_a_problem():
    part = 'Content-Type: application/ms-tnef; name="winmail.dat"\nContent-Transfer-Encoding: base64\n\n'
    part += base64.b64encode(b"not a TNEF stream at all").decode()
    mail = parse(mixed_mail("Content-Type: text/plain\n\nVoici.", part))
    (kept,) = mail.attachments
    assert (kept.filename, kept.origin, kept.data) == ("winmail.dat", "attachment", b"not a TNEF stream at all")
    assert any(problem.startswith("winmail.dat: could not be unpacked") for problem in mail.problems)


# --- Limits and malformed input ---


def test_too_many_parts_is_malformed_with_reason():
    raw = mixed_mail(*[f"Content-Type: text/plain\n\npart {index}" for index in range(30)])
    with pytest.raises(MalformedMail) as raised:
        parse(raw, Parsing(max_parts=20))
    assert raised.value.reason == "more than 20 MIME parts"


def test_deep_nesting_is_malformed_with_reason():
    with pytest.raises(MalformedMail) as raised:
        parse("deep_nesting.eml")
    assert raised.value.reason == "MIME parts nested more than 8 levels deep"
    assert parse("deep_nesting.eml", Parsing(max_depth=20)).text.strip() == "deep down"


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"", "empty message"),
        (b" \r\n\r\n", "empty message"),
        (b"Bonjour, ceci n'est qu'un texte.\n", "no header at all"),
        (bytes(range(256)) * 8, "no header at all"),
        (b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n", "no header at all"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "no header at all"),
        (b"Color: blue\nShape: round\n\nnot a mail\n", "none of the usual mail headers"),
    ],
)
def test_bytes_that_are_not_a_mail_are_malformed(raw, reason):
    with pytest.raises(MalformedMail) as raised:
        parse(raw)
    assert raised.value.reason.startswith(reason)


def test_input_that_is_not_bytes_is_malformed():
    with pytest.raises(MalformedMail, match="expected the raw bytes"):
        parse_mail("From: a@b\n\nx", "", [], Parsing())


def test_missing_closing_boundary_still_parses_with_a_problem():
    raw = mixed_mail("Content-Type: text/plain\n\nBonjour").replace(b"--XyZ--\n", b"")
    mail = parse(raw)
    assert mail.text.strip() == "Bonjour"
    assert "part 0 (multipart/mixed): close boundary not found" in mail.problems


def test_bad_base64_still_parses_with_a_problem():
    part = 'Content-Type: application/pdf; name="f.pdf"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQ=!!\nJVBE'
    mail = parse(mixed_mail("Content-Type: text/plain\n\nVoici.", part))
    assert mail.attachments[0].data.startswith(b"%PDF-1.4")
    assert any("base64" in problem for problem in mail.problems)


def test_unknown_charset_is_read_as_utf8_with_a_problem():
    mail = parse(simple_mail("Réglé", content_type="text/plain; charset=x-inconnu"))
    assert mail.text == "Réglé"
    assert mail.problems == ["text/plain body: unknown charset 'x-inconnu', read as UTF-8"]


def test_multipart_with_a_wrong_boundary_is_read_again_with_the_one_used():
    raw = mixed_mail("Content-Type: text/plain\n\nBonjour", boundary="used").replace(b'boundary="used"', b'boundary="declared"')
    mail = parse(raw)
    assert mail.text.strip() == "Bonjour"
    assert any("declared boundary missing" in problem for problem in mail.problems)


def test_mail_parser_crash_falls_back_to_stdlib_addresses_with_a_problem(monkeypatch):
    def crash(message):
        raise AttributeError("'NoneType' object has no attribute 'index'")

    monkeypatch.setattr(gateway.parsing.mailparser, "MailParser", crash)
    mail = parse(simple_mail("x", headers='Cc: "Roux, Marc" <Marc.Roux@Roux-Batiment.fr>\n'))
    assert (mail.sender, mail.sender_name, mail.to) == ("marie@exemple.fr", "Marie Dupont", ["factures@exemple-sarl.fr"])
    assert mail.cc == ["marc.roux@roux-batiment.fr"]
    assert mail.problems[0].startswith("mail-parser failed (AttributeError")


def test_unexpected_error_becomes_malformed_with_its_reason(monkeypatch):
    def broken(text):
        raise KeyError("boom")

    monkeypatch.setattr(gateway.parsing, "reply_text", broken)
    with pytest.raises(MalformedMail, match="unreadable mail: KeyError: 'boom'"):
        parse("latin1_body.eml")


def test_truncated_and_corrupted_mails_raise_nothing_but_malformed():
    shuffle = random.Random(2026)
    for path in sorted(EMAILS.glob("*.eml")):
        raw = path.read_bytes()
        for _ in range(20):
            damaged = bytearray(raw[: shuffle.randrange(len(raw) + 1)])
            for _ in range(shuffle.randrange(4)):
                if damaged:
                    damaged[shuffle.randrange(len(damaged))] = shuffle.randrange(256)
            try:
                parse(bytes(damaged))
            except MalformedMail as error:
                assert not error.reason.startswith("unreadable mail"), f"{path.name}: {error.reason}"


def test_every_corpus_mail_parses_or_is_malformed():
    manifest = json.loads((CORPUS / "manifest.json").read_text())
    files = sorted((CORPUS / "mail").rglob("*.eml"))
    assert len(files) == sum(1 for entry in manifest if entry["file"].startswith("mail/"))
    malformed = {}
    for path in files:
        try:
            parse(path.read_bytes())
        except MalformedMail as error:
            malformed[path.name] = error.reason
    print(f"\n{len(malformed)} of {len(files)} corpus mails raised MalformedMail: {malformed}")
    assert len(malformed) < len(files) / 10
