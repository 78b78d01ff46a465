"""Every real-world mail of the shared corpus goes through `receive()` and ends terminal, unanswered
when it is a bounce, a feedback report or an auto-reply — also when its From is a staff address."""

import json
import re
from collections import Counter

import pytest

from gateway.models import TERMINAL_STATES
from tests.helpers import CORPUS, STAFF, TRUSTED, deliver, maildir_messages

AUTOMATED_CLASSES = {"bounce", "feedback_report", "auto_reply"}
# Notices of the fml list manager ("you are not a member", "loop alert") carry no report part,
# no failure subject or text: without the null sender they are told apart as list mail, which is
# still an automated class and still never answered.
LIST_MANAGER_NOTICES = {"mail/bounces-autoreplies/lhost-fml-02.eml", "mail/bounces-autoreplies/lhost-fml-03.eml"}


def corpus_mails() -> list[dict]:
    manifest = CORPUS / "manifest.json"
    if not manifest.exists():
        pytest.fail(f"the shared corpus is missing at {CORPUS}")
    return [entry for entry in json.loads(manifest.read_text()) if entry["kind"] == "eml"]


def envelope_sender(raw: bytes) -> str:
    """The SMTP sender the message arrived with, as its Return-Path recorded it."""
    match = re.search(rb"^Return-Path:\s*<?([^>\r\n]*)>?", raw, re.IGNORECASE | re.MULTILINE)
    return match.group(1).decode("ascii", "replace").strip() if match else ""


def with_staff_from(raw: bytes) -> bytes:
    """The same message with its From rewritten to a staff address, as a forwarding rule might."""
    header_end = re.search(rb"\r?\n\r?\n", raw)
    head, body = (raw[: header_end.start()], raw[header_end.start():]) if header_end else (raw, b"")
    head = re.sub(rb"(?im)^From:.*(\r?\n[ \t].*)*", b"X-Original-From: rewritten", head)
    return b"From: Marie Durand <" + STAFF.encode() + b">\r\n" + head + body


def test_every_corpus_mail_ends_terminal_and_automated_mail_is_never_answered(gateway, capsys):
    entries = corpus_mails()
    states, quarantined, answered, misclassified = Counter(), [], [], []
    for entry in entries:
        raw = (CORPUS / entry["file"]).read_bytes()
        mail, outbox = deliver(gateway, raw, envelope_from=envelope_sender(raw), trust=TRUSTED)
        states[mail.status] += 1
        assert mail.status in TERMINAL_STATES, entry["file"]
        assert mail.reason, entry["file"]
        if mail.status == "quarantined":
            quarantined.append(f"{entry['file']}: {mail.reason}")
        if entry.get("classification") in AUTOMATED_CLASSES:
            if outbox:
                answered.append(entry["file"])
            expected = "mailing_list" if entry["file"] in LIST_MANAGER_NOTICES else entry["classification"]
            if mail.status != "ignored" or not mail.reason.startswith(expected + ":"):
                misclassified.append(f"{entry['file']}: {mail.status} {mail.reason}")
    with capsys.disabled():
        print(f"\ncorpus: {len(entries)} mails, states {dict(states)}")
        for line in quarantined:
            print(f"  quarantined {line}")
    assert answered == []
    assert misclassified == []
    assert len(quarantined) <= 0.05 * len(entries)


def test_automated_corpus_mail_from_a_staff_address_is_ignored_with_its_class(gateway):
    entries = [entry for entry in corpus_mails() if entry.get("classification") in AUTOMATED_CLASSES]
    wrong = []
    for entry in entries:
        raw = with_staff_from((CORPUS / entry["file"]).read_bytes())
        mail, outbox = deliver(gateway, raw, envelope_from=STAFF, trust=TRUSTED)
        expected = "mailing_list" if entry["file"] in LIST_MANAGER_NOTICES else entry["classification"]
        if outbox or mail.status != "ignored" or not mail.reason.startswith(expected + ":"):
            wrong.append(f"{entry['file']}: {mail.status} {mail.reason} ({len(outbox)} replies)")
    assert wrong == []
    assert maildir_messages(gateway.config) == []
