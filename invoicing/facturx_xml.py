"""Writes a Document as Factur-X XML (UN/CEFACT CII D16B, profile EN 16931)."""

from decimal import Decimal

from lxml import etree

from invoicing import cii
from invoicing.document import Document, Party, Reference
from invoicing.facturx_codes import business_process, note_subject_code, unit_code

GUIDELINE = "urn:cen.eu:en16931:2017"
# VATEX codes of the exemptions EN 16931 defines; a franchise (E) gives its reason as text.
EXEMPTION_CODES = {"AE": "VATEX-EU-AE", "G": "VATEX-EU-G", "K": "VATEX-EU-IC", "O": "VATEX-EU-O"}
# Intra-EU supplies of goods must name the country the goods go to (BR-IC-12).
SHIPPED_CATEGORIES = {"K"}
# Payment means 58: SEPA credit transfer (UNTDID 4461).
SEPA_CREDIT_TRANSFER = "58"
# Scheme 0002 (ISO 6523): the SIRENE register, whose identifiers are the SIREN and SIRET.
SIRENE_SCHEME = "0002"
CREDIT_NOTE_TERMS = {
    "fr": "Avoir à rembourser ou à déduire d'un prochain règlement.",
    "en": "Credit to be refunded or deducted from a later payment.",
}


