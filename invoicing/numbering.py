"""Legal document numbers: gapless and unique per series, taken under a lock on the series' counter.

A number is taken inside the writing transaction that stores the document. The counter row stays
locked until that transaction ends (SELECT … FOR UPDATE on PostgreSQL; on SQLite the write
transaction already holds the database's single write lock, BEGIN IMMEDIATE), so two issuers never
get the same number, and a rollback gives the number back: no gap, no duplicate.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from gateway.config import Config
from gateway.models import utcnow
from invoicing.models import InvoiceCounter

PATTERN_KEYS = {"invoice": "invoice_pattern", "credit_note": "credit_note_pattern", "deposit": "deposit_pattern"}


class IssueDateError(ValueError):
    """The issue date would break the series' chronological order."""


@dataclass(frozen=True)
class Number:
    text: str          # e.g. "FA2026-0042"
    series: str        # e.g. "FA2026-{seq:04d}"
    seq: int           # 42
    kind: str


class _KeepSeq:
    """Formats back to its own placeholder, so that a pattern can be filled in all but {seq}."""

    def __format__(self, spec: str) -> str:
        return "{seq:" + spec + "}" if spec else "{seq}"


def number_pattern(config: Config, kind: str) -> str:
    try:
        return getattr(config.invoicing, PATTERN_KEYS[kind])
    except KeyError:
        raise ValueError(f"Unknown document kind {kind!r}: expected one of {sorted(PATTERN_KEYS)}") from None


def series_of(pattern: str, issue_date: date) -> str:
    """The series a date falls in: the pattern with its year filled in ("FA2026-{seq:04d}").

    A pattern with {year} starts a new series, hence seq 1, each year; one without it keeps a
    single series forever (restarting it would repeat numbers).
    """
    return pattern.format(year=issue_date.year, seq=_KeepSeq())


def format_number(series: str, seq: int) -> str:
    return series.format(seq=seq)


def next_number(session: Session, config: Config, kind: str, issue_date: date) -> Number:
    """Take the series' next number; call it inside the transaction that stores the document."""
    series = series_of(number_pattern(config, kind), issue_date)
    counter = _locked_counter(session, series, kind)
    if counter.last_issue_date is not None and issue_date < counter.last_issue_date:
        raise IssueDateError(
            f"Date d'émission {issue_date.isoformat()} antérieure au dernier document de la série "
            f"({counter.last_issue_date.isoformat()}) / issue date {issue_date.isoformat()} is earlier than "
            f"the last one issued in series {series!r} ({counter.last_issue_date.isoformat()})"
        )
    counter.last_seq += 1
    counter.last_issue_date = issue_date
    counter.updated_at = utcnow()
    session.flush()
    return Number(text=format_number(series, counter.last_seq), series=series, seq=counter.last_seq, kind=kind)


def _locked_counter(session: Session, series: str, kind: str) -> InvoiceCounter:
    # The first number of a series creates its row; ON CONFLICT DO NOTHING lets two issuers race
    # for that insert safely (the loser waits for the winner's commit, then finds the row).
    is_postgres = session.get_bind().dialect.name == "postgresql"
    insert = postgres_insert if is_postgres else sqlite_insert
    session.execute(
        insert(InvoiceCounter)
        .values(series=series, kind=kind, last_seq=0, updated_at=utcnow())
        .on_conflict_do_nothing(index_elements=["series"])
    )
    # SQLite has no FOR UPDATE (SQLAlchemy leaves it out): BEGIN IMMEDIATE already serialises writers.
    query = select(InvoiceCounter).where(InvoiceCounter.series == series).with_for_update()
    return session.execute(query.execution_options(populate_existing=True)).scalar_one()
