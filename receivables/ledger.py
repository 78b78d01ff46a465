"""What each client owes: receivables opened at issue, settled by payments and credit notes.

Every change of an invoice's state goes through here and leaves a line of history in French.
"""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from accounting.bank import book_payment
from accounting.lettering import letter_receivable
from clients.directory import client_key
from gateway.config import Config
from gateway.config_sections import Accounting
from gateway.models import utcnow
from gateway.templating import euros
from invoicing.document import Document
from orders.model import ClientDetails
from receivables.ladder import ladder_for, opening_steps, remaining, step_date
from receivables.models import ReceivableEvent, ReceivableMail, Receivable, Settlement

CENT = Decimal("0.01")
# The kinds of document that ask a client for money.
RECEIVABLE_KINDS = ("invoice", "deposit")


def record_issued_document(session: Session, config: Config, document: Document, invoice_id: int) -> None:
    """At issue: an invoice opens what the client owes; a credit note settles part of the invoice it corrects."""
    if document.kind == "credit_note" and document.corrects:
        receivable = find_receivable(session, document.corrects.number, lock=True)
        if receivable is not None:
            settle(session, receivable, "credit", document.total_incl_tax, document.issue_date, "credit_note",
                   reference=document.number, accounting=config.accounting)
        return
    if document.kind not in RECEIVABLE_KINDS or document.amount_due <= 0:
        return
    buyer = document.buyer
    due_date = document.due_date or document.issue_date
    receivable = Receivable(
        invoice_id=invoice_id, number=document.number,
        client_key=client_key(ClientDetails(name=buyer.name, siren=buyer.siren, siret=buyer.siret, email=buyer.email)),
        client_name=buyer.name, client_email=buyer.email, client_siren=buyer.siren or buyer.siret[:9],
        consumer=buyer.consumer, issue_date=document.issue_date, due_date=due_date,
        amount_due=str(document.amount_due), paid="0.00", credited="0.00", outstanding=str(document.amount_due),
        state="open", created_at=utcnow(), updated_at=utcnow(),
    )
    schedule_next(config, receivable, document.issue_date, opening=True)
    # A plain INSERT, not the ORM's unit of work: this runs while the archive chain is locked
    # (invoicing/issue.py), one issuer at a time. Columns left unset take their defaults.
    values = {column.key: getattr(receivable, column.key) for column in Receivable.__table__.columns
              if getattr(receivable, column.key) is not None}
    receivable.id = session.connection().execute(insert(Receivable).returning(Receivable.id), values).scalar_one()
    add_event(session, receivable, document.issue_date, "issued",
              f"Facture émise, échéance le {due_date:%d/%m/%Y}, {euros(document.amount_due)} TTC à payer")


def find_receivable(session: Session, number: str, lock: bool = False) -> Receivable | None:
    query = select(Receivable).where(Receivable.number == number.strip())
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def receivables_answered(session: Session, message_ids: list[str]) -> list[Receivable]:
    """The invoices whose mails (invoice, reminders, thanks, the manager's file) these Message-IDs name, locked."""
    if not message_ids:
        return []
    ids = select(ReceivableMail.receivable_id).where(ReceivableMail.message_id.in_(message_ids))
    return list(session.scalars(select(Receivable).where(Receivable.id.in_(ids)).order_by(Receivable.id)
                                .with_for_update()))


def link_mail(session: Session, receivable: Receivable, message_id: str, thread: bool = False,
              salesperson: str = "") -> None:
    """Remember a mail we sent about the invoice: a client answering it is answering about this invoice."""
    add_mail_links(session, [mail_link_row(receivable, message_id)])
    if thread and not receivable.thread_message_id:
        receivable.thread_message_id = message_id
    if salesperson and not receivable.salesperson:
        receivable.salesperson = salesperson


