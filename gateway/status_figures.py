"""The figures `status` reads from the database's timestamps: latencies and failures of the last hour."""

import math
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bills.status import unreadable_files_since
from gateway.models import Mail, Outbox, as_utc

# How far back `status` looks for latencies and failures: the range an operator acts on.
STATUS_WINDOW = timedelta(hours=1)
# A busy hour is thousands of rows; past this many, the figures are those of a sample.
MAX_ROWS = 50_000

# Conversations that record unreadable files add a counter here (session, since) -> count; the
# bills conversation counts its unreadable attachments. None in the report means nobody counts yet.
EXTRACTION_FAILURE_COUNTERS: list[Callable[[Session, datetime], int]] = [unreadable_files_since]


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of values sorted in ascending order (at least one)."""
    # Rounded first: 0.29 × 100 is 28.999999999999996 in binary floating point.
    rank = max(1, math.ceil(round(fraction * len(sorted_values), 9)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summarise(durations: list[float]) -> dict:
    """count, p50, p99 and max in seconds; the figures are None when there is nothing to measure."""
    values = sorted(durations)
    if not values:
        return {"count": 0, "p50": None, "p99": None, "max": None}
    return {"count": len(values), "p50": round(percentile(values, 0.5), 3),
            "p99": round(percentile(values, 0.99), 3), "max": round(values[-1], 3)}


def recent_latencies(session: Session, since: datetime) -> dict:
    """Reception to terminal state for mails finished since then; outbox row to sent for messages sent."""
    mails = session.execute(
        select(Mail.received_at, Mail.finished_at).where(Mail.finished_at >= since).limit(MAX_ROWS)
    ).all()
    sent = session.execute(
        select(Outbox.created_at, Outbox.sent_at).where(Outbox.sent_at >= since).limit(MAX_ROWS)
    ).all()
    return {
        "mail_seconds": summarise([_seconds(start, end) for start, end in mails]),
        "delivery_seconds": summarise([_seconds(start, end) for start, end in sent]),
    }


def recent_failures(session: Session, since: datetime) -> dict:
    """Mails that ended failed or quarantined, messages failed or retrying, unreadable files."""
    ended = dict(session.execute(
        select(Mail.status, func.count())
        .where(Mail.finished_at >= since, Mail.status.in_(("failed", "quarantined")))
        .group_by(Mail.status)
    ).all())
    # An outgoing message keeps no time of its last attempt: those written in the window count.
    delivery_failed = session.scalar(
        select(func.count()).select_from(Outbox).where(Outbox.status == "failed", Outbox.created_at >= since)
    )
    retrying = session.scalar(
        select(func.count()).select_from(Outbox).where(Outbox.status == "pending", Outbox.attempts > 0, Outbox.last_error != "")
    )
    extraction = [count(session, since) for count in EXTRACTION_FAILURE_COUNTERS]
    return {
        "mails_failed": ended.get("failed", 0),
        "mails_quarantined": ended.get("quarantined", 0),
        "delivery_failed": delivery_failed or 0,
        "delivery_retrying": retrying or 0,
        "extraction_failed": sum(extraction) if extraction else None,
    }


def _seconds(start: datetime, end: datetime) -> float:
    return max(0.0, (as_utc(end) - as_utc(start)).total_seconds())
