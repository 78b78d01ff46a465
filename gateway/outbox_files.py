"""Files that travel with outgoing mail: written beside the row, read back at each delivery attempt."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.app import Gateway
from gateway.models import OutboxAttachment
from gateway.transports import DeliveryFailure

PDF = "application/pdf"


@dataclass(frozen=True)
class OutgoingFile:
    """A file to attach: its bytes, or an issued document's number whose stored PDF is attached."""

    filename: str
    content_type: str = PDF
    data: bytes = b""
    invoice_number: str = ""


def attach(session: Session, outbox_id: int, files: list[OutgoingFile]) -> None:
    for position, file in enumerate(files):
        session.add(OutboxAttachment(
            outbox_id=outbox_id, position=position, filename=file.filename, content_type=file.content_type,
            data=file.data if not file.invoice_number else None, invoice_number=file.invoice_number,
        ))


def render_owed_pdfs(gateway: Gateway, outbox_id: int) -> None:
    """Render the PDFs a row attaches that are not stored yet, before the row is claimed.

    Rendering takes its own short transactions (number and archive are already committed): it
    must run outside the delivery's transaction, which SQLite would otherwise hold twice.
    """
    with gateway.database.sessions() as session:
        numbers = list(session.scalars(select(OutboxAttachment.invoice_number).where(
            OutboxAttachment.outbox_id == outbox_id, OutboxAttachment.invoice_number != "")))
    if not numbers:
        return
    from invoicing.pdf_store import render_and_store
    from invoicing.stored import IssueError

    for number in numbers:
        try:
            render_and_store(gateway.database, gateway.config, number)
        except IssueError:
            continue  # No such document: loading the attachments ends the row with that reason.


def load_attachments(gateway: Gateway, outbox_id: int) -> list[OutgoingFile]:
    """The files of a row in their order; a PDF still owed is a failure that delivery retries."""
    from invoicing.stored import IssueError, find_invoice

    with gateway.database.sessions() as session:
        rows = session.scalars(select(OutboxAttachment).where(OutboxAttachment.outbox_id == outbox_id)
                               .order_by(OutboxAttachment.position)).all()
        files = []
        for row in rows:
            data = row.data or b""
            if row.invoice_number:
                try:
                    invoice = find_invoice(session, row.invoice_number)
                except IssueError as error:
                    raise DeliveryFailure(str(error), permanent=True) from None
                if not invoice.pdf:
                    raise DeliveryFailure(f"the PDF of {row.invoice_number} is not rendered yet: "
                                          f"{invoice.render_error or 'rendering pending'}", permanent=False)
                data = invoice.pdf
            files.append(OutgoingFile(row.filename, row.content_type, data, row.invoice_number))
    return files
