"""Read an OASIS UBL 2.x Invoice or CreditNote (EN 16931, XRechnung, Peppol BIS) into a Bill.

Header values only, exactly as written: a credit note's amounts keep the signs the document gives."""

from decimal import Decimal

from extraction.model import Bill, Party, TaxLine
from extraction.structured_fields import (
    fill_confidence, find, find_all, french_ids, join_address, kind_for_type_code, legal_id_scheme, local_name,
    text, to_date, to_decimal, warn_negative_invoice,
)

ROOTS = ("Invoice", "CreditNote")


def read_ubl(root, filename: str = "", source: str = "ubl") -> Bill:
    """The bill of a parsed UBL document (root Invoice or CreditNote)."""
    root_name = local_name(root)
    bill = Bill(source=source, filename=filename)
    warnings = bill.warnings
    bill.profile = text(root, "CustomizationID")
    bill.type_code = text(root, f"{root_name}TypeCode")
    bill.kind = kind_for_type_code(bill.type_code, default="credit_note" if root_name == "CreditNote" else "invoice")
    bill.number = text(root, "ID")
    bill.issue_date = to_date(text(root, "IssueDate"), "issue date", warnings)
    bill.due_date = _due_date(root, warnings)
    bill.currency = text(root, "DocumentCurrencyCode")
    bill.supplier = _party(find(root, "AccountingSupplierParty/Party"))
    bill.buyer = _party(find(root, "AccountingCustomerParty/Party"))
    bill.supplier.iban, bill.supplier.bic = _payee_account(root)
    totals = find(root, "LegalMonetaryTotal")
    bill.total_excl_tax = to_decimal(text(totals, "TaxExclusiveAmount"), "TaxExclusiveAmount", warnings)
    bill.total_incl_tax = to_decimal(text(totals, "TaxInclusiveAmount"), "TaxInclusiveAmount", warnings)
    bill.amount_due = to_decimal(text(totals, "PayableAmount"), "PayableAmount", warnings)
    tax_total = _tax_total(root, bill.currency)
    bill.total_tax = to_decimal(text(tax_total, "TaxAmount"), "TaxAmount", warnings)
    bill.tax_lines = [_tax_line(subtotal, warnings) for subtotal in find_all(tax_total, "TaxSubtotal")]
    warn_negative_invoice(bill)
    fill_confidence(bill)
    return bill


def _due_date(root, warnings: list[str]):
    # UBL 2.1 invoices carry cbc:DueDate; credit notes and UBL 2.0 put it on the payment means.
    for path in ("DueDate", "PaymentMeans/PaymentDueDate", "PaymentTerms/PaymentDueDate"):
        raw = text(root, path)
        if raw:
            return to_date(raw, "due date", warnings)
    return None


def _party(node) -> Party:
    if node is None:
        return Party()
    # The legal registration (BT-30) outranks the party identifiers and the electronic address.
    country = text(node, "PostalAddress/Country/IdentificationCode")
    identifiers = [
        (legal_id_scheme(element.get("schemeID"), text(element), country), text(element))
        for element in find_all(node, "PartyLegalEntity/CompanyID")
    ] + [
        (element.get("schemeID"), text(element))
        for path in ("PartyIdentification/ID", "EndpointID")
        for element in find_all(node, path)
    ]
    siren, siret = french_ids(identifiers)
    return Party(
        # RegistrationName is the legal name (BT-27); PartyName is a trading name (BT-28).
        name=text(node, "PartyLegalEntity/RegistrationName") or text(node, "PartyName/Name"),
        siren=siren,
        siret=siret,
        vat_number=_vat_number(node),
        address=_address(find(node, "PostalAddress")),
    )


def _vat_number(party) -> str | None:
    # Only the VAT scheme holds the VAT identifier (BT-31); FC is a national tax number (BT-32).
    for scheme in find_all(party, "PartyTaxScheme"):
        if (text(scheme, "TaxScheme/ID") or "").upper() == "VAT" and text(scheme, "CompanyID"):
            return text(scheme, "CompanyID")
    return None


def _address(node) -> str | None:
    if node is None:
        return None
    town = " ".join(part for part in (text(node, "PostalZone"), text(node, "CityName")) if part)
    lines = [text(line, "Line") for line in find_all(node, "AddressLine")]
    return join_address([
        text(node, "StreetName"), text(node, "AdditionalStreetName"), *lines, town or None,
        text(node, "CountrySubentity"), text(node, "Country/IdentificationCode"),
    ])


def _payee_account(root) -> tuple[str | None, str | None]:
    """(IBAN, BIC) of the first payment means naming the seller's account (PayeeFinancialAccount)."""
    for means in find_all(root, "PaymentMeans"):
        account = find(means, "PayeeFinancialAccount")
        if text(account, "ID"):
            bic = text(account, "FinancialInstitutionBranch/ID") or text(
                account, "FinancialInstitutionBranch/FinancialInstitution/ID"
            )
            return text(account, "ID"), bic
    return None, None


def _tax_total(root, currency: str | None):
    """The TaxTotal in the document currency; a second one in the tax currency has no subtotals."""
    totals = find_all(root, "TaxTotal")
    for total in totals:
        amount = find(total, "TaxAmount")
        if amount is not None and amount.get("currencyID") in (currency, None):
            return total
    return totals[0] if totals and currency is None else None


def _tax_line(subtotal, warnings: list[str]) -> TaxLine:
    rate = to_decimal(text(subtotal, "TaxCategory/Percent") or text(subtotal, "Percent"), "tax rate", warnings)
    return TaxLine(
        # An exempt category (E, O, AE...) may give no percent at all: its rate is zero.
        rate=rate if rate is not None else Decimal(0),
        base=to_decimal(text(subtotal, "TaxableAmount"), "tax base", warnings),
        amount=to_decimal(text(subtotal, "TaxAmount"), "tax amount", warnings),
    )
