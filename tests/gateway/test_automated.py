"""Mail that must never be answered is recognised from its structure and headers, with a reason."""

import email
import json
from email.message import Message
from email.utils import parseaddr
from pathlib import Path

import pytest

from gateway.automated import LOOP_HEADER, detect_automated

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text())
MARKER = "gw-3f9c2a"
STAFF = "marie@exemple.test"
NEVER_ANSWERED = ("bounce", "feedback_report", "auto_reply")

# Notices of the fml list manager ("you are not a member", "loop alert") that the corpus files
# as bounces.  Nothing in them marks a delivery failure: no report part, no delivery-failure
# subject or text, only the list software's own headers.  Their real envelope sender is the
# list's admin address, so only a null sender would make them bounces; without one they are
# still recognised, as mailing_list, and still never answered.
LIST_NOTICES = {"lhost-fml-02.eml": "mailing_list", "lhost-fml-03.eml": "mailing_list"}

# What the parser test-suite mails really are.  Everything else there must give None.
MIXED_EXPECTED = {
    # A genuine delivery report (MailSite backscatter): multipart/report, delivery-status part.
    "mail_malformed_2.eml": "bounce",
    # A MailChimp newsletter carrying List-ID and List-Unsubscribe.
    "mail_test_13.eml": "mailing_list",
    # A mailing with List-Unsubscribe and Precedence: bulk.
    "mail_test_5.eml": "mailing_list",
    # A message with List-Id.
    "mail_test_6.eml": "mailing_list",
    # The GTUBE spam sample declares Precedence: junk, which asks for no answer (RFC 3834).
    "mail_test_16.eml": "mailing_list",
}


def corpus_files(*classifications: str | None) -> list[tuple[str, str | None]]:
    return [
        (item["file"], item.get("classification"))
        for item in MANIFEST
        if item["file"].startswith("mail/") and item.get("classification") in classifications
    ]


AUTOMATED_FILES = corpus_files(*NEVER_ANSWERED)
MIXED_FILES = corpus_files(None, "malformed")


def name(case) -> str:
    return Path(case[0]).name if isinstance(case, tuple) else str(case)


def load(path: str) -> Message:
    return email.message_from_bytes((CORPUS / path).read_bytes())


def return_path(message: Message) -> str | None:
    value = message.get("Return-Path")
    return None if value is None else parseaddr(str(value))[1]


def rewritten(message: Message) -> Message:
    """The mail as a staff mailbox might pass it on: From rewritten, no Return-Path."""
    del message["From"]
    message["From"] = f"Marie <{STAFF}>"
    del message["Return-Path"]
    return message


def test_the_corpus_holds_every_automated_kind():
    kinds = {kind for _, kind in AUTOMATED_FILES}
    assert kinds == set(NEVER_ANSWERED) and len(AUTOMATED_FILES) >= 140
    assert len(MIXED_FILES) >= 20


@pytest.mark.parametrize("case", AUTOMATED_FILES, ids=name)
def test_corpus_mail_is_recognised_with_its_own_headers(case):
    path, kind = case
    message = load(path)
    # A real delivery report travels with the null sender; other mail with its Return-Path.
    sender = "" if kind == "bounce" else return_path(message)
    found = detect_automated(message, sender, MARKER)
    assert found is not None and found.kind == kind, found


@pytest.mark.parametrize("case", AUTOMATED_FILES, ids=name)
def test_corpus_mail_is_recognised_with_a_staff_from_and_sender(case):
    path, kind = case
    found = detect_automated(rewritten(load(path)), STAFF, MARKER)
    expected = LIST_NOTICES.get(Path(path).name, kind)
    assert found is not None and found.kind == expected, found


@pytest.mark.parametrize("case", AUTOMATED_FILES, ids=name)
def test_corpus_mail_fetched_by_imap_is_recognised_from_its_return_path(case):
    path, kind = case
    found = detect_automated(load(path), None, MARKER)
    expected = LIST_NOTICES.get(Path(path).name, kind)
    assert found is not None and found.kind == expected, found


@pytest.mark.parametrize("case", MIXED_FILES, ids=name)
@pytest.mark.parametrize("mode", ["own_headers", "staff_from"])
def test_parser_corpus_mail_gets_only_its_true_class(case, mode):
    path, _ = case
    message = load(path)
    if mode == "own_headers":
        found = detect_automated(message, return_path(message), MARKER)
    else:
        found = detect_automated(rewritten(message), STAFF, MARKER)
    expected = MIXED_EXPECTED.get(Path(path).name)
    assert (found.kind if found else None) == expected, found


# Small hand-written messages, one signal each.


def mail(headers: str = "", subject: str = "Facture F-17", body: str = "Ci-joint.\n") -> Message:
    raw = f"From: Compta <compta@fournisseur.test>\nTo: factures@exemple.test\nSubject: {subject}\n"
    return email.message_from_bytes((raw + headers + "\n" + body).encode())


