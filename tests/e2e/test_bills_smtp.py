"""Supplier bills end to end: forwarded over SMTP, summarised in the Maildir, answered by signed mail, exported."""

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from email.utils import parseaddr

import pytest
from sqlalchemy import select

from accounting.exports import read_export
from bills.models import ReceivedBill
from tests.e2e.mails import facturx_variant, header, reply_to, swap_pdf, token_address
from tests.gateway.test_bill_forwards import FORWARDS, TOKEN_SENDER, french_amount, plain_spaces
from tests.helpers import CORPUS, DOMAIN, EMAILS, GATEWAY_ADDRESS, ROOT

BY_NAME = {entry["file"].removesuffix(".eml"): entry for entry in FORWARDS}
EXPORT_FORMATS = ("fec", "sage", "ciel", "quickbooks", "quickbooks-bills")


def expected_of(entry: dict) -> dict:
    return json.loads((CORPUS / entry["pdf"]["expected"]).read_text(encoding="utf-8"))


def forward(live, signing, name: str, raw: bytes | None = None):
    """The staff member's forward as their mail server sends it: DKIM-signed for the company's domain."""
    entry = BY_NAME[name]
    raw = raw or (EMAILS / "bills" / entry["file"]).read_bytes()
    return live.exchange(signing.sign(raw, DOMAIN), entry["staff"], [GATEWAY_ADDRESS])


def answer(live, signing, summary, sender: str, body: str, number: int, signed: bool = True,
           extra_headers: str = "", to: str | None = None):
    raw = reply_to(summary, sender, body, f"<answer-{number}@{sender.split('@')[1]}>", extra_headers, to)
    if signed:
        raw = signing.sign(raw, sender.split("@")[1])
    return live.exchange(raw, sender, [to or token_address(summary)])


def bill_of(live, mail_id: int) -> ReceivedBill:
    with live.gateway.database.sessions() as session:
        return session.scalars(select(ReceivedBill).where(ReceivedBill.mail_id == mail_id)).one()


def reload(live, bill: ReceivedBill) -> ReceivedBill:
    with live.gateway.database.sessions() as session:
        return session.get(ReceivedBill, bill.id)


def summary_text(row) -> str:
    return plain_spaces(row.body_text)


