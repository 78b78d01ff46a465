"""An order's invoice sent to its client: the reminders follow that mail's thread and tell its salesperson."""

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from gateway.config import Accounting
from ordering.issuing import OrderInvoice
from receivables.ledger import find_receivable, link_mail, settle


def collect_from(session: Session, issued: OrderInvoice, message_id: str, salesperson: str,
                 deposit_paid: Decimal | None, today: date, accounting: Accounting) -> None:
    """Link the invoice mail to what the client owes; a deposit invoice issued for money already
    received (« déjà reçu ») is paid at once, so it is never chased."""
    for number in (issued.deposit_number, issued.number):
        receivable = find_receivable(session, number) if number else None
        if receivable is None:
            continue
        link_mail(session, receivable, message_id, thread=True, salesperson=salesperson)
        if number == issued.deposit_number and deposit_paid:
            settle(session, receivable, "payment", deposit_paid, today, "order",
                   reference="acompte déjà reçu à la commande", actor=salesperson, accounting=accounting)
