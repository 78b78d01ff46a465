"""Real bounces, feedback reports and auto-replies threaded to a reminder, even From the client's own
address: none counts as the client's answer, so no invoice pauses and nobody is told."""

import re
from datetime import date

from tests.gateway.test_corpus import AUTOMATED_CLASSES, corpus_mails, envelope_sender
from tests.helpers import CORPUS, TRUSTED, deliver
from tests.receivables.clock import CLIENT_EMAIL, issue, receivable, run_tick, sent


def in_reminder_thread(raw: bytes, message_id: str) -> bytes:
    """The message as an answer to our reminder, sent from the client's address."""
    header_end = re.search(rb"\r?\n\r?\n", raw)
    head, body = (raw[: header_end.start()], raw[header_end.start():]) if header_end else (raw, b"")
    head = re.sub(rb"(?im)^(From|In-Reply-To|References):.*(\r?\n[ \t].*)*", b"X-Original: rewritten", head)
    thread = f"From: <{CLIENT_EMAIL}>\r\nIn-Reply-To: {message_id}\r\nReferences: {message_id}\r\n".encode()
    return thread + head + body


def test_no_automated_mail_in_a_reminders_thread_pauses_the_invoice(gateway):
    number = issue(gateway, date(2026, 10, 1))
    run_tick(gateway, "2026-11-09T10:00")
    (reminder,) = sent(gateway)
    counted = []
    automated = [entry for entry in corpus_mails() if entry.get("classification") in AUTOMATED_CLASSES]
    assert len(automated) > 100
    for entry in automated:
        raw = in_reminder_thread((CORPUS / entry["file"]).read_bytes(), reminder.message_id)
        mail, outbox = deliver(gateway, raw, envelope_from=envelope_sender(raw), trust=TRUSTED)
        if mail.status != "ignored" or outbox:
            counted.append(f"{entry['file']}: {mail.status} {mail.route} {mail.reason}")
    assert counted == []
    assert receivable(gateway, number).state == "open"
