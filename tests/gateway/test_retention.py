"""Retention: ignored mail goes after N days (GDPR); bills' originals and anything referred to stay."""

import logging
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update

from gateway.models import Decision, ImapLedger, Mail
from gateway.retention import purge_expired, purge_ignored, years_before
from gateway.ingress import Incoming, receive_many
from tests.helpers import GATEWAY_ADDRESS, UNTRUSTED, deliver, make_mail, store

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=timezone.utc)


def received(gateway, raw: bytes, days_ago: float, status: str | None = None, **envelope) -> int:
    """A mail stored and processed for real, then dated `days_ago` days before NOW."""
    if status == "pending":
        mail_id = store(gateway, raw, **envelope).mail_id
    else:
        mail_id = deliver(gateway, raw, **envelope)[0].id
    with gateway.database.transaction() as session:
        session.execute(update(Mail).where(Mail.id == mail_id).values(received_at=NOW - timedelta(days=days_ago)))
    return mail_id


def statuses(gateway) -> dict[int, str]:
    with gateway.database.sessions() as session:
        return dict(session.execute(select(Mail.id, Mail.status)).all())


def ignored(gateway, days_ago: float) -> int:
    return received(gateway, make_mail(sender="stranger@gmail.com"), days_ago)


def ignored_in_bulk(gateway, count: int, days_ago: float) -> list[int]:
    """Many mails from strangers stored in one commit and left as processing leaves them: ignored."""
    messages = [Incoming(make_mail(sender="stranger@gmail.com"), [GATEWAY_ADDRESS], "smtp", "stranger@gmail.com",
                         "203.0.113.9:25", UNTRUSTED) for _ in range(count)]
    ids = [stored.mail_id for stored in receive_many(gateway.database, messages)]
    with gateway.database.transaction() as session:
        session.execute(update(Mail).where(Mail.id.in_(ids)).values(
            status="ignored", reason="untrusted sender", route="untrusted", received_at=NOW - timedelta(days=days_ago)))
    return ids


def test_ignored_mail_older_than_the_limit_is_deleted_and_younger_kept(any_db_gateway):
    old = [ignored(any_db_gateway, 31), ignored(any_db_gateway, 400)]
    young = ignored(any_db_gateway, 29)
    assert statuses(any_db_gateway)[old[0]] == "ignored"
    assert purge_ignored(any_db_gateway.database, NOW, 30) == 2
    assert set(statuses(any_db_gateway)) == {young}


def test_processed_and_quarantined_mail_is_kept_past_the_ignored_limit(any_db_gateway):
    processed = received(any_db_gateway, make_mail(subject="Facture"), 400)
    quarantined = received(any_db_gateway, b"\x00garbage", 400)
    pending = received(any_db_gateway, make_mail(), 400, status="pending")
    assert purge_ignored(any_db_gateway.database, NOW, 30) == 0
    assert statuses(any_db_gateway) == {processed: "processed", quarantined: "quarantined", pending: "pending"}


def test_mail_past_the_bill_years_is_deleted_but_not_before(any_db_gateway):
    eleven_years = received(any_db_gateway, make_mail(subject="Vieille facture"), 365 * 11)
    nine_years = received(any_db_gateway, make_mail(subject="Facture récente"), 365 * 9)
    unhandled = received(any_db_gateway, make_mail(), 365 * 11, status="pending")
    assert purge_expired(any_db_gateway.database, NOW, 10) == 1
    assert eleven_years not in statuses(any_db_gateway)
    assert set(statuses(any_db_gateway)) == {nine_years, unhandled}


def test_a_mail_a_decision_refers_to_is_kept_for_ever(any_db_gateway):
    approved = received(any_db_gateway, make_mail(subject="OK"), 365 * 11)
    with any_db_gateway.database.transaction() as session:
        session.add(Decision(object_kind="bill", object_id=1, verdict="approved", actor="marie@exemple.test",
                             role="staff", auth_verdict="pass", mail_id=approved))
    assert purge_expired(any_db_gateway.database, NOW, 10) == 0
    assert approved in statuses(any_db_gateway)


def test_the_imap_ledger_keeps_its_row_and_forgets_the_purged_mail(any_db_gateway):
    # Without the ledger row the poller would fetch the message again from the folder.
    mail_id = ignored(any_db_gateway, 60)
    with any_db_gateway.database.transaction() as session:
        session.add(ImapLedger(account="u@imap.test", folder="INBOX", uidvalidity=1, uid=42, mail_id=mail_id))
    assert purge_ignored(any_db_gateway.database, NOW, 30) == 1
    with any_db_gateway.database.sessions() as session:
        ledger = session.execute(select(ImapLedger)).scalar_one()
    assert (ledger.uid, ledger.mail_id) == (42, None)


def test_purge_works_in_batches_and_logs_counts_never_contents(gateway, caplog):
    received(gateway, make_mail(sender="stranger@gmail.com", subject="Secret personnel"), 90)
    ignored_in_bulk(gateway, 4, 90)
    with caplog.at_level(logging.INFO, logger="gateway.retention"):
        assert purge_ignored(gateway.database, NOW, 30, batch=2) == 5
    assert "5 ignored mails" in caplog.text
    assert "Secret" not in caplog.text and "stranger" not in caplog.text


def test_purging_again_finds_nothing(gateway):
    ignored(gateway, 45)
    assert purge_ignored(gateway.database, NOW, 30) == 1
    assert purge_ignored(gateway.database, NOW, 30) == 0


def test_ten_years_before_a_29th_of_february_is_the_28th():
    leap_day = datetime(2028, 2, 29, 12, 0, tzinfo=timezone.utc)
    assert years_before(leap_day, 10) == datetime(2018, 2, 28, 12, 0, tzinfo=timezone.utc)