def export(live, tmp_path, fmt: str, issued: str) -> list:
    """`python -m gateway export` against the same database, as the accountant's monthly run does,
    over a period holding both the bill's date and today's (the entry may be dated either way)."""
    config = live.gateway.config
    output = tmp_path / f"export.{fmt}"
    env = {
        **os.environ,
        "GATEWAY_STORAGE__VAR_DIR": str(config.var_dir),
        "GATEWAY_STORAGE__DATABASE_URL": config.database_url,
        "GATEWAY_MAIL__DOMAINS": json.dumps(config.mail.domains),
    }
    start, end = sorted([date.fromisoformat(issued), date.today()])
    period = ["--from", (start - timedelta(days=1)).isoformat(), "--to", (end + timedelta(days=1)).isoformat()]
    command = [sys.executable, "-m", "gateway", "export", "--format", fmt, *period, "--output", str(output)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    # Read back by the parser written from each format's specification.
    return read_export(fmt, output.read_bytes(), config.accounting)


@pytest.mark.slow
def test_facturx_bill_forwarded_then_signed_ok_is_validated_and_in_every_export(live_any_db, signing, tmp_path):
    live, entry = live_any_db, BY_NAME["outlook_inline"]
    expected = expected_of(entry)
    sent = forward(live, signing, "outlook_inline")
    assert (sent.mail.status, sent.mail.route, sent.mail.auth_verdict) == ("processed", "bill", "pass"), sent.mail.reason
    row, message = sent.only("bill_summary")
    assert parseaddr(message["To"])[1] == entry["staff"]
    assert TOKEN_SENDER.fullmatch(token_address(message))
    assert row.in_reply_to == entry["message_id"]
    # Sent from a token address as a new message of the thread, it says so (RFC 3834): no auto-responder answers it.
    assert header(message, "Auto-Submitted") in ("auto-replied", "auto-generated")
    text = summary_text(row)
    for value in ("total_incl_tax", "total_excl_tax", "total_tax"):
        assert french_amount(expected[value]) in text, value
    assert expected["number"] in text and expected["supplier"]["name"] in text
    bill = bill_of(live, sent.mail.id)
    assert (bill.status, bill.number) == ("awaiting_staff", expected["number"])
    assert bill.total_incl_tax == expected["total_incl_tax"]

    validated = answer(live, signing, message, entry["staff"], "OK", 1)
    assert (validated.mail.auth_verdict, validated.mail.route) == ("pass", "reply"), validated.mail.reason
    validated.only("bill_validated")
    assert reload(live, bill).status == "validated"
    for fmt in EXPORT_FORMATS:
        exported = export(live, tmp_path, fmt, expected["issue_date"])
        entries = [entry for entry in exported if entry.piece_ref == expected["number"]]
        assert len(entries) == 1, fmt
        debit, credit = (sum(getattr(line, side) for line in entries[0].lines) for side in ("debit", "credit"))
        # A purchase entry debits charges and deductible VAT, and credits the supplier, by the TTC.
        assert debit == credit == Decimal(expected["total_incl_tax"]), fmt


def test_correction_sends_a_new_summary_with_the_corrected_total(live, signing):
    entry = BY_NAME["thunderbird_inline"]
    _, first = forward(live, signing, "thunderbird_inline").only("bill_summary")
    corrected = answer(live, signing, first, entry["staff"], "TTC : 1 234,56", 1)
    row, second = corrected.only("bill_summary")
    assert "1 234,56" in summary_text(row)
    assert token_address(second) != token_address(first)
    assert header(second, "In-Reply-To") == f"<answer-1@{DOMAIN}>"
    with live.gateway.database.sessions() as session:
        bill = session.scalars(select(ReceivedBill)).one()
    assert bill.total_incl_tax == "1234.56" and bill.status == "awaiting_staff"
    assert [change["field"] for change in bill.corrections] == ["total_incl_tax"]
    # The first summary no longer counts: an OK to it would validate values the person never saw.
    stale = answer(live, signing, first, entry["staff"], "OK", 2)
    stale.only("reply_refused")
    with live.gateway.database.sessions() as session:
        assert session.get(ReceivedBill, bill.id).status == "awaiting_staff"


def test_non_with_a_motif_rejects_the_bill(live, signing):
    entry = BY_NAME["gmail_inline"]
    sent = forward(live, signing, "gmail_inline")
    _, summary = sent.only("bill_summary")
    rejected = answer(live, signing, summary, entry["staff"], "NON déjà payée par carte", 1)
    rejected.only("bill_rejected")
    bill = bill_of(live, sent.mail.id)
    assert bill.status == "rejected" and "déjà payée par carte" in bill.status_reason


def test_same_bill_forwarded_twice_asks_doublon_or_nouveau_naming_the_first(live, signing):
    first = forward(live, signing, "outlook_inline")
    second = forward(live, signing, "gmail_attachment")  # the same Factur-X file, forwarded by Marie
    row, summary = second.only("bill_summary")
    text = summary_text(row)
    assert "DOUBLON" in text and "NOUVEAU" in text
    assert BY_NAME["outlook_inline"]["staff"] in text or "Jean Martin" in text
    earlier, again = bill_of(live, first.mail.id), bill_of(live, second.mail.id)
    assert (again.status, again.duplicate_of_bill_id) == ("awaiting_duplicate", earlier.id)
    answer(live, signing, summary, BY_NAME["gmail_attachment"]["staff"], "DOUBLON", 1)
    assert reload(live, again).status == "duplicate"
    assert reload(live, earlier).status == "awaiting_staff"


def test_new_iban_for_a_supplier_with_a_validated_one_raises_an_alert(live, signing):
    entry = BY_NAME["outlook_inline"]
    _, summary = forward(live, signing, "outlook_inline").only("bill_summary")
    answer(live, signing, summary, entry["staff"], "OK", 1).only("bill_validated")
    pdf = (CORPUS / entry["pdf"]["corpus_file"]).read_bytes()
    new_iban = b"FR76 3000 6000 0112 3456 7890 189"
    later = facturx_variant(pdf, {b"FR20 1254 2547 2569 8542 5874 698": new_iban, b"F20260023": b"F20260031",
                                  b"20260131": b"20260227"})
    raw = (EMAILS / "bills" / entry["file"]).read_bytes()
    words = {b"F20260023": b"F20260031", entry["message_id"].encode(): b"<later-bill@exemple.test>"}
    raw = swap_pdf(raw, pdf, later, words)
    sent = forward(live, signing, "outlook_inline", raw)
    row, _ = sent.only("bill_summary")
    text = summary_text(row)
    assert "IBAN" in text and "FR76 3000 6000 0112 3456 7890 189".replace(" ", "") in text.replace(" ", "")
    assert "ALERTE" in text.upper()
    bill = bill_of(live, sent.mail.id)
    assert (bill.number, bill.status) == ("F20260031", "awaiting_staff")


def test_forged_ok_without_signature_from_outside_is_ignored(live, signing):
    entry = BY_NAME["outlook_inline"]
    sent = forward(live, signing, "outlook_inline")
    _, summary = sent.only("bill_summary")
    forged = answer(live, signing, summary, entry["staff"], "OK", 1, signed=False)
    assert (forged.mail.status, forged.mail.route, forged.mail.auth_verdict) == ("ignored", "untrusted", "fail")
    assert forged.outbox == []
    assert bill_of(live, sent.mail.id).status == "awaiting_staff"


def test_second_ok_after_validation_is_refused(live, signing):
    entry = BY_NAME["outlook_inline"]
    sent = forward(live, signing, "outlook_inline")
    _, summary = sent.only("bill_summary")
    answer(live, signing, summary, entry["staff"], "OK", 1).only("bill_validated")
    replayed = answer(live, signing, summary, entry["staff"], "OK", 2)
    row, message = replayed.only("reply_refused")
    assert parseaddr(message["To"])[1] == entry["staff"]
    assert "déjà" in plain_spaces(row.body_text)
    assert bill_of(live, sent.mail.id).status == "validated"
    with live.gateway.database.sessions() as session:
        assert session.scalar(select(ReceivedBill.journal_entry_id).where(ReceivedBill.mail_id == sent.mail.id))


def test_ok_through_another_persons_bill_token_is_refused(live, signing):
    jean = BY_NAME["outlook_inline"]
    forward(live, signing, "outlook_inline").only("bill_summary")
    maries = forward(live, signing, "gmail_inline")
    _, maries_summary = maries.only("bill_summary")
    # Jean answers OK to the summary of Marie's bill, bound to Marie.
    refused = answer(live, signing, maries_summary, jean["staff"], "OK", 1)
    row, message = refused.only("reply_refused")
    assert parseaddr(message["To"])[1] == jean["staff"]
    assert bill_of(live, maries.mail.id).status == "awaiting_staff"
    assert "autre personne" in plain_spaces(row.body_text)


def test_supplier_answering_the_summary_thread_is_not_acted_on(live, signing):
    entry = BY_NAME["outlook_inline"]
    sent = forward(live, signing, "outlook_inline")
    _, summary = sent.only("bill_summary")
    supplier = entry["original"]["sender"]
    answered = answer(live, signing, summary, supplier, "OK, merci pour votre règlement.", 1)
    assert answered.mail.auth_verdict == "pass" and answered.mail.route != "reply"
    assert answered.mail.status in ("ignored", "processed") and answered.outbox == []
    assert bill_of(live, sent.mail.id).status == "awaiting_staff"


def test_auto_reply_to_the_summary_is_ignored_and_not_answered(live, signing):
    entry = BY_NAME["outlook_inline"]
    sent = forward(live, signing, "outlook_inline")
    _, summary = sent.only("bill_summary")
    away = answer(live, signing, summary, entry["staff"], "Je suis absent jusqu'au 9 février. OK", 1,
                  extra_headers="Auto-Submitted: auto-replied\nX-Auto-Response-Suppress: All\n")
    assert (away.mail.status, away.mail.route) == ("ignored", "automated")
    assert away.outbox == []
    assert bill_of(live, sent.mail.id).status == "awaiting_staff"


@pytest.mark.parametrize("name", list(BY_NAME))
def test_each_client_forward_through_smtp_gets_its_summary(live_trusted, name):
    entry = BY_NAME[name]
    expected = expected_of(entry)
    raw = (EMAILS / "bills" / entry["file"]).read_bytes()
    sent = live_trusted.exchange(raw, entry["staff"], [GATEWAY_ADDRESS])
    row, message = sent.only("bill_summary")
    assert parseaddr(message["To"])[1] == entry["staff"]
    # The client threads the summary under the forward only if the header holds the bare id.
    assert header(message, "In-Reply-To") == entry["message_id"]
    assert entry["message_id"] in header(message, "References").split()
    text = summary_text(row)
    assert expected["number"] in text and french_amount(expected["total_incl_tax"]) in text
    assert bill_of(live_trusted, sent.mail.id).filename == entry["pdf"]["filename"]