def facturx_xml(document: Document) -> bytes:
    """The document's Factur-X EN 16931 XML, UTF-8 encoded with its declaration."""
    root = cii.element(None, "rsm:CrossIndustryInvoice")
    context = cii.element(root, "rsm:ExchangedDocumentContext")
    process = cii.element(context, "ram:BusinessProcessSpecifiedDocumentContextParameter")
    cii.text_element(process, "ram:ID", business_process(document))
    cii.text_element(cii.element(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", GUIDELINE)
    _exchanged_document(root, document)
    transaction = cii.element(root, "rsm:SupplyChainTradeTransaction")
    for position, line in enumerate(document.lines, start=1):
        _line_item(transaction, position, line)
    _agreement(transaction, document)
    _delivery(transaction, document)
    _settlement(transaction, document)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _exchanged_document(root, document: Document) -> None:
    exchanged = cii.element(root, "rsm:ExchangedDocument")
    cii.text_element(exchanged, "ram:ID", document.number)
    cii.text_element(exchanged, "ram:TypeCode", document.type_code)
    cii.date_element(exchanged, "ram:IssueDateTime", document.issue_date)
    for content in (*document.mentions, document.notes):
        if not content:
            continue
        note = cii.element(exchanged, "ram:IncludedNote")
        cii.text_element(note, "ram:Content", content)
        if code := note_subject_code(content):
            cii.text_element(note, "ram:SubjectCode", code)


def _line_item(transaction, position: int, line) -> None:
    item = cii.element(transaction, "ram:IncludedSupplyChainTradeLineItem")
    cii.text_element(cii.element(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(position))
    cii.text_element(cii.element(item, "ram:SpecifiedTradeProduct"), "ram:Name", line.description)
    price = cii.element(cii.element(item, "ram:SpecifiedLineTradeAgreement"), "ram:NetPriceProductTradePrice")
    cii.text_element(price, "ram:ChargeAmount", cii.price(line.unit_price))
    delivery = cii.element(item, "ram:SpecifiedLineTradeDelivery")
    cii.text_element(delivery, "ram:BilledQuantity", cii.quantity(line.quantity), unitCode=unit_code(line.unit))
    settlement = cii.element(item, "ram:SpecifiedLineTradeSettlement")
    tax = cii.element(settlement, "ram:ApplicableTradeTax")
    cii.text_element(tax, "ram:TypeCode", "VAT")
    cii.text_element(tax, "ram:CategoryCode", line.vat_category)
    cii.text_element(tax, "ram:RateApplicablePercent", cii.amount(line.vat_rate))
    summation = cii.element(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    cii.text_element(summation, "ram:LineTotalAmount", cii.amount(line.total))


def _agreement(transaction, document: Document) -> None:
    agreement = cii.element(transaction, "ram:ApplicableHeaderTradeAgreement")
    _party(agreement, "ram:SellerTradeParty", document.seller, seller=True)
    _party(agreement, "ram:BuyerTradeParty", document.buyer, seller=False)
    if document.purchase_order:
        order = cii.element(agreement, "ram:BuyerOrderReferencedDocument")
        cii.text_element(order, "ram:IssuerAssignedID", document.purchase_order)


def _party(parent, tag: str, party: Party, *, seller: bool) -> None:
    element = cii.element(parent, tag)
    cii.text_element(element, "ram:Name", party.name)
    legal_id = party.siren or party.siret
    if legal_id:
        cii.text_element(cii.element(element, "ram:SpecifiedLegalOrganization"), "ram:ID", legal_id, schemeID=SIRENE_SCHEME)
    _address(element, party.address, party.postcode, party.city, party.country)
    if party.email:
        cii.text_element(cii.element(element, "ram:URIUniversalCommunication"), "ram:URIID", party.email, schemeID="EM")
    if party.vat_number:
        cii.text_element(cii.element(element, "ram:SpecifiedTaxRegistration"), "ram:ID", party.vat_number, schemeID="VA")
    elif seller and party.siren:
        # A seller without a VAT number (franchise en base) gives its local tax registration
        # (BT-32), which rule BR-E-02 requires on an exempt invoice; in France that is the SIREN.
        cii.text_element(cii.element(element, "ram:SpecifiedTaxRegistration"), "ram:ID", party.siren, schemeID="FC")


def _address(parent, lines: tuple[str, ...], postcode: str, city: str, country: str) -> None:
    address = cii.element(parent, "ram:PostalTradeAddress")
    if postcode:
        cii.text_element(address, "ram:PostcodeCode", postcode)
    # CII has three address lines; any further line joins the third rather than being lost.
    packed = [*lines[:2], ", ".join(lines[2:])] if len(lines) > 3 else list(lines)
    for tag, value in zip(("ram:LineOne", "ram:LineTwo", "ram:LineThree"), packed):
        if value:
            cii.text_element(address, tag, value)
    if city:
        cii.text_element(address, "ram:CityName", city)
    cii.text_element(address, "ram:CountryID", country or "FR")


def _delivery(transaction, document: Document) -> None:
    delivery = cii.element(transaction, "ram:ApplicableHeaderTradeDelivery")
    buyer = document.buyer
    country = getattr(document, "delivery_country", "") or buyer.country
    if document.delivery_address:
        ship_to = cii.element(delivery, "ram:ShipToTradeParty")
        cii.text_element(ship_to, "ram:Name", buyer.name)
        _address(ship_to, document.delivery_address, "", "", country)
    elif getattr(document, "delivery_country", "") or any(line.vat_category in SHIPPED_CATEGORIES for line in document.lines):
        # Without a separate delivery address the goods go to the buyer's (BT-80 is required).
        ship_to = cii.element(delivery, "ram:ShipToTradeParty")
        cii.text_element(ship_to, "ram:Name", buyer.name)
        _address(ship_to, buyer.address, buyer.postcode, buyer.city, country)
    if document.sale_date:
        event = cii.element(delivery, "ram:ActualDeliverySupplyChainEvent")
        cii.date_element(event, "ram:OccurrenceDateTime", document.sale_date)


def _settlement(transaction, document: Document) -> None:
    settlement = cii.element(transaction, "ram:ApplicableHeaderTradeSettlement")
    cii.text_element(settlement, "ram:InvoiceCurrencyCode", document.currency)
    if document.iban and document.kind != "credit_note":
        means = cii.element(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        cii.text_element(means, "ram:TypeCode", SEPA_CREDIT_TRANSFER)
        cii.text_element(cii.element(means, "ram:PayeePartyCreditorFinancialAccount"), "ram:IBANID", document.iban)
        if document.bic:
            cii.text_element(cii.element(means, "ram:PayeeSpecifiedCreditorFinancialInstitution"), "ram:BICID", document.bic)
    for tax in document.tax_totals:
        _header_tax(settlement, tax)
    if document.period_start or document.period_end:
        period = cii.element(settlement, "ram:BillingSpecifiedPeriod")
        if document.period_start:
            cii.date_element(period, "ram:StartDateTime", document.period_start)
        if document.period_end:
            cii.date_element(period, "ram:EndDateTime", document.period_end)
    _payment_terms(settlement, document)
    _monetary_summation(settlement, document)
    for reference in _preceding_invoices(document):
        cited = cii.element(settlement, "ram:InvoiceReferencedDocument")
        cii.text_element(cited, "ram:IssuerAssignedID", reference.number)
        cii.date_element(cited, "ram:FormattedIssueDateTime", reference.issue_date, prefix="qdt")


def _header_tax(settlement, tax) -> None:
    element = cii.element(settlement, "ram:ApplicableTradeTax")
    cii.text_element(element, "ram:CalculatedAmount", cii.amount(tax.amount))
    cii.text_element(element, "ram:TypeCode", "VAT")
    if tax.exemption_reason:
        cii.text_element(element, "ram:ExemptionReason", tax.exemption_reason)
    cii.text_element(element, "ram:BasisAmount", cii.amount(tax.base))
    cii.text_element(element, "ram:CategoryCode", tax.vat_category)
    if code := EXEMPTION_CODES.get(tax.vat_category):
        cii.text_element(element, "ram:ExemptionReasonCode", code)
    cii.text_element(element, "ram:RateApplicablePercent", cii.amount(tax.rate))


def _payment_terms(settlement, document: Document) -> None:
    text = document.payment_terms
    if not text and document.kind == "credit_note":
        # Rule BR-CO-25 wants terms or a due date whenever an amount is due, a credit included.
        text = CREDIT_NOTE_TERMS.get(document.language, CREDIT_NOTE_TERMS["fr"])
    if not text and not document.due_date:
        return
    terms = cii.element(settlement, "ram:SpecifiedTradePaymentTerms")
    if text:
        cii.text_element(terms, "ram:Description", text)
    if document.due_date:
        cii.date_element(terms, "ram:DueDateDateTime", document.due_date)


def _monetary_summation(settlement, document: Document) -> None:
    summation = cii.element(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    cii.text_element(summation, "ram:LineTotalAmount", cii.amount(sum((line.total for line in document.lines), Decimal(0))))
    cii.text_element(summation, "ram:TaxBasisTotalAmount", cii.amount(document.total_excl_tax))
    cii.text_element(summation, "ram:TaxTotalAmount", cii.amount(document.total_tax), currencyID=document.currency)
    cii.text_element(summation, "ram:GrandTotalAmount", cii.amount(document.total_incl_tax))
    prepaid = document.total_incl_tax - document.amount_due
    if prepaid:
        # Deposits already invoiced and paid (BT-113); BR-CO-16 ties it to the amount due.
        cii.text_element(summation, "ram:TotalPrepaidAmount", cii.amount(prepaid))
    cii.text_element(summation, "ram:DuePayableAmount", cii.amount(document.amount_due))


def _preceding_invoices(document: Document) -> tuple[Reference, ...]:
    """The corrected invoice of a credit note, or the deposits a final invoice deducts (BT-25/26)."""
    if document.corrects is not None:
        return (document.corrects,)
    return document.deposits
