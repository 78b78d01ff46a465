"""The newcomer's path with the real `serve` process: forward a bill, read the summary, answer OK, export."""

import email
import smtplib
from email.utils import parseaddr

import pytest
from sqlalchemy import select

from bills.models import ReceivedBill
from gateway.app import open_gateway
from gateway.models import TERMINAL_STATES, Mail, Outbox
from tests.e2e.mails import reply_to, token_address
from tests.e2e.test_bills_smtp import BY_NAME, expected_of, plain_spaces
from tests.gateway.test_serve import outbox_files, serve_process, wait_until  # noqa: F401 - the fixture
from tests.helpers import EMAILS, GATEWAY_ADDRESS

pytestmark = pytest.mark.slow


def rows(config) -> tuple[list[ReceivedBill], list[Outbox]]:
    gateway = open_gateway(config, migrate=False)
    try:
        with gateway.database.sessions() as session:
            bills = list(session.scalars(select(ReceivedBill)))
            return bills, list(session.scalars(select(Outbox).order_by(Outbox.id)))
    finally:
        gateway.close()


def finished_mails(config) -> list[Mail]:
    gateway = open_gateway(config, migrate=False)
    try:
        with gateway.database.sessions() as session:
            return list(session.scalars(select(Mail).where(Mail.status.in_(TERMINAL_STATES)).order_by(Mail.id)))
    finally:
        gateway.close()


def wait_answered(serve_process, config, count: int) -> None:
    """Wait until `count` mails are finished and as many messages are in the Maildir; say why not."""
    wait_until(lambda: len(finished_mails(config)) >= count, timeout=90, message=f"{count} mails finished")
    mails = finished_mails(config)
    assert [mail.status for mail in mails] == ["processed"] * count, [(mail.status, mail.reason) for mail in mails]
    wait_until(lambda: len(outbox_files(serve_process.var_dir)) == count, timeout=30, message=f"{count} answers")


def test_bill_forwarded_to_serve_is_summarised_then_validated_by_ok(serve_process):
    entry = BY_NAME["thunderbird_attachment"]
    expected = expected_of(entry)
    serve_process.start()
    config = serve_process.config()
    with smtplib.SMTP("127.0.0.1", serve_process.port, timeout=30) as client:
        client.sendmail(entry["staff"], [GATEWAY_ADDRESS], (EMAILS / "bills" / entry["file"]).read_bytes())
    wait_answered(serve_process, config, 1)
    summary = email.message_from_bytes(outbox_files(serve_process.var_dir)[0].read_bytes())
    bills, outbox = rows(config)
    assert [row.template for row in outbox] == ["bill_summary"]
    assert parseaddr(summary["To"])[1] == entry["staff"]
    assert expected["number"] in plain_spaces(outbox[0].body_text)
    assert [bill.status for bill in bills] == ["awaiting_staff"]

    ok = reply_to(summary, entry["staff"], "OK", "<ok-serve@exemple.test>")
    with smtplib.SMTP("127.0.0.1", serve_process.port, timeout=30) as client:
        client.sendmail(entry["staff"], [token_address(summary)], ok)
    wait_answered(serve_process, config, 2)
    bills, outbox = rows(config)
    assert [row.template for row in outbox] == ["bill_summary", "bill_validated"]
    assert [bill.status for bill in bills] == ["validated"]
