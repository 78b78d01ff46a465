"""Bank-journal entries of the payments clients make on our invoices."""

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from accounting.entries import Entry, EntryLine, cents
from accounting.journal import record_entry
from accounting.sales import LABEL_LENGTH, NAME_LENGTH
from accounting.tiers import client_aux_account


def payment_entry(*, number: str, client_name: str, client_siren: str, amount: Decimal, paid_on: date,
                  settings, source_id: int | None) -> Entry:
    """The bank receives the amount (512 debit), the client owes that much less (411 credit).

    The client's code is computed as on the invoice's sales entry, so that both lines meet under
    one tiers and can be lettered together.
    """
    amount = cents(amount)
    if amount <= 0:
        raise ValueError(f"{number}: a payment of {amount} cannot be booked")
    label = f"Règlement {client_name[:NAME_LENGTH]} {number}".strip()
    lines = (
        EntryLine(settings.bank_account, label, debit=amount),
        EntryLine(settings.client_account, label, credit=amount, aux_account=client_aux_account(client_name, client_siren),
                  aux_label=client_name[:LABEL_LENGTH]),
    )
    return Entry(settings.bank_journal, paid_on, number, paid_on, label, lines, source_kind="payment", source_id=source_id)


def book_payment(session: Session, settings, receivable, settlement) -> int:
    """Record the bank entry of a stored payment settlement (its id is the entry's source).

    Called when the settlement is created, or by the backfill for settlements without an entry.
    """
    entry = payment_entry(number=receivable.number, client_name=receivable.client_name,
                          client_siren=receivable.client_siren, amount=Decimal(settlement.amount),
                          paid_on=settlement.on, settings=settings, source_id=settlement.id)
    return record_entry(session, entry)
