"""Supplier bills forwarded by each French mail client, inline and as attachment, read and summarised."""

import json
import re
from decimal import Decimal

import pytest

from gateway.config import load_config
from gateway.parsing import parse_mail
from tests.helpers import CORPUS, EMAILS, GATEWAY_ADDRESS, deliver

BILLS = EMAILS / "bills"
FORWARDS = json.loads((BILLS / "index.json").read_text(encoding="utf-8"))
TOKEN_SENDER = re.compile(r"factures\+[a-z2-7]{26}@exemple\.test")


def forward_id(entry: dict) -> str:
    return entry["file"].removesuffix(".eml")


def raw_of(entry: dict) -> bytes:
    return (BILLS / entry["file"]).read_bytes()


def expected_of(entry: dict) -> dict:
    """The corpus's own truth for the PDF this forward carries."""
    return json.loads((CORPUS / entry["pdf"]["expected"]).read_text(encoding="utf-8"))


def french_amount(value: str) -> str:
    """1234.5 → "1 234,50", as the summary prints amounts (spaces compared after normalising)."""
    whole, cents = f"{Decimal(value):.2f}".split(".")
    groups = []
    while whole:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    return " ".join(groups) + "," + cents


def plain_spaces(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


by_forward = pytest.mark.parametrize("entry", FORWARDS, ids=forward_id)


def test_every_client_is_there_both_ways_with_both_kinds_of_pdf():
    ways = {(entry["client"], entry["way"]) for entry in FORWARDS}
    assert ways == {(client, way) for client in ("outlook", "gmail", "apple_mail", "thunderbird")
                    for way in ("inline", "attachment")}
    for client in ("outlook", "gmail", "apple_mail", "thunderbird"):
        kinds = {entry["pdf"]["corpus_file"].split("/")[1] for entry in FORWARDS if entry["client"] == client}
        assert kinds == {"facturx", "pdf-text"}, client


def test_generator_writes_the_same_bytes_again(tmp_path):
    from tests.emails.make_bill_forwards import write_all

    for written in write_all(tmp_path):
        assert written.read_bytes() == (BILLS / written.name).read_bytes(), written.name
    assert (tmp_path / "index.json").read_text(encoding="utf-8") == (BILLS / "index.json").read_text(encoding="utf-8")


@by_forward
def test_forward_is_crlf_throughout(entry):
    raw = raw_of(entry)
    assert b"\n" not in raw.replace(b"\r\n", b"")


@by_forward
def test_forward_yields_the_pdf_and_the_original_sender_and_subject(entry):
    raw = raw_of(entry)
    parsed = parse_mail(raw, entry["staff"], [GATEWAY_ADDRESS], load_config(environ={}).parsing)
    assert parsed.sender == entry["staff"] and parsed.message_id == entry["message_id"]
    assert parsed.problems == []
    pdfs = [file for file in parsed.attachments if file.content_type == "application/pdf"]
    assert [pdf.filename for pdf in pdfs] == [entry["pdf"]["filename"]]
    assert pdfs[0].data == (CORPUS / entry["pdf"]["corpus_file"]).read_bytes()
    # A forward as attachment carries the PDF inside the message/rfc822 part.
    assert (pdfs[0].origin == "forwarded") is (entry["way"] == "attachment")
    originals = [(found.sender, found.subject, found.inline) for found in parsed.forwarded]
    assert originals == [(entry["original"]["sender"], entry["original"]["subject"], entry["way"] == "inline")]
    assert parsed.forwarded[0].date is not None


@by_forward
def test_forward_text_above_the_forwarded_message_is_the_reply(entry):
    parsed = parse_mail(raw_of(entry), entry["staff"], [GATEWAY_ADDRESS], load_config(environ={}).parsing)
    # What the staff member wrote stays; the forwarded headers and the supplier's text do not.
    assert parsed.reply_text
    assert entry["original"]["sender"] not in parsed.reply_text
    assert entry["original"]["subject"] not in parsed.reply_text


@by_forward
def test_forward_gets_a_summary_naming_number_and_total_to_the_forwarding_staff(gateway, entry):
    expected = expected_of(entry)
    mail, outbox = deliver(gateway, raw_of(entry), envelope_from=entry["staff"])
    assert (mail.status, mail.route) == ("processed", "bill"), mail.reason
    summaries = [row for row in outbox if row.template == "bill_summary"]
    assert len(summaries) == 1, [(row.template, row.recipients) for row in outbox]
    summary = summaries[0]
    assert summary.recipients == [entry["staff"]]
    assert summary.in_reply_to == entry["message_id"]
    assert TOKEN_SENDER.search(summary.sender), summary.sender
    text = plain_spaces(summary.body_text)
    assert expected["number"] in text
    assert french_amount(expected["total_incl_tax"]) in text
