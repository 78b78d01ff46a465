"""Sends one outbox row through the configured transport and records the outcome."""

import contextvars
import logging
import secrets
from datetime import datetime, timedelta

from gateway import metrics
from gateway.app import Gateway
from gateway.compose import build_message, sender_address
from gateway.logs import bind_log_context
from gateway.models import Outbox, as_utc, utcnow
from gateway.outbound_identity import DkimKeyError, sign_outgoing
from gateway.outbox_files import load_attachments
from gateway.transports import DeliveryFailure, Envelope, send

log = logging.getLogger(__name__)

# While a worker sends a row, `delivered_as` holds this marker, so that a second worker given the
# same row (a rescan, a redelivered job) leaves it alone instead of sending a second copy.
CLAIM_PREFIX = "sending since "


class RetryLater(Exception):
    """Delivery failed for a reason that may pass; `delay` says when the row is due again."""

    def __init__(self, reason: str, delay: timedelta = timedelta(0)):
        super().__init__(reason)
        self.delay = delay


def retry_delay(attempts: int, base_seconds: int, max_seconds: int) -> timedelta:
    """The wait after the n-th failed attempt: base, 2×base, 4×base…, never above the maximum."""
    return timedelta(seconds=min(max_seconds, base_seconds * 2 ** max(0, attempts - 1)))


def maildir_name(row: Outbox) -> str:
    """A name fixed by the row, so a retry after a crash finds the copy already written."""
    stamp = int(row.created_at.timestamp())
    return f"{stamp}.outbox{row.id}.invoice-gateway"


def deliver(gateway: Gateway, outbox_id: int) -> str:
    """Deliver the row if still pending and due; return its status. Safe to repeat."""
    # A context of its own: the ids bound while sending name every line logged, and stay here.
    return contextvars.copy_context().run(_deliver, gateway, outbox_id)


def _deliver(gateway: Gateway, outbox_id: int) -> str:
    bind_log_context(outbox_id=outbox_id)
    if gateway.config.outbound.transport == "maildir":
        return _deliver_locally(gateway, outbox_id)
    return _deliver_to_relay(gateway, outbox_id)


def _deliver_locally(gateway: Gateway, outbox_id: int) -> str:
    """Maildir delivery: the file is written with no transaction open, then the outcome recorded.

    The row fixes the file's name, so a second writer of the same row (a rescan, a retry after a
    crash) finds the file there and adds nothing: no claim is needed, and the two fsyncs of the
    write never hold SQLite's one write lock.
    """
    with gateway.database.sessions() as session:
        row = session.get(Outbox, outbox_id)
    if row is None:
        return "missing"
    if row.status != "pending" or not _due(row):
        return row.status
    try:
        delivered_as = _send(gateway, row)
    except DeliveryFailure as failure:
        return _record_failure(gateway, outbox_id, "", failure, count_attempt=True)
    return _record_sent(gateway, outbox_id, delivered_as, count_attempt=True)


def _deliver_to_relay(gateway: Gateway, outbox_id: int) -> str:
    """The row is claimed in one short transaction and its outcome recorded in another: the network
    conversation with a relay must not hold the database's write lock (SQLite has only one).
    """
    status, row, claim = _claim(gateway, outbox_id)
    if row is None:
        return status
    try:
        delivered_as = _send(gateway, row)
    except DeliveryFailure as failure:
        return _record_failure(gateway, outbox_id, claim, failure)
    except Exception as error:
        # A bug must still end the row with its reason, not leave it claimed and silent.
        log.exception("outbox %s: unexpected error while sending", outbox_id)
        return _record_failure(gateway, outbox_id, claim, DeliveryFailure(f"{type(error).__name__}: {error}", False))
    return _record_sent(gateway, outbox_id, delivered_as)


def _send(gateway: Gateway, row: Outbox) -> str:
    """One attempt, timed for the metrics; from here on the log lines also name the answered mail."""
    bind_log_context(mail_id=row.mail_id)
    with metrics.DELIVERY_SECONDS.time():
        return send(gateway.config, prepare(gateway, row))


