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


def load_attachments(gateway: Gateway, outbox_id: int) -> list[OutgoingFile]:
    """The files of a row in their order. The caller holds no transaction: a PDF still owed is
    rendered here in short transactions of its own (number and archive are already committed);
    one that still cannot be is a failure that delivery retries, an unknown document a final one."""
    with gateway.database.sessions() as session:
        rows = session.scalars(select(OutboxAttachment).where(OutboxAttachment.outbox_id == outbox_id)
                               .order_by(OutboxAttachment.position)).all()
    pdfs = _stored_pdfs(gateway, [row.invoice_number for row in rows if row.invoice_number])
    return [OutgoingFile(row.filename, row.content_type, pdfs.get(row.invoice_number) or row.data or b"", row.invoice_number)
            for row in rows]


def _stored_pdfs(gateway: Gateway, numbers: list[str]) -> dict[str, bytes]:
    if not numbers:
        return {}
    from invoicing.pdf_store import render_and_store
    from invoicing.stored import IssueError, find_invoice

    pdfs = {}
    for number in numbers:
        try:
            render_and_store(gateway.database, gateway.config, number)
            with gateway.database.sessions() as session:
                invoice = find_invoice(session, number)
        except IssueError as error:
            raise DeliveryFailure(str(error), permanent=True) from None
        if not invoice.pdf:
            raise DeliveryFailure(f"the PDF of {number} is not rendered yet: "
                                  f"{invoice.render_error or 'rendering pending'}", permanent=False)
        pdfs[number] = invoice.pdf
    return pdfs
