"""Lettering (lettrage): a settled invoice's client lines get one shared code once they balance."""

import secrets
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from accounting.entries import ZERO
from accounting.models import JournalEntry, JournalLine, Lettering
from invoicing.models import Invoice
from receivables.models import Receivable, Settlement

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def lettering_code(number: int) -> str:
    """The code of the n-th lettering, letters only as accounting software writes them: 1 A, 26 Z, 27 AA."""
    if number < 1:
        raise ValueError(f"lettering numbers start at 1, got {number}")
    letters = []
    while number:
        number, remainder = divmod(number - 1, 26)
        letters.append(ALPHABET[remainder])
    return "".join(reversed(letters))


def receivable_lines(session: Session, settings, receivable: Receivable) -> list[JournalLine]:
    """The client-account lines of an invoice: its own, its credit notes' and its payments'."""
    documents = select(Invoice.id).where(or_(
        Invoice.id == receivable.invoice_id,
        (Invoice.kind == "credit_note") & (Invoice.corrects_number == receivable.number),
    ))
    payments = select(Settlement.id).where(Settlement.receivable_id == receivable.id, Settlement.kind == "payment")
    entries = select(JournalEntry.id).where(JournalEntry.corrects_entry_id.is_(None), or_(
        (JournalEntry.source_kind == "issued") & JournalEntry.source_id.in_(documents),
        (JournalEntry.source_kind == "payment") & JournalEntry.source_id.in_(payments),
    ))
    query = (select(JournalLine).where(JournalLine.account == settings.client_account, JournalLine.entry_id.in_(entries))
             .order_by(JournalLine.entry_id, JournalLine.position))
    return list(session.execute(query).scalars())


def letter_receivable(session: Session, settings, receivable: Receivable) -> str:
    """Letter the invoice's client lines when it is settled exactly and they balance; return the code or "".

    Partly paid or overpaid invoices are left unlettered (the accountant letters an overpayment once
    it is refunded or used), and so are lines already lettered. Lettering only marks lines, so it may
    mark lines of a month already closed.
    """
    if Decimal(receivable.outstanding) != ZERO:
        return ""
    lines = receivable_lines(session, settings, receivable)
    if not lines or any(line.lettering for line in lines):
        return ""
    own = [line for line in lines if line.debit and Decimal(line.debit) > 0]
    debit = sum((Decimal(line.debit) for line in lines), ZERO)
    credit = sum((Decimal(line.credit) for line in lines), ZERO)
    if not own or debit != credit or len({line.aux_account for line in lines}) != 1:
        return ""
    on = last_settlement_day(session, receivable) or receivable.issue_date
    code = new_lettering(session, settings.client_account, lines[0].aux_account, on, receivable.id)
    session.execute(update(JournalLine).where(JournalLine.id.in_([line.id for line in lines]))
                    .values(lettering=code, lettered_on=on).execution_options(synchronize_session="fetch"))
    return code


def last_settlement_day(session: Session, receivable: Receivable) -> date | None:
    return session.scalar(select(func.max(Settlement.on)).where(Settlement.receivable_id == receivable.id))


def new_lettering(session: Session, account: str, aux_account: str, on: date, receivable_id: int | None) -> str:
    """A new Lettering row; its code comes from its id, known once the row is inserted."""
    # A placeholder no real code can equal (codes are capital letters), replaced in the same transaction.
    row = Lettering(code=f"~{secrets.token_hex(3)}", account=account, aux_account=aux_account, lettered_on=on,
                    receivable_id=receivable_id)
    session.add(row)
    session.flush()
    row.code = lettering_code(row.id)
    session.flush()
    return row.code