def prepare(gateway: Gateway, row: Outbox) -> Envelope:
    """The bytes to send, DKIM-signed when a key is configured, and the SMTP envelope."""
    outbound = gateway.config.outbound
    sender = sender_address(row)
    data = build_message(row, gateway.loop_marker, load_attachments(gateway, row.id))
    try:
        data = sign_outgoing(outbound, data, sender)
    except DkimKeyError as error:
        raise DeliveryFailure(f"DKIM key: {error}", permanent=False) from error
    recipients = tuple(dict.fromkeys([*row.recipients, *row.cc]))
    return Envelope(sender=sender, recipients=recipients, data=data, maildir_name=maildir_name(row))


def claim_lease(gateway: Gateway) -> timedelta:
    """How long a claim holds: longer than any SMTP session can last with the relay timeout."""
    return timedelta(seconds=max(60, 10 * gateway.config.outbound.relay_timeout))


def _claim(gateway: Gateway, outbox_id: int) -> tuple[str, Outbox | None, str]:
    with gateway.database.transaction() as session:
        row = session.get(Outbox, outbox_id, with_for_update=True)
        if row is None:
            return "missing", None, ""
        if row.status != "pending" or _claimed(row.delivered_as, claim_lease(gateway)):
            return row.status, None, ""
        if not _due(row):
            return row.status, None, ""
        # The attempt is counted before sending: a worker killed mid-send still used one.
        row.attempts += 1
        row.delivered_as = f"{CLAIM_PREFIX}{utcnow().isoformat()} claim {secrets.token_hex(4)}"
        return row.status, row, row.delivered_as


def _claimed(delivered_as: str, lease: timedelta) -> bool:
    """Another worker is sending this row now; a claim older than the lease was left by a dead one."""
    if not delivered_as.startswith(CLAIM_PREFIX):
        return False
    since = datetime.fromisoformat(delivered_as[len(CLAIM_PREFIX):].split(" ", 1)[0])
    return utcnow() - since < lease


def _due(row: Outbox) -> bool:
    """False while a failed attempt's backoff runs: a retry woke up early (a rescan, a redelivery)."""
    return row.next_attempt_at is None or utcnow() >= as_utc(row.next_attempt_at)


def _mark_sent(row: Outbox, delivered_as: str) -> None:
    row.status = "sent"
    row.sent_at = row.sent_at or utcnow()
    row.delivered_as = delivered_as
    row.last_error = ""


def _apply_failure(row: Outbox, failure: DeliveryFailure, outbound) -> timedelta | None:
    """Record a failed attempt: `failed` for good (None), or the wait before the next attempt."""
    row.last_error = failure.reason
    if failure.permanent or row.attempts >= outbound.max_attempts:
        row.status = "failed"
        metrics.delivery_failed(final=True)
        log.error("outbox %s failed after %s attempts: %s", row.id, row.attempts, row.last_error)
        return None
    metrics.delivery_failed(final=False)
    delay = retry_delay(row.attempts, outbound.retry_base_seconds, outbound.retry_max_seconds)
    row.next_attempt_at = utcnow() + delay
    log.warning("outbox %s attempt %s failed, retry in %s: %s", row.id, row.attempts, delay, failure.reason)
    return delay


def _record_sent(gateway: Gateway, outbox_id: int, delivered_as: str, count_attempt: bool = False) -> str:
    with gateway.database.transaction() as session:
        row = session.get(Outbox, outbox_id, with_for_update=True)
        if count_attempt and row.status == "pending":
            row.attempts += 1
        # The message has left, whatever another worker recorded meanwhile: say so.
        _mark_sent(row, delivered_as)
        return row.status


def _record_failure(gateway: Gateway, outbox_id: int, claim: str, failure: DeliveryFailure,
                    count_attempt: bool = False) -> str:
    with gateway.database.transaction() as session:
        row = session.get(Outbox, outbox_id, with_for_update=True)
        if row.status != "pending":
            return row.status
        if count_attempt:
            row.attempts += 1
        if row.delivered_as == claim:
            row.delivered_as = ""
        delay = _apply_failure(row, failure, gateway.config.outbound)
        if delay is None:
            return row.status
    # The attempt count and the due time are committed before the queue schedules the next try.
    raise RetryLater(failure.reason, delay)
