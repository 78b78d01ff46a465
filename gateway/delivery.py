"""Sends one outbox row through the configured transport, once, and records the outcome."""

import logging

from gateway.app import Gateway
from gateway.compose import build_message
from gateway.maildir import write_once
from gateway.models import Outbox, utcnow

log = logging.getLogger(__name__)


class RetryLater(Exception):
    """Delivery failed for a reason that may pass; the queue tries again with backoff."""


def maildir_name(row: Outbox) -> str:
    """A name fixed by the row, so a retry after a crash finds the copy already written."""
    stamp = int(row.created_at.timestamp())
    return f"{stamp}.outbox{row.id}.invoice-gateway"


def deliver(gateway: Gateway, outbox_id: int) -> str:
    """Deliver the row if still pending; return its final status. Safe to repeat."""
    with gateway.database.transaction() as session:
        row = session.get(Outbox, outbox_id, with_for_update=True)
        if row is None:
            return "missing"
        if row.status != "pending":
            return row.status
        row.attempts += 1
        try:
            data = build_message(row, gateway.loop_marker)
            path = write_once(gateway.config.maildir, maildir_name(row), data)
        except OSError as error:
            row.last_error = f"{type(error).__name__}: {error}"
            if row.attempts >= gateway.config.outbound.max_attempts:
                row.status = "failed"
                log.error("outbox %s failed after %s attempts: %s", row.id, row.attempts, row.last_error)
                return row.status
            failed_attempt = row.last_error
        else:
            row.status = "sent"
            row.sent_at = utcnow()
            row.delivered_as = str(path)
            row.last_error = ""
            return row.status
    # The attempt count is committed before the queue schedules the next try.
    raise RetryLater(failed_attempt)
