"""Legal document numbers: gapless and unique per series, taken under a lock on the series' counter.

A number is taken inside the writing transaction that stores the document. The counter row stays
locked until that transaction ends (UPDATE … RETURNING locks it on PostgreSQL; on SQLite the write
transaction already holds the database's single write lock, BEGIN IMMEDIATE), so two issuers never
get the same number, and a rollback gives the number back: no gap, no duplicate.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, case, update
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
    advanced = _advance(session, series, issue_date)
    if advanced is None:
        # The first number of a series creates its row; ON CONFLICT DO NOTHING lets two issuers
        # race for that insert safely (the loser waits for the winner's commit, then finds it).
        insert = postgres_insert if _is_postgres(session) else sqlite_insert
        session.execute(
            insert(InvoiceCounter)
            .values(series=series, kind=kind, last_seq=0, updated_at=utcnow())
            .on_conflict_do_nothing(index_elements=["series"])
        )
        advanced = _advance(session, series, issue_date)
    seq, previous_date = advanced
    if issue_date < previous_date:
        # Raising rolls the whole transaction back, the counter's advance with it.
        raise IssueDateError(
            f"Date d'émission {issue_date.isoformat()} antérieure au dernier document de la série "
            f"({previous_date.isoformat()}) / issue date {issue_date.isoformat()} is earlier than "
            f"the last one issued in series {series!r} ({previous_date.isoformat()})"
        )
    return Number(text=format_number(series, seq), series=series, seq=seq, kind=kind)


# Built once: the statements of the locked section run thousands of times a minute at peak.
# On SQLite the transaction began with BEGIN IMMEDIATE and already holds the only write lock.
COUNTERS = InvoiceCounter.__table__
ISSUE_DATE = bindparam("issue_date")
# One statement locks and advances the counter (the row stays locked until the transaction ends):
# the new number, and the series' last issue date, later than the one asked only when the date
# would go back in time.
ADVANCE_COUNTER = (
    update(COUNTERS).where(COUNTERS.c.series == bindparam("at_series"))
    .values(last_seq=COUNTERS.c.last_seq + 1,
            last_issue_date=case((COUNTERS.c.last_issue_date > ISSUE_DATE, COUNTERS.c.last_issue_date),
                                 else_=ISSUE_DATE),
            updated_at=bindparam("now"))
    .returning(COUNTERS.c.last_seq, COUNTERS.c.last_issue_date)
)


def _advance(session: Session, series: str, issue_date: date) -> tuple[int, date | None] | None:
    """Lock and advance the series' counter: (new seq, the series' last issue date), None when missing."""
    row = session.connection().execute(
        ADVANCE_COUNTER, {"at_series": series, "issue_date": issue_date, "now": utcnow()}).one_or_none()
    if row is None:
        return None
    return row.last_seq, row.last_issue_date


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"
