"""Credit notes: the only way to correct an issued invoice, in full or in part, citing it."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.config import Config
from gateway.db import Database
from invoicing.compute import build_credit_note
from invoicing.document import Document
from invoicing.issue import IssuedInvoice, issue_document_in, issued_summary, today_in
from invoicing.models import Invoice
from invoicing.pdf_store import render_and_store
from invoicing.stored import IssueError, find_invoice, stored_document

BASES = ("HT", "TTC")


def credit_invoice(
    database: Database,
    config: Config,
    number: str,
    *,
    amount: Decimal | None = None,
    basis: str = "TTC",
    reason: str = "",
    today: date | None = None,
    renderer=None,
) -> IssuedInvoice:
    """Issue a credit note for invoice `number`: all of it, or `amount` (HT or TTC) of it."""
    _check_asked(amount, basis)
    issue_date = today or today_in(config)
    # Checked before taking a number too, so a plain mistake costs no lock.
    with database.sessions() as session:
        _creditable(find_invoice(session, number), issue_date)
    with database.transaction() as session:
        credit_number = credit_invoice_in(session, config, number, amount=amount, basis=basis, reason=reason,
                                          today=issue_date)
    render_and_store(database, config, credit_number, renderer)
    return issued_summary(database, credit_number)


def credit_invoice_in(session: Session, config: Config, number: str, *, amount: Decimal | None = None,
                      basis: str = "TTC", reason: str = "", today: date | None = None) -> str:
    """Issue the credit note inside the caller's transaction (a mail's); return its number."""
    _check_asked(amount, basis)
    issue_date = today or today_in(config)

    def build(session: Session, credit_number: str) -> Document:
        # Locking the original serialises two credit notes for it, so together they never exceed it.
        original_row = find_invoice(session, number, lock=True)
        original = _creditable(original_row, issue_date)
        credit = build_credit_note(
            original, config=config, number=credit_number, issue_date=issue_date,
            amount=amount, basis=basis, reason=reason, already_credited=earlier_credits(session, number),
        )
        _refuse_over_credit(session, original_row, credit)
        return credit

    return issue_document_in(session, config, "credit_note", issue_date, build)


def _check_asked(amount: Decimal | None, basis: str) -> None:
    if basis not in BASES:
        raise IssueError(f"Base {basis!r} inconnue : HT ou TTC / unknown basis {basis!r}: expected HT or TTC")
    if amount is not None and amount <= 0:
        raise IssueError(f"Le montant à créditer doit être positif / the amount to credit must be positive, got {amount}")


def _creditable(invoice: Invoice, issue_date: date) -> Document:
    if invoice.kind == "credit_note":
        raise IssueError(f"{invoice.number} est déjà un avoir / {invoice.number} is a credit note and cannot be credited")
    if issue_date < invoice.issue_date:
        raise IssueError(
            f"L'avoir ne peut précéder la facture du {invoice.issue_date.isoformat()} / "
            f"a credit note cannot be dated before the invoice it corrects ({invoice.issue_date.isoformat()})"
        )
    return stored_document(invoice)


def earlier_credits(session: Session, number: str) -> list:
    """What the credit notes already issued against `number` credited, per rate (their citations)."""
    query = select(Invoice).where(Invoice.corrects_number == number).order_by(Invoice.id)
    return [stored_document(credit).corrects for credit in session.execute(query).scalars()]


def already_credited(session: Session, number: str) -> Decimal:
    """The total including tax of the credit notes already issued against `number`."""
    totals = session.execute(select(Invoice.total_incl_tax).where(Invoice.corrects_number == number)).scalars()
    return sum((abs(Decimal(total)) for total in totals), Decimal("0"))


def _refuse_over_credit(session: Session, original: Invoice, credit: Document) -> None:
    credited = already_credited(session, original.number)
    remaining = Decimal(original.total_incl_tax) - credited
    if abs(credit.total_incl_tax) > remaining:
        raise IssueError(
            f"Avoir de {abs(credit.total_incl_tax)} supérieur au reste créditable de {original.number} ({remaining}) / "
            f"credit of {abs(credit.total_incl_tax)} exceeds what remains creditable on {original.number} ({remaining})"
        )