def report(report_type: str, part_type: str) -> Message:
    """A multipart/report with its human part and its machine part."""
    headers = (
        "MIME-Version: 1.0\n"
        f'Content-Type: multipart/report; report-type={report_type}; boundary="b"\n'
    )
    body = (
        "--b\nContent-Type: text/plain\n\nSee the attached report.\n"
        f"--b\nContent-Type: {part_type}\n\nReporting-MTA: dns; mx.exemple.test\n\n--b--\n"
    )
    return mail(headers, subject="Facture F-2024-017", body=body)


def kind_of(message: Message, sender: str | None = "compta@fournisseur.test", marker: str = MARKER):
    found = detect_automated(message, sender, marker)
    return found.kind if found else None


def test_an_ordinary_bill_is_not_automated():
    assert detect_automated(mail(), "compta@fournisseur.test", MARKER) is None


def test_our_own_mail_coming_back_is_a_loop_even_from_the_null_sender():
    found = detect_automated(mail(f"{LOOP_HEADER}: {MARKER}\n"), "", MARKER)
    assert found.kind == "loop" and LOOP_HEADER in found.reason


def test_the_loop_header_of_another_gateway_is_not_our_loop():
    assert kind_of(mail(f"{LOOP_HEADER}: someone-else\n")) is None


def test_an_empty_marker_never_matches_an_empty_loop_header():
    assert kind_of(mail(f"{LOOP_HEADER}:\n"), marker="") is None


@pytest.mark.parametrize("message", [
    report("feedback-report", "message/feedback-report"),
    mail('MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n',
         body="--b\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\n\n--b--\n"),
], ids=["multipart_report", "feedback_part_alone"])
def test_an_abuse_report_is_a_feedback_report(message):
    assert kind_of(message) == "feedback_report"


def test_a_delivery_report_is_named_by_its_report_type():
    found = detect_automated(report("delivery-status", "message/delivery-status"), STAFF, MARKER)
    assert found.reason == "bounce: multipart/report; report-type=delivery-status"


@pytest.mark.parametrize("headers, sender", [
    ("X-Failed-Recipients: client@ailleurs.test\n", STAFF),
    ("", "MAILER-DAEMON@mx.exemple.test"),
    ("", "postmaster@mx.exemple.test"),
    ("Return-Path: <MAILER-DAEMON>\n", None),
], ids=["x_failed_recipients", "mailer_daemon_sender", "postmaster_sender", "return_path_daemon"])
def test_delivery_system_headers_make_a_bounce(headers, sender):
    assert kind_of(mail(headers), sender) == "bounce"


DAEMONS = ["Mail Delivery System <MAILER-DAEMON@mx.test>", "postmaster@mx.test", "Mail-Daemon@mx.t"]


@pytest.mark.parametrize("sender", DAEMONS)
def test_a_from_of_the_delivery_system_makes_a_bounce(sender):
    message = mail(body="Hello.\n")
    message.replace_header("From", sender)
    assert kind_of(message) == "bounce"


@pytest.mark.parametrize("subject", [
    "Undelivered Mail Returned to Sender",
    "Delivery Status Notification (Failure)",
    "Mail delivery failed: returning message to sender",
    "Returned mail: see transcript for details",
    "failure notice",
    "Undeliverable: Facture F-2024-017",
    "Non remis : Facture F-2024-017",
    "Non distribuable : Facture F-2024-017",
    "Unzustellbar: Rechnung 17",
    "Message non délivré",
    "MESSAGE NON DELIVRE",
    "=?utf-8?q?Non_remis_=3A_Facture?=",
    "[SPAM] Undeliverable: Facture",
    "Недоставленное сообщение",
], ids=lambda subject: subject[:30])
def test_a_delivery_failure_subject_makes_a_bounce(subject):
    assert kind_of(mail(subject=subject)) == "bounce"


@pytest.mark.parametrize("body", [
    "Hi. This is the qmail-send program at mx.test.\n",
    "<client@ailleurs.test>: host mx.ailleurs.test said: 550 5.1.1 User unknown\n",
    "Your message\n  Subject: Facture\nwas not delivered to:\n  client@ailleurs.test\n",
    "Delivery to the following recipient failed permanently:\n\n  client@ailleurs.test\n",
], ids=["qmail", "smtp_status", "notes", "gmail"])
def test_a_delivery_report_written_as_plain_text_is_a_bounce(body):
    assert kind_of(mail(subject="Re: Facture", body=body)) == "bounce"


def test_a_null_sender_alone_is_a_bounce():
    found = detect_automated(mail(body="Hello.\n"), "", MARKER)
    assert found.reason == "bounce: null envelope sender"


def test_the_return_path_is_read_when_the_envelope_is_unknown():
    assert kind_of(mail("Return-Path: <>\n"), sender=None) == "bounce"


