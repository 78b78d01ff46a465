"""A bill's values between their three forms: as extracted, as stored in its row, and as corrected."""

import hashlib
from datetime import date
from decimal import Decimal

from bills.models import ReceivedBill
from bills.suppliers import supplier_key
from extraction.model import Bill, Party, TaxLine

# Row columns of the supplier's fields, by the name the correction grammar gives them.
SUPPLIER_COLUMNS = {"supplier.name": "supplier_name", "supplier.siren": "supplier_siren",
                    "supplier.siret": "supplier_siret", "supplier.vat_number": "supplier_vat_number",
                    "supplier.iban": "supplier_iban"}
PLAIN_COLUMNS = {"total_incl_tax": "total_incl_tax", "total_excl_tax": "total_excl_tax", "total_tax": "total_tax",
                 "number": "number", "issue_date": "issue_date", "due_date": "due_date", "account": "account",
                 "currency": "currency", **SUPPLIER_COLUMNS}


def row_from_extraction(bill: Bill, data: bytes, **columns) -> ReceivedBill:
    """A new row holding what extraction read from one file (`columns`: mail_id, forwarded_by…)."""
    supplier = bill.supplier
    row = ReceivedBill(
        file_sha256=hashlib.sha256(data).hexdigest(), filename=(bill.filename or "")[:255], kind=bill.kind,
        source=bill.source, supplier_name=(supplier.name or "")[:255], supplier_siren=supplier.siren or "",
        supplier_siret=supplier.siret or "", supplier_vat_number=(supplier.vat_number or "")[:20],
        supplier_iban="".join((supplier.iban or "").split()).upper()[:40], number=(bill.number or "")[:64],
        issue_date=_iso(bill.issue_date), due_date=_iso(bill.due_date), currency=(bill.currency or "EUR")[:3],
        total_excl_tax=_text(bill.total_excl_tax), total_tax=_text(bill.total_tax),
        total_incl_tax=_text(bill.total_incl_tax), tax_lines=[line.to_json() for line in bill.tax_lines],
        extraction=bill.to_json(), confidence=dict(bill.confidence), corrections=[], status="awaiting_staff",
        **columns,
    )
    row.supplier_key = supplier_key(row.supplier_siren, row.supplier_name)
    return row


def as_extraction_bill(row: ReceivedBill) -> Bill:
    """The row's current values as an extraction Bill, so that extraction's checks run on them."""
    return Bill(
        kind=row.kind, source=row.source, filename=row.filename,
        supplier=Party(name=row.supplier_name or None, siren=row.supplier_siren or None,
                       siret=row.supplier_siret or None, vat_number=row.supplier_vat_number or None,
                       iban=row.supplier_iban or None),
        number=row.number or None, issue_date=_date(row.issue_date), due_date=_date(row.due_date),
        currency=row.currency or None, total_excl_tax=amount(row.total_excl_tax),
        total_tax=amount(row.total_tax), total_incl_tax=amount(row.total_incl_tax),
        tax_lines=[TaxLine(Decimal(line["rate"]), amount(line.get("base")), amount(line.get("amount")))
                   for line in row.tax_lines],
        confidence=dict(row.confidence), warnings=list(row.extraction.get("warnings", [])),
    )


def apply_correction(row: ReceivedBill, field: str, value, rate: Decimal | None, by: str, at: str) -> None:
    """Set one corrected value, remember the old one, and mark the field as sure (a person wrote it)."""
    if field == "tax_line":
        old = _set_tax_line(row, Decimal(rate), Decimal(value))
        field_name = "tax_lines"
    else:
        column = PLAIN_COLUMNS[field]
        old = getattr(row, column)
        setattr(row, column, _stored(value))
        field_name = field
    row.corrections = [*row.corrections, {"field": field, "rate": _text(rate), "old": old, "new": _stored(value),
                                          "by": by, "at": at}]
    row.confidence = {**row.confidence, field_name: 1.0}
    if field in SUPPLIER_COLUMNS:
        row.supplier_key = supplier_key(row.supplier_siren, row.supplier_name)


def amount(text: str | None) -> Decimal | None:
    return Decimal(text) if text not in (None, "") else None


def _set_tax_line(row: ReceivedBill, rate: Decimal, tax: Decimal) -> str:
    lines = [dict(line) for line in row.tax_lines]
    for line in lines:
        if Decimal(line["rate"]) == rate:
            old = line.get("amount") or ""
            line["amount"] = str(tax)
            row.tax_lines = lines
            return old
    # A rate the bill did not show: the base follows from the tax, to the cent.
    base = (tax * 100 / rate).quantize(Decimal("0.01"))
    row.tax_lines = [*lines, {"rate": str(rate), "base": str(base), "amount": str(tax)}]
    return ""


def _stored(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None
