"""Reading issued documents back: the row by its number, and the Document its snapshot holds."""

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from invoicing.document import Document
from invoicing.document_json import document_from_json
from invoicing.models import Invoice


class IssueError(ValueError):
    """A document that cannot be issued as asked (unknown reference, over-credit…), with the reason."""


def find_invoice(session: Session, number: str, lock: bool = False) -> Invoice:
    """The issued row numbered `number`; `lock` holds it until the transaction ends (PostgreSQL)."""
    query = select(Invoice).where(Invoice.number == number)
    if lock:
        query = query.with_for_update()
    invoice = session.execute(query).scalar_one_or_none()
    if invoice is None:
        raise IssueError(f"Aucun document numéro {number!r} / no issued document numbered {number!r}")
    return invoice


def stored_document(invoice: Invoice) -> Document:
    """The Document exactly as issued, from the row's snapshot."""
    return document_from_json(json.loads(invoice.document))
