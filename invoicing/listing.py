"""Read-only views of issued documents for the command line."""

from sqlalchemy import select

from gateway.db import Database
from gateway.models import as_utc
from invoicing.models import Invoice
from invoicing.stored import find_invoice

SHOWN = (
    "number", "kind", "issue_date", "buyer_name", "buyer_email", "currency", "total_excl_tax", "total_tax",
    "total_incl_tax", "amount_due", "corrects_number", "status", "transmission", "transmission_status",
    "pdf_path", "pdf_sha256", "render_attempts", "render_error", "created_at",
)


def describe_invoice(database: Database, number: str) -> tuple[dict, str, bytes | None]:
    """The row's fields worth showing, its JSON snapshot and its PDF bytes (None until rendered)."""
    with database.sessions() as session:
        invoice = find_invoice(session, number)
        details = {name: getattr(invoice, name) for name in SHOWN}
        details["created_at"] = as_utc(invoice.created_at).isoformat()
        return details, invoice.document, invoice.pdf


def latest_invoices(database: Database, kind: str | None = None, limit: int = 50) -> list[dict]:
    query = select(
        Invoice.number, Invoice.kind, Invoice.issue_date, Invoice.buyer_name.label("buyer"),
        Invoice.total_incl_tax, Invoice.status, Invoice.transmission,
    ).order_by(Invoice.id.desc()).limit(limit)
    if kind:
        query = query.where(Invoice.kind == kind)
    with database.sessions() as session:
        return [dict(row._mapping) for row in session.execute(query)]