def settle(session: Session, receivable: Receivable, kind: str, amount: Decimal, on: date, source: str,
           reference: str = "", actor: str = "", mail_id: int | None = None, *, accounting: Accounting) -> str:
    """Record a payment or a credit; returns "paid", "partial" or "overpaid" (what is left is then negative).

    In the same transaction a payment is booked in the bank journal with `accounting`'s accounts, and
    a settled invoice's client lines are lettered.
    """
    amount = Decimal(amount).quantize(CENT)
    settlement = Settlement(receivable_id=receivable.id, kind=kind, amount=str(amount), on=on, source=source,
                            reference=reference, actor=actor, mail_id=mail_id, created_at=utcnow())
    session.add(settlement)
    if kind == "payment":
        receivable.paid = str(Decimal(receivable.paid) + amount)
    else:
        receivable.credited = str(Decimal(receivable.credited) + amount)
    outstanding = Decimal(receivable.amount_due) - Decimal(receivable.paid) - Decimal(receivable.credited)
    receivable.outstanding = str(outstanding)
    receivable.updated_at = utcnow()
    book_settlement(session, accounting, receivable, settlement)
    what = {"payment": "Paiement reçu", "credit": "Avoir"}[kind]
    detail = f" ({reference})" if reference else ""
    add_event(session, receivable, on, kind, f"{what} de {euros(amount)}{detail}, reste dû {euros(max(outstanding, Decimal(0)))}")
    if outstanding > 0:
        return "partial"
    # Nothing is due any more: the ladder stops for good, whatever its state was.
    receivable.state = "paid" if Decimal(receivable.paid) > 0 else "credited"
    receivable.next_on, receivable.paused_until = None, None
    return "overpaid" if outstanding < 0 else "paid"


def book_settlement(session: Session, accounting: Accounting, receivable: Receivable, settlement: Settlement) -> None:
    """A payment's bank entry (a credit is booked by its credit note's sales entry), then the lettering."""
    session.flush()
    if settlement.kind == "payment" and Decimal(settlement.amount) > 0:
        book_payment(session, accounting, receivable, settlement)
    letter_receivable(session, accounting, receivable)


def schedule_next(config: Config, receivable: Receivable, today: date, opening: bool = False) -> None:
    """Set the next step and its day from the last step sent; none left: the ladder is done."""
    ladder = ladder_for(config.reminders, receivable.client_email, receivable.client_siren)
    steps = remaining(ladder, receivable.last_step)
    if opening:
        steps = opening_steps(steps, receivable.issue_date, receivable.due_date)
    if not receivable.client_email:
        # Nobody to remind: only the last step is kept, which hands the invoice to the manager.
        steps = steps[-1:] if steps and steps[-1].last else ()
    if not config.reminders.enabled or not steps:
        receivable.next_step, receivable.next_on = "", None
        return
    following = steps[0]
    receivable.next_step = following.name
    # Never two reminders on one day: a step already past waits for the next business day.
    earliest = today if opening else today + timedelta(days=1)
    receivable.next_on = max(step_date(following, receivable.due_date), earliest)


def pause(session: Session, receivable: Receivable, until: date, on: date, why: str, mail_id: int | None = None) -> None:
    """Hold the ladder until `until` (it resumes that day); a disputed or stopped invoice stays as it is."""
    receivable.state, receivable.paused_until = "paused", until
    receivable.updated_at = utcnow()
    add_event(session, receivable, on, "pause", f"{why} : relances suspendues jusqu'au {until:%d/%m/%Y}", mail_id)


def resume(session: Session, receivable: Receivable, on: date, why: str, mail_id: int | None = None) -> None:
    """Back to the ladder: a step that fell due meanwhile goes at the next tick (only the latest one)."""
    reopen(receivable, on)
    add_event(session, receivable, on, "resume", f"{why} : relances reprises", mail_id)


def reopen(receivable: Receivable, on: date) -> None:
    receivable.state, receivable.paused_until = "open", None
    if receivable.next_on is not None and receivable.next_on < on:
        receivable.next_on = on
    receivable.updated_at = utcnow()


def add_event(session: Session, receivable: Receivable, on: date, kind: str, text: str,
              mail_id: int | None = None) -> None:
    add_events(session, [event_row(receivable, on, kind, text, mail_id)])


# History and mail links are written as plain rows, many in one statement: the tick writes
# thousands of them and reads none back.
def event_row(receivable: Receivable, on: date, kind: str, text: str, mail_id: int | None = None) -> dict:
    return {"receivable_id": receivable.id, "on": on, "kind": kind, "text": text[:2000], "mail_id": mail_id,
            "created_at": utcnow()}


def add_events(session: Session, rows: list[dict]) -> None:
    if rows:
        # On the connection: these rows need no flush of the session's pending objects first.
        session.connection().execute(insert(ReceivableEvent.__table__), rows)


def mail_link_row(receivable: Receivable, message_id: str) -> dict:
    return {"receivable_id": receivable.id, "message_id": message_id}


def add_mail_links(session: Session, rows: list[dict]) -> None:
    if rows:
        session.execute(insert(ReceivableMail.__table__), rows)
