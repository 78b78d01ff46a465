"""Accounting periods (months): the accountant closes one, and nothing dated in it changes after.

An entry whose date falls in a closed month is booked in the first open month after it, on its first
day, its label showing the document's real date (docs/accountant.md). Closing takes the period row's
lock, and booking reads it under a shared lock on PostgreSQL: an entry is either booked before the
close commits (and belongs to the closed month) or sees the month closed.
"""

from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from accounting.entries import Entry
from accounting.models import AccountingPeriod
from gateway.models import utcnow


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


def closed_months(session: Session, from_month: date, lock: bool = False) -> set[date]:
    """The closed months from `from_month` on; with `lock`, read under a shared lock (PostgreSQL)."""
    query = select(AccountingPeriod.month).where(AccountingPeriod.month >= from_month,
                                                 AccountingPeriod.state == "closed")
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(read=True)
    return set(session.execute(query).scalars())


def posting_date(session: Session, wanted: date) -> date:
    """`wanted` when its month is open, else the first day of the first open month after it."""
    closed = closed_months(session, month_of(wanted), lock=True)
    if month_of(wanted) not in closed:
        return wanted
    month = next_month(month_of(wanted))
    while month in closed:
        month = next_month(month)
    return month


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


def close_period(session: Session, period: AccountingPeriod, actor: str, mail_id: int | None,
                 now: datetime | None = None) -> bool:
    """Close the month; False when it already was (closing twice changes nothing)."""
    if period.state == "closed":
        return False
    period.state, period.closed_at, period.closed_by, period.closing_mail_id = "closed", now or utcnow(), actor, mail_id
    session.flush()
    return True
