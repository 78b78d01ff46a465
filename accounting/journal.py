"""Stores journal entries and reads them back by period, in the caller's transaction."""

import json
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from accounting.entries import BookedEntry, Entry, EntryLine
from accounting.models import JournalEntry, JournalLine
from accounting.periods import in_open_period
from gateway.models import as_utc, utcnow

PARIS = ZoneInfo("Europe/Paris")
ENTRY_WITH_LINES = text("""
WITH entry AS (
    INSERT INTO journal_entries (journal, entry_date, piece_ref, piece_date, label, due_date, source_kind, source_id,
                                 corrects_entry_id, created_at)
    VALUES (:journal, :entry_date, :piece_ref, :piece_date, :label, :due_date, :source_kind, :source_id,
            :corrects_entry_id, :created_at)
    RETURNING id)
INSERT INTO journal_lines (entry_id, position, account, aux_account, aux_label, label, debit, credit, lettering)
SELECT entry.id, line.position, line.account, line.aux_account, line.aux_label, line.label, line.debit, line.credit, ''
FROM entry, jsonb_to_recordset(CAST(:lines AS jsonb))
     AS line(position int, account text, aux_account text, aux_label text, label text, debit text, credit text)
RETURNING entry_id""")


def record_entry(session: Session, entry: Entry, corrects_entry_id: int | None = None) -> int:
    """Store a balanced entry and its lines; return its id. An unbalanced entry is refused (ValueError).

    An entry dated in a month the accountant closed goes to the first open month (accounting/periods.py).
    """
    entry = in_open_period(session, entry)
    if not entry.is_balanced():
        raise ValueError(f"unbalanced entry {entry.journal} {entry.piece_ref}: "
                         f"debit {entry.total_debit()}, credit {entry.total_credit()}")
    values = {
        "journal": entry.journal, "entry_date": entry.entry_date, "piece_ref": entry.piece_ref,
        "piece_date": entry.piece_date, "label": entry.label, "due_date": entry.due_date,
        "source_kind": entry.source_kind, "source_id": entry.source_id, "corrects_entry_id": corrects_entry_id,
        "created_at": utcnow(),
    }
    lines = [{"position": position, "account": line.account, "aux_account": line.aux_account,
              "aux_label": line.aux_label, "label": line.label, "debit": str(line.debit), "credit": str(line.credit)}
             for position, line in enumerate(entry.lines)]
    # Plain statements rather than the ORM's unit of work: an invoice's entry is written while the
    # archive chain is locked (invoicing/issue.py), where every millisecond is the issuing throughput's.
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # The entry and its lines in one statement: one round trip instead of two.
        return connection.execute(ENTRY_WITH_LINES, values | {"lines": json.dumps(lines)}).scalars().first()
    entry_id = connection.execute(insert(JournalEntry).returning(JournalEntry.id), values).scalar_one()
    connection.execute(insert(JournalLine), [line | {"entry_id": entry_id, "lettering": ""} for line in lines])
    return entry_id


def record_entry_once(session: Session, entry: Entry) -> int:
    """Like record_entry, but a document already booked (same source kind and id) returns its entry's id.

    Validations may be processed twice (a replayed mail, a worker retried): the document is booked once.
    """
    if entry.source_id is not None:
        existing = session.execute(
            select(JournalEntry.id).where(JournalEntry.source_kind == entry.source_kind,
                                          JournalEntry.source_id == entry.source_id,
                                          JournalEntry.corrects_entry_id.is_(None))
            .order_by(JournalEntry.id).limit(1)
        ).scalar()
        if existing is not None:
            return existing
    return record_entry(session, entry)


def last_charge_account(session: Session, supplier_aux_account: str, supplier_account: str = "401") -> str | None:
    """The charge account (class 6) of the supplier's latest booked entry, or None: the account to propose."""
    latest = session.execute(
        select(JournalLine.entry_id).where(JournalLine.account == supplier_account,
                                           JournalLine.aux_account == supplier_aux_account)
        .order_by(JournalLine.entry_id.desc()).limit(1)
    ).scalar()
    if latest is None:
        return None
    return session.execute(
        select(JournalLine.account).where(JournalLine.entry_id == latest, JournalLine.account.like("6%"))
        .order_by(JournalLine.position).limit(1)
    ).scalar()


def entries_between(session: Session, start: date, end: date, journals: tuple[str, ...] | None = None) -> list[Entry]:
    """The entries dated from start to end (both included), in date then recording order."""
    return [booked.entry for booked in booked_entries_between(session, start, end, journals)]


def booked_entries_between(session: Session, start: date, end: date, journals: tuple[str, ...] | None = None,
                           timezone: ZoneInfo = PARIS) -> list[BookedEntry]:
    """Like entries_between, with each entry's number and the local day it was recorded (for the exports)."""
    conditions = [JournalEntry.entry_date >= start, JournalEntry.entry_date <= end]
    if journals is not None:
        conditions.append(JournalEntry.journal.in_(journals))
    return booked_entries_where(session, conditions, timezone)


def booked_entries_where(session: Session, conditions: list, timezone: ZoneInfo = PARIS) -> list[BookedEntry]:
    """The entries that meet every condition (on JournalEntry columns), in date then recording order."""
    query = select(JournalEntry).where(*conditions)
    rows = session.execute(query.order_by(JournalEntry.entry_date, JournalEntry.id)).scalars().all()
    lines_by_entry: dict[int, list[JournalLine]] = {row.id: [] for row in rows}
    if rows:
        line_query = select(JournalLine).where(JournalLine.entry_id.in_(lines_by_entry)).order_by(JournalLine.position)
        for line in session.execute(line_query).scalars():
            lines_by_entry[line.entry_id].append(line)
    return [BookedEntry(row.id, _entry(row, lines_by_entry[row.id]), as_utc(row.created_at).astimezone(timezone).date())
            for row in rows]


def _entry(row: JournalEntry, lines: list[JournalLine]) -> Entry:
    return Entry(
        journal=row.journal, entry_date=row.entry_date, piece_ref=row.piece_ref, piece_date=row.piece_date,
        label=row.label, due_date=row.due_date, source_kind=row.source_kind, source_id=row.source_id,
        lines=tuple(EntryLine(line.account, line.label, Decimal(line.debit), Decimal(line.credit),
                              line.aux_account, line.aux_label, line.lettering or "", line.lettered_on)
                    for line in lines),
    )
