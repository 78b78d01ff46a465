"""Issuing a document: number, row and archive link in one short transaction, then the PDF.

The transaction holds the series' counter locked only while the document is computed and stored
(milliseconds). The PDF is rendered after the commit: a rendering failure leaves the row
"issued", with its number, and `render_pending` tries again; a number is never given twice.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from accounting.periods import posting_date
from accounting.sales import book_issued_document
from gateway.config import Config
from gateway.db import Database
from gateway.logs import log_context
from gateway.models import utcnow
from invoicing.archive import append_entry, canonical_json, invoice_content_hash, lock_chain
from invoicing.compute import build_document, reference_of
from invoicing.document import Document
from invoicing.document_json import document_to_json
from invoicing.models import Invoice
from invoicing.numbering import next_number
from invoicing.pdf_store import render_and_store
from invoicing.stored import IssueError, find_invoice, stored_document
from receivables.ledger import record_issued_document


@dataclass(frozen=True)
class IssuedInvoice:
    number: str
    kind: str
    issue_date: date
    total_incl_tax: Decimal
    amount_due: Decimal
    status: str                      # "rendered", or "issued" while the PDF is still owed
    pdf_path: Path | None
    render_error: str = ""
    warnings: tuple[str, ...] = ()


INSERTED_COLUMNS = tuple(column.key for column in Invoice.__table__.columns if column.key != "id")
INSERT_INVOICE = insert(Invoice.__table__)


def today_in(config: Config) -> date:
    """Today where the company is (Europe/Paris by default), not on the server's clock zone."""
    return datetime.now(config.timezone).date()


def issue_invoice(database: Database, config: Config, request, today: date | None = None, renderer=None) -> IssuedInvoice:
    """Issue the invoice or deposit invoice a request describes; render its PDF after the commit."""
    number = issue_request(database, config, request, today)
    # Lines logged while its PDF is made name the invoice (JSON logs: "invoice").
    with log_context(invoice=number):
        render_and_store(database, config, number, renderer)
    return issued_summary(database, number)


def issue_request(database: Database, config: Config, request, today: date | None = None) -> str:
    """The committed half of issuing a request: number, row and archive link; returns the number."""
    with database.transaction() as session:
        return issue_request_in(session, config, request, today)


def issue_request_in(session: Session, config: Config, request, today: date | None = None) -> str:
    """Issue a request inside the caller's transaction (a mail's): its rollback takes the number back."""
    # The command's --date wins over the request's own date, which wins over today.
    issue_date = today or request.issue_date or today_in(config)

    def build(session: Session, number: str) -> Document:
        deposits = deposit_references(session, request.deposits)
        return build_document(request, config=config, number=number, issue_date=issue_date, deposits=deposits)

    return issue_document_in(session, config, request.kind, issue_date, build)


def issue_document(database: Database, config: Config, kind: str, issue_date: date, build: Callable[[Session, str], Document]) -> str:
    """Number, store and seal one document in one transaction; return its number."""
    with database.transaction() as session:
        return issue_document_in(session, config, kind, issue_date, build)


def issue_document_in(session: Session, config: Config, kind: str, issue_date: date,
                      build: Callable[[Session, str], Document]) -> str:
    """Number, store and seal one document in the caller's transaction; return its number.

    The number is taken and used in that same transaction: a rollback gives it back, so the
    series stays gapless whoever holds the transaction.
    """
    # Whether the issue date's month is closed is read now, outside the chain's queue (the sales
    # entry below is booked in the first open month: accounting/periods.py).
    posting_date(session, issue_date)
    lock_chain(session)
    number = next_number(session, config, kind, issue_date)
    document = build(session, number.text)
    if document.number != number.text or document.kind != kind:
        raise IssueError(f"the computed document is {document.kind} {document.number}, expected {kind} {number.text}")
    invoice = invoice_row(document, number.series, number.seq, canonical_json(document_to_json(document)))
    # A plain INSERT, not the ORM's unit of work: the counter is locked meanwhile.
    inserted = session.connection().execute(INSERT_INVOICE, {column: getattr(invoice, column) for column in INSERTED_COLUMNS})
    append_entry(session, invoice.number, "issued", invoice_content_hash(invoice))
    # The sales entry is booked with the document, before the receivable: a credit note settling
    # its invoice can then letter the invoice's client lines with its own (docs/journals.md).
    book_issued_document(session, config.accounting, document, inserted.inserted_primary_key[0])
    # What the client owes changes with the document, in the same transaction: an invoice opens
    # its reminder ladder, a credit note lowers what its invoice still asks.
    record_issued_document(session, config, document, inserted.inserted_primary_key[0])
    return number.text