def test_the_return_path_is_ignored_when_the_envelope_is_known():
    assert kind_of(mail("Return-Path: <>\n"), sender="compta@fournisseur.test") is None


def test_a_delivery_report_marked_auto_replied_is_still_a_bounce():
    message = report("delivery-status", "message/delivery-status")
    message["Auto-Submitted"] = "auto-replied"
    assert kind_of(message, STAFF) == "bounce"


@pytest.mark.parametrize("headers", [
    "Auto-Submitted: auto-replied\n",
    "Auto-Submitted: auto-generated\n",
    "Auto-Submitted: auto-replied (vacation)\n",
    "X-Autoreply: yes\n",
    "X-Autorespond: Absent\n",
    "X-Auto-Response-Suppress: All\n",
    "X-Autoresponder: 1\n",
    "Precedence: auto_reply\n",
    "X-Mailer: vacation 1.2.7\n",
], ids=lambda headers: headers.split(":")[0] + headers.split(":")[1].strip()[:12])
def test_auto_responder_headers_make_an_auto_reply(headers):
    assert kind_of(mail(headers)) == "auto_reply"


@pytest.mark.parametrize("value", ["no", "No", "no; comment"])
def test_auto_submitted_no_is_not_an_auto_reply(value):
    assert kind_of(mail(f"Auto-Submitted: {value}\n")) is None


@pytest.mark.parametrize("subject", [
    "Absent du bureau",
    "Absence du bureau jusqu'au 3 mars",
    "Réponse automatique : Facture F-2024-017",
    "REPONSE AUTOMATIQUE: Facture",
    "=?iso-8859-1?q?R=E9ponse_automatique_=3A_Facture?=",
    "Message d'absence",
    "Out of Office: Invoice 17",
    "Automatic reply: Facture F-2024-017",
    "Auto: Facture F-2024-017",
    "AutoReply: Facture",
    "Autoreply",
    "Abwesenheitsnotiz: Rechnung 17",
], ids=lambda subject: subject[:30])
def test_a_vacation_subject_makes_an_auto_reply(subject):
    assert kind_of(mail(subject=subject)) == "auto_reply"


def test_an_auto_reply_from_the_null_sender_stays_an_auto_reply():
    # RFC 3834 asks auto-responders to send from the null sender, as delivery systems do.
    found = detect_automated(mail("Auto-Submitted: auto-replied\n"), "", MARKER)
    assert found.reason == "auto_reply: Auto-Submitted: auto-replied"


def test_a_read_receipt_is_an_auto_reply():
    message = report("disposition-notification", "message/disposition-notification")
    assert kind_of(message) == "auto_reply"


@pytest.mark.parametrize("headers", [
    "List-Id: Compta <compta.lists.exemple.test>\n",
    "List-Unsubscribe: <mailto:leave@lists.exemple.test>\n",
    "List-Post: <mailto:compta@lists.exemple.test>\n",
    "Mailing-List: contact compta-help@exemple.test; run by ezmlm\n",
    "Precedence: bulk\n",
    "Precedence: list\n",
    "Precedence: junk\n",
], ids=lambda headers: headers.split("\n")[0][:24])
def test_list_headers_make_a_mailing_list_message(headers):
    assert kind_of(mail(headers)) == "mailing_list"


@pytest.mark.parametrize("subject, body", [
    ("Votre colis n'a pas pu être distribué", "Your parcel could not be delivered to 12 rue X."),
    ("Delivery status of order 4411", "Your order has shipped.\n"),
    ("Facture livraison mars", "Ci-joint la facture de livraison.\n"),
    ("Re: Facture absente", "La facture du bureau est en pièce jointe.\n"),
], ids=["parcel", "order_status", "livraison", "absente"])
def test_ordinary_words_about_delivery_or_absence_are_not_robots(subject, body):
    assert kind_of(mail(subject=subject, body=body)) is None


@pytest.mark.parametrize("subject", ["TR: Non remis : Facture F-17", "Fwd: Automatic reply: F-17"])
def test_a_person_forwarding_a_robot_subject_is_not_a_robot(subject):
    assert kind_of(mail(subject=subject)) is None


def test_an_auto_responder_answering_with_re_is_still_an_auto_reply():
    assert kind_of(mail(subject="Re: Facture F-17 [Réponse automatique]")) == "auto_reply"


def test_a_bounce_attached_to_a_persons_mail_is_not_a_bounce():
    dsn = report("delivery-status", "message/delivery-status").as_string()
    headers = 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="outer"\n'
    body = (
        "--outer\nContent-Type: text/plain\n\nPeux-tu regarder ce retour ?\n"
        f"--outer\nContent-Type: message/rfc822\n\n{dsn}\n--outer--\n"
    )
    assert kind_of(mail(headers, subject="Question", body=body), STAFF) is None
