"""Booking what was issued or paid before the sales and bank journals existed, once."""

import logging

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from accounting.bank import book_payment
from accounting.journal import record_entry
from accounting.lettering import letter_receivable
from accounting.models import JournalEntry
from accounting.sales import has_amounts, sales_entry
from gateway.config import Config
from invoicing.models import Invoice
from invoicing.stored import stored_document
from receivables.models import Receivable, Settlement

log = logging.getLogger(__name__)


def book_missing(session: Session, config: Config) -> int:
    """Book the documents and payments that have no entry yet, then letter what they settle; return how many.

    Running it again books nothing more: each query looks for rows without their entry.
    """
    settings = config.accounting
    booked_documents, touched_numbers = _book_documents(session, settings)
    booked_payments, touched_ids = _book_payments(session, settings)
    receivables = select(Receivable).where(Receivable.number.in_(touched_numbers) | Receivable.id.in_(touched_ids))
    for receivable in session.execute(receivables.order_by(Receivable.id)).scalars():
        letter_receivable(session, settings, receivable)
    return booked_documents + booked_payments


def _book_documents(session: Session, settings) -> tuple[int, set[str]]:
    """Issued documents without an "issued" entry, in issue order (an invoice before its credit notes)."""
    booked = (select(JournalEntry.id).where(JournalEntry.source_kind == "issued", JournalEntry.source_id == Invoice.id)
              .correlate(Invoice))
    rows = list(session.execute(select(Invoice).where(~exists(booked)).order_by(Invoice.id)).scalars())
    originals = _credited_documents(session, rows)
    count, touched = 0, set()
    for row in rows:
        document = stored_document(row)
        if not has_amounts(document):
            continue
        credited = originals.get(document.corrects.number) if document.corrects else None
        try:
            record_entry(session, sales_entry(document, settings, row.id, credited))
        except ValueError as error:
            # Left unbooked and named in the log; the accountant books it by hand.
            log.warning("document %s not booked: %s", row.number, error)
            continue
        count += 1
        touched.add(document.corrects.number if document.corrects else row.number)
    return count, touched


def _credited_documents(session: Session, rows: list[Invoice]) -> dict:
    """The invoices the credit notes among `rows` correct, read in one query."""
    numbers = {row.corrects_number for row in rows if row.corrects_number}
    if not numbers:
        return {}
    originals = session.execute(select(Invoice).where(Invoice.number.in_(numbers))).scalars()
    return {row.number: stored_document(row) for row in originals}


def _book_payments(session: Session, settings) -> tuple[int, set[int]]:
    """Payment settlements without a "payment" entry, with their receivables."""
    booked = (select(JournalEntry.id).where(JournalEntry.source_kind == "payment", JournalEntry.source_id == Settlement.id)
              .correlate(Settlement))
    query = (select(Settlement, Receivable).join(Receivable, Receivable.id == Settlement.receivable_id)
             .where(Settlement.kind == "payment", ~exists(booked)).order_by(Settlement.id))
    count, touched = 0, set()
    for settlement, receivable in session.execute(query):
        try:
            book_payment(session, settings, receivable, settlement)
        except ValueError as error:
            log.warning("payment %s on %s not booked: %s", settlement.id, receivable.number, error)
            continue
        count += 1
        touched.add(receivable.id)
    return count, touched