def invoice_row(document: Document, series: str, seq: int, snapshot: str) -> Invoice:
    has_email = bool(document.buyer.email)
    return Invoice(
        number=document.number, kind=document.kind, series=series, seq=seq, issue_date=document.issue_date,
        buyer_name=document.buyer.name, buyer_email=document.buyer.email, currency=document.currency,
        total_excl_tax=str(document.total_excl_tax), total_tax=str(document.total_tax),
        total_incl_tax=str(document.total_incl_tax), amount_due=str(document.amount_due),
        corrects_number=document.corrects.number if document.corrects else None, document=snapshot,
        status="issued",
        # Mail is today's only transport; the 2027 e-invoicing platform will be another value here.
        transmission="email" if has_email else "none",
        transmission_status="pending" if has_email else "not_required",
        pdf=None, pdf_sha256="", pdf_path="", render_attempts=0, render_error="",
        transmitted_at=None, rendered_at=None, created_at=utcnow(),
    )


def deposit_references(session: Session, numbers) -> list:
    """The deposit invoices a final invoice deducts, as issued; each may be deducted once only."""
    references = []
    for number in numbers:
        # Locked, so two final invoices cannot deduct the same deposit at the same moment.
        deposit = stored_document(find_invoice(session, number, lock=True))
        if deposit.kind != "deposit":
            raise IssueError(f"{number} n'est pas une facture d'acompte / deposits: {number} is not a deposit invoice")
        earlier = deducted_by(session, number)
        if earlier:
            raise IssueError(f"L'acompte {number} est déjà déduit par {earlier} / deposits: {number} was already deducted by {earlier}")
        references.append(reference_of(deposit))
    return references


def deducted_by(session: Session, deposit_number: str) -> str:
    """The final invoice that already deducted this deposit, or ""."""
    # The text search narrows the rows; the snapshot itself decides.
    query = select(Invoice).where(Invoice.kind == "invoice", Invoice.document.contains(f'"{deposit_number}"'))
    for invoice in session.execute(query).scalars():
        if any(reference.number == deposit_number for reference in stored_document(invoice).deposits):
            return invoice.number
    return ""


def issued_summary(database: Database, number: str) -> IssuedInvoice:
    with database.sessions() as session:
        invoice = find_invoice(session, number)
        return IssuedInvoice(
            number=invoice.number, kind=invoice.kind, issue_date=invoice.issue_date,
            total_incl_tax=Decimal(invoice.total_incl_tax), amount_due=Decimal(invoice.amount_due),
            status=invoice.status, pdf_path=Path(invoice.pdf_path) if invoice.pdf_path else None,
            render_error=invoice.render_error, warnings=tuple(stored_document(invoice).warnings),
        )


def render_pending(database: Database, config: Config, renderer=None) -> list[IssuedInvoice]:
    """Render the PDFs still owed (a crash or a failure after the commit); numbers stay as given."""
    with database.sessions() as session:
        numbers = list(session.execute(select(Invoice.number).where(Invoice.status == "issued").order_by(Invoice.id)).scalars())
    for number in numbers:
        render_and_store(database, config, number, renderer)
    return [issued_summary(database, number) for number in numbers]
