"""A Mindee InvoiceV4 prediction turned into our Bill, each field with Mindee's confidence."""

import re
from decimal import Decimal, InvalidOperation

from extraction.model import FIELDS, Bill, Party, TaxLine

CENT = Decimal("0.01")
# document_type_extended first (it knows quotes and receipts), then document_type.
KINDS = {"INVOICE": "invoice", "CREDIT NOTE": "credit_note", "CREDIT_NOTE": "credit_note", "QUOTE": "quote",
         "RECEIPT": "receipt", "STATEMENT": "statement", "PURCHASE ORDER": "other", "PAYSLIP": "other",
         "OTHER": "other", "OTHER_FINANCIAL": "other"}


def bill_from_invoice_v4(document) -> Bill:
    """`document` is the SDK's v1 Document[InvoiceV4]; its prediction is an InvoiceV4Document."""
    prediction = document.inference.prediction
    bill = Bill(kind=_kind(prediction), source="mindee", pages=document.n_pages or 0)
    confidence = bill.confidence
    bill.number = _text(prediction.invoice_number, "number", confidence)
    bill.issue_date = _date(prediction.date, "issue_date", confidence)
    bill.due_date = _date(prediction.due_date, "due_date", confidence)
    bill.total_excl_tax = _amount(prediction.total_net, "total_excl_tax", confidence)
    bill.total_tax = _amount(prediction.total_tax, "total_tax", confidence)
    bill.total_incl_tax = _amount(prediction.total_amount, "total_incl_tax", confidence)
    bill.currency = (prediction.locale.currency or None)
    if bill.currency:
        confidence["currency"] = prediction.locale.confidence
    bill.tax_lines = _tax_lines(prediction.taxes, confidence)
    bill.supplier = _party(prediction.supplier_name, prediction.supplier_company_registrations, "supplier",
                           confidence)
    bill.supplier.address = prediction.supplier_address.value or None
    _payment(bill.supplier, prediction.supplier_payment_details, confidence)
    bill.buyer = _party(prediction.customer_name, prediction.customer_company_registrations, "buyer", confidence)
    bill.buyer.address = prediction.customer_address.value or None
    # Only the fields of model.FIELDS report a confidence (the buyer's SIREN, for one, does not).
    bill.confidence = {name: value for name, value in confidence.items() if name in FIELDS}
    return bill


def _kind(prediction) -> str:
    for field in (prediction.document_type_extended, prediction.document_type):
        kind = KINDS.get(str(field.value or "").upper())
        if kind:
            return kind
    return "invoice"


def _text(field, name: str, confidence: dict) -> str | None:
    value = str(field.value).strip() if field.value is not None else ""
    if not value:
        return None
    confidence[name] = field.confidence
    return value


def _date(field, name: str, confidence: dict):
    if field.date_object is None:
        return None
    confidence[name] = field.confidence
    return field.date_object


def _amount(field, name: str, confidence: dict) -> Decimal | None:
    value = to_decimal(field.value)
    if value is not None:
        confidence[name] = field.confidence
    return value


def to_decimal(value) -> Decimal | None:
    """The SDK hands amounts as floats; their shortest repr is the decimal Mindee sent."""
    if value is None:
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return number.quantize(CENT) if number == number.quantize(CENT) else number


def _tax_lines(taxes, confidence: dict) -> list[TaxLine]:
    lines = [TaxLine(rate=to_decimal(tax.rate), base=to_decimal(tax.basis), amount=to_decimal(tax.value))
             for tax in taxes if tax.rate is not None]
    if lines:
        confidence["tax_lines"] = min(tax.confidence for tax in taxes if tax.rate is not None)
    return lines


def _party(name_field, registrations, role: str, confidence: dict) -> Party:
    name = _text(name_field, f"{role}.name", confidence)
    # Mindee upper-cases names in `value`; `raw_value` keeps them as printed ("Imprimerie Lenoir").
    raw = (getattr(name_field, "raw_value", None) or "").strip()
    party = Party(name=raw if name and raw and raw.upper() == name.upper() else name)
    for registration in registrations:
        value = re.sub(r"[\s.\-]", "", str(registration.value or "")).upper()
        kind = str(registration.type or "").upper()
        if not value:
            continue
        if kind in ("SIREN", "SIRET") and value.isdigit() and len(value) in (9, 14):
            _set(party, "siret" if len(value) == 14 else "siren", value, role, registration.confidence, confidence)
            if len(value) == 14 and party.siren is None:
                _set(party, "siren", value[:9], role, registration.confidence, confidence)
        elif kind in ("VAT NUMBER", "VAT", "TVA") and party.vat_number is None:
            _set(party, "vat_number", value, role, registration.confidence, confidence)
    return party


def _set(party: Party, attribute: str, value: str, role: str, certainty: float, confidence: dict) -> None:
    setattr(party, attribute, value)
    confidence[f"{role}.{attribute}"] = certainty


def _payment(party: Party, details, confidence: dict) -> None:
    for detail in details:
        if detail.iban:
            party.iban = re.sub(r"\s", "", detail.iban).upper()
            party.bic = detail.swift.strip().upper() if detail.swift else None
            confidence["supplier.iban"] = detail.confidence
            return
