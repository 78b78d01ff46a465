"""Accounting periods (months): the accountant closes one, and nothing dated in it changes after.

An entry whose date falls in a closed month is booked in the first open month after it, on its first
day, its label showing the document's real date (docs/accountant.md). Closing takes the period row's
lock, and booking reads it under a shared lock on PostgreSQL: an entry is either booked before the
close commits (and belongs to the closed month) or sees the month closed.
"""

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from accounting.entries import Entry
from accounting.models import AccountingPeriod
from gateway.models import utcnow

PARIS = ZoneInfo("Europe/Paris")
# The first time zone to reach a new day (Kiribati, UTC+14).
EARLIEST_OFFSET = timedelta(hours=14)


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def month_text(month: date) -> str:
    """"2026-10": how a month is written in commands, file names and subjects."""
    return f"{month.year:04d}-{month.month:02d}"


def parse_month(text: str) -> date:
    """A month written YYYY-MM (or any day of it, YYYY-MM-DD); ValueError otherwise."""
    text = text.strip()
    if len(text) == 7:
        text += "-01"
    return month_of(date.fromisoformat(text))


def closed_months(session: Session, from_month: date) -> set[date]:
    """The closed months from `from_month` on.

    Every period row from that month on is read under a shared lock (PostgreSQL), open ones too: a close of one of them then waits for this transaction, which cannot book into a
    month closed under its feet.
    """
    query = select(AccountingPeriod.month, AccountingPeriod.state).where(AccountingPeriod.month >= from_month)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(read=True)
    # On the connection: no autoflush of the session's pending objects for this small read.
    return {month for month, state in session.connection().execute(query) if state == "closed"}


def posting_date(session: Session, wanted: date) -> date:
    """`wanted` when its month is open, else the first day of the first open month after it."""
    if not_ended_anywhere(month_of(wanted)):
        # No query: a month is closed only once it has ended (close_period), and this one has not.
        # Invoices are issued on the day, so issuing reads nothing here.
        return wanted
    closed = _closed_in_transaction(session, month_of(wanted))
    if month_of(wanted) not in closed:
        return wanted
    month = next_month(month_of(wanted))
    while month in closed:
        month = next_month(month)
    return month


def not_ended_anywhere(month: date, now: datetime | None = None) -> bool:
    """The month has not ended yet, even in the first time zone to change day (UTC+14)."""
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc) + EARLIEST_OFFSET
    return next_month(month) > moment.date()


def _closed_in_transaction(session: Session, month: date) -> set[date]:
    """closed_months, read once per transaction and month: the shared lock holds them until it ends.

    Issuing reads it before it takes the archive chain's lock, so that the booking of the sales
    entry, which runs one issuer at a time, does not wait on this query.
    """
    transaction = session.get_transaction()
    cached = session.info.get("closed_months")
    if cached is None or cached[0] is not transaction:
        cached = session.info["closed_months"] = (transaction, {})
    if month not in cached[1]:
        cached[1][month] = closed_months(session, month)
    return cached[1][month]


def in_open_period(session: Session, entry: Entry) -> Entry:
    """The entry as it may be booked: moved out of a closed month, its label saying the document's date."""
    day = posting_date(session, entry.entry_date)
    if day == entry.entry_date:
        return entry
    shown = f" (pièce du {entry.piece_date:%d/%m/%Y})"
    return replace(entry, entry_date=day, label=(entry.label[:255 - len(shown)] + shown))


def period_for(session: Session, month: date, lock: bool = False) -> AccountingPeriod:
    """The month's row, created when missing (by one of two racing callers; both get the same row)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(AccountingPeriod).values(month=month, state="open", mails_sent=0, archive_head="",
                                                    closed_by="", created_at=utcnow())
                    .on_conflict_do_nothing(index_elements=["month"]))
    query = select(AccountingPeriod).where(AccountingPeriod.month == month)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.execute(query).scalar_one()


class PeriodNotEnded(ValueError):
    """A month is closed once it has ended: until then invoices may still be dated in it."""


def close_period(session: Session, period: AccountingPeriod, actor: str, mail_id: int | None,
                 now: datetime | None = None, tz: ZoneInfo = PARIS) -> bool:
    """Close the month; False when it already was (closing twice changes nothing).

    Raises PeriodNotEnded for a month not over yet in the company's time zone.
    """
    if period.state == "closed":
        return False
    today = (now or datetime.now(timezone.utc)).astimezone(tz).date()
    if today < next_month(period.month):
        raise PeriodNotEnded(f"{month_text(period.month)} is not over yet")
    period.state, period.closed_at, period.closed_by, period.closing_mail_id = "closed", now or utcnow(), actor, mail_id
    session.flush()
    session.info.pop("closed_months", None)
    return True
