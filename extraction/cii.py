"""Read a UN/CEFACT Cross Industry Invoice (Factur-X, ZUGFeRD 2, XRechnung, ZUGFeRD 1.0) into a Bill.

Every profile from MINIMUM to EXTENDED shares the header elements read here; lines are not read.
Values are taken exactly as written (amounts keep their digits, signs stay as given)."""

from dataclasses import dataclass
from decimal import Decimal

from extraction.model import Bill, Party, TaxLine
from extraction.structured_fields import (
    fill_confidence, find, find_all, french_ids, join_address, kind_for_type_code, legal_id_scheme, local_name,
    text, to_date, to_decimal, warn_negative_invoice,
)


@dataclass(frozen=True)
class _Layout:
    """Where the header parts sit: ZUGFeRD 1.0 named them differently from CII D16B and later."""

    context: str
    header: str
    agreement: str
    settlement: str
    summation: str
    rate: str


LAYOUTS = {
    "CrossIndustryInvoice": _Layout(
        context="ExchangedDocumentContext",
        header="ExchangedDocument",
        agreement="SupplyChainTradeTransaction/ApplicableHeaderTradeAgreement",
        settlement="SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement",
        summation="SpecifiedTradeSettlementHeaderMonetarySummation",
        rate="RateApplicablePercent",
    ),
    "CrossIndustryDocument": _Layout(
        context="SpecifiedExchangedDocumentContext",
        header="HeaderExchangedDocument",
        agreement="SpecifiedSupplyChainTradeTransaction/ApplicableSupplyChainTradeAgreement",
        settlement="SpecifiedSupplyChainTradeTransaction/ApplicableSupplyChainTradeSettlement",
        summation="SpecifiedTradeSettlementMonetarySummation",
        rate="ApplicablePercent",
    ),
}


def read_cii(root, filename: str = "", source: str = "cii") -> Bill:
    """The bill of a parsed CII document (root CrossIndustryInvoice or CrossIndustryDocument)."""
    layout = LAYOUTS[local_name(root)]
    header = find(root, layout.header)
    agreement = find(root, layout.agreement)
    settlement = find(root, layout.settlement)
    bill = Bill(source=source, filename=filename)
    warnings = bill.warnings
    bill.profile = text(root, f"{layout.context}/GuidelineSpecifiedDocumentContextParameter/ID")
    bill.type_code = text(header, "TypeCode")
    bill.kind = kind_for_type_code(bill.type_code, default="invoice")
    bill.number = text(header, "ID")
    bill.issue_date = _date(header, "IssueDateTime", "issue date", warnings)
    bill.supplier = _party(find(agreement, "SellerTradeParty"))
    bill.buyer = _party(find(agreement, "BuyerTradeParty"))
    bill.currency = text(settlement, "InvoiceCurrencyCode")
    bill.due_date = _due_date(settlement, warnings)
    bill.supplier.iban, bill.supplier.bic = _payee_account(settlement)
    _read_totals(bill, find(settlement, layout.summation))
    bill.tax_lines = [_tax_line(tax, layout.rate, warnings) for tax in find_all(settlement, "ApplicableTradeTax")]
    warn_negative_invoice(bill)
    fill_confidence(bill)
    return bill


def _date(node, path: str, label: str, warnings: list[str]):
    element = find(node, f"{path}/DateTimeString")
    if element is None:
        return None
    return to_date(text(element), label, warnings, element.get("format"))


def _due_date(settlement, warnings: list[str]):
    # Several payment terms may exist (instalments, cash discounts): the first dated one is BT-9.
    for terms in find_all(settlement, "SpecifiedTradePaymentTerms"):
        due = _date(terms, "DueDateDateTime", "due date", warnings)
        if due is not None:
            return due
    return None


def _party(node) -> Party:
    if node is None:
        return Party()
    # The legal registration (BT-30) outranks the global identifiers (BT-29) for SIREN/SIRET.
    country = text(node, "PostalTradeAddress/CountryID")
    identifiers = [
        (legal_id_scheme(element.get("schemeID"), text(element), country), text(element))
        for element in find_all(node, "SpecifiedLegalOrganization/ID")
    ] + [
        (element.get("schemeID"), text(element))
        for path in ("GlobalID", "ID")
        for element in find_all(node, path)
    ]
    siren, siret = french_ids(identifiers)
    return Party(
        name=text(node, "Name") or text(node, "SpecifiedLegalOrganization/TradingBusinessName"),
        siren=siren,
        siret=siret,
        vat_number=_registration(node, "VA"),
        address=_address(find(node, "PostalTradeAddress")),
    )


def _registration(party, scheme: str) -> str | None:
    # VA is the VAT identifier (BT-31); FC, a national tax number (BT-32), is not a VAT number.
    for element in find_all(party, "SpecifiedTaxRegistration/ID"):
        if element.get("schemeID") == scheme and text(element):
            return text(element)
    return None


def _address(node) -> str | None:
    if node is None:
        return None
    town = " ".join(part for part in (text(node, "PostcodeCode"), text(node, "CityName")) if part)
    return join_address([
        text(node, "LineOne"), text(node, "LineTwo"), text(node, "LineThree"), town or None,
        text(node, "CountrySubDivisionName"), text(node, "CountryID"),
    ])


def _payee_account(settlement) -> tuple[str | None, str | None]:
    """(IBAN, BIC) of the first payment means that names the seller's account.

    A direct debit names the buyer's account (PayerPartyDebtorFinancialAccount): not the seller's."""
    for means in find_all(settlement, "SpecifiedTradeSettlementPaymentMeans"):
        iban = text(means, "PayeePartyCreditorFinancialAccount/IBANID")
        if iban:
            return iban, text(means, "PayeeSpecifiedCreditorFinancialInstitution/BICID")
    return None, None


def _read_totals(bill: Bill, summation) -> None:
    warnings = bill.warnings
    bill.total_excl_tax = to_decimal(text(summation, "TaxBasisTotalAmount"), "TaxBasisTotalAmount", warnings)
    bill.total_tax = to_decimal(_tax_total(summation, bill.currency), "TaxTotalAmount", warnings)
    bill.total_incl_tax = to_decimal(text(summation, "GrandTotalAmount"), "GrandTotalAmount", warnings)
    bill.amount_due = to_decimal(text(summation, "DuePayableAmount"), "DuePayableAmount", warnings)


def _tax_total(summation, currency: str | None) -> str | None:
    """The VAT total in the invoice currency (BT-110), not the one in the tax currency (BT-111)."""
    totals = find_all(summation, "TaxTotalAmount")
    for total in totals:
        if total.get("currencyID") == currency:
            return text(total)
    unlabelled = [total for total in totals if total.get("currencyID") is None or currency is None]
    return text(unlabelled[0]) if unlabelled else None


def _tax_line(tax, rate_path: str, warnings: list[str]) -> TaxLine:
    rate = to_decimal(text(tax, rate_path), "tax rate", warnings)
    return TaxLine(
        # An exempt category (E, O, AE...) may give no rate at all: its rate is zero.
        rate=rate if rate is not None else Decimal(0),
        base=to_decimal(text(tax, "BasisAmount"), "tax base", warnings),
        amount=to_decimal(text(tax, "CalculatedAmount"), "tax amount", warnings),
    )
