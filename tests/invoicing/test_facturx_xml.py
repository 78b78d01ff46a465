"""The Factur-X XML of each VAT case: valid against the EN 16931 XSD and schematron, and faithful."""

from dataclasses import replace
from decimal import Decimal

import pytest
from lxml import etree

from invoicing.facturx_codes import note_subject_code, unit_code
from invoicing.facturx_xml import facturx_xml
from invoicing.validate import check_schematron, check_xsd, schematron_findings
from tests.invoicing import sample_documents as samples

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
CASES = {**samples.SAMPLES, "long_invoice": samples.long_invoice}


def parsed(document):
    return etree.fromstring(facturx_xml(document))


def values(root, path):
    return [node.text for node in root.xpath(path, namespaces=NS)]


@pytest.mark.parametrize("case", sorted(CASES))
def test_xml_is_valid_against_the_en16931_xsd(case):
    assert check_xsd(facturx_xml(CASES[case]())) == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_xml_passes_the_en16931_schematron_without_fatal_assert(case):
    assert check_schematron(facturx_xml(CASES[case]())) == []


@pytest.mark.parametrize("case", ["standard", "credit_note"])
def test_english_documents_are_valid_too(case):
    xml = facturx_xml(samples.english(CASES[case]()))
    assert check_xsd(xml) == [] and check_schematron(xml) == []


def test_schematron_check_reports_inconsistent_totals():
    wrong = replace(samples.standard(), total_tax=Decimal("1.00"))
    failures = check_schematron(facturx_xml(wrong))
    assert any("BR-CO-14" in failure for failure in failures)


def test_schematron_warnings_are_not_counted_as_fatal():
    findings = schematron_findings(facturx_xml(samples.deposit()))
    assert all(finding.flag == "warning" for finding in findings)
    assert check_schematron(facturx_xml(samples.deposit())) == []


def test_xsd_check_gives_the_reason_for_broken_xml():
    xml = facturx_xml(samples.standard()).replace(b"<ram:TypeCode>380</ram:TypeCode>", b"")
    failures = check_xsd(xml)
    assert failures and "XML Schema" in failures[0]


def test_totals_and_guideline_are_those_of_the_document():
    document = samples.standard()
    root = parsed(document)
    summation = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
    assert values(root, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") == ["urn:cen.eu:en16931:2017"]
    assert values(root, summation + "ram:TaxBasisTotalAmount") == [str(document.total_excl_tax)]
    assert values(root, summation + "ram:TaxTotalAmount") == [str(document.total_tax)]
    assert values(root, summation + "ram:GrandTotalAmount") == [str(document.total_incl_tax)]
    assert values(root, summation + "ram:DuePayableAmount") == [str(document.amount_due)]
    assert values(root, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent") == ["20.00", "10.00", "5.50"]


def test_parties_carry_siren_as_scheme_0002_and_vat_numbers():
    root = parsed(samples.standard())
    seller = "//ram:SellerTradeParty/"
    assert root.xpath(seller + "ram:SpecifiedLegalOrganization/ram:ID/@schemeID", namespaces=NS) == ["0002"]
    assert values(root, seller + "ram:SpecifiedLegalOrganization/ram:ID") == ["123456782"]
    assert values(root, seller + "ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']") == ["FR11123456782"]
    assert values(root, "//ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID") == ["FR40552100554"]


def test_purchase_order_delivery_and_period_are_carried():
    root = parsed(samples.standard())
    assert values(root, "//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID") == ["BC-2026-118"]
    assert values(root, "//ram:ShipToTradeParty/ram:PostalTradeAddress/ram:LineOne") == ["Client Industrie SAS"]
    assert values(root, "//ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString") == ["20261102"]
    assert values(root, "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID") == ["M1"]


def test_credit_note_cites_original_number_and_date():
    root = parsed(samples.credit_note())
    assert values(root, "//rsm:ExchangedDocument/ram:TypeCode") == ["381"]
    assert values(root, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID") == ["FA2026-0042"]
    assert values(root, "//ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString") == ["20261126"]
    # A credit is not paid to the seller's account.
    assert values(root, "//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode") == []


def test_final_invoice_deducts_deposit_as_prepaid_amount():
    document = samples.final_with_deposit()
    root = parsed(document)
    summation = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
    assert values(root, summation + "ram:TotalPrepaidAmount") == ["3600.00"]
    assert values(root, summation + "ram:DuePayableAmount") == [str(document.amount_due)]
    assert values(root, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID") == ["AC2026-0005"]


def test_deposit_invoice_has_type_code_386():
    assert values(parsed(samples.deposit()), "//rsm:ExchangedDocument/ram:TypeCode") == ["386"]


@pytest.mark.parametrize(("case", "category", "code"), [
    ("reverse_charge_eu", "AE", "VATEX-EU-AE"), ("intra_eu_goods", "K", "VATEX-EU-IC"),
    ("export", "G", "VATEX-EU-G"), ("franchise", "E", None),
])
def test_exempt_cases_give_category_and_reason(case, category, code):
    document = CASES[case]()
    tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/"
    root = parsed(document)
    assert values(root, tax + "ram:CategoryCode") == [category]
    assert values(root, tax + "ram:ExemptionReason") == [document.tax_totals[0].exemption_reason]
    assert values(root, tax + "ram:ExemptionReasonCode") == ([code] if code else [])


def test_franchise_seller_without_vat_number_gives_its_tax_registration():
    root = parsed(samples.franchise())
    assert values(root, "//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='FC']") == ["732829320"]


def test_payment_means_is_sepa_transfer_with_iban_and_due_date():
    root = parsed(samples.standard())
    assert values(root, "//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode") == ["58"]
    assert values(root, "//ram:PayeePartyCreditorFinancialAccount/ram:IBANID") == ["FR7630006000011234567890189"]
    assert values(root, "//ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString") == ["20261226"]


def test_mandatory_mentions_are_notes_with_their_subject_codes():
    root = parsed(samples.standard())
    notes = root.xpath("//rsm:ExchangedDocument/ram:IncludedNote", namespaces=NS)
    codes = {note.findtext("ram:SubjectCode", namespaces=NS) for note in notes}
    assert {"PMD", "PMT", "AAB"} <= codes
    assert len(notes) == len(samples.standard().mentions)


@pytest.mark.parametrize(("text", "code"), [
    ("Pénalités de retard : trois fois le taux d'intérêt légal", "PMD"),
    ("Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €", "PMT"),
    ("En cas de retard de paiement, des intérêts au taux légal pourront être réclamés", "PMD"),
    ("Fixed compensation for recovery costs: €40", "PMT"),
    ("Pas d'escompte pour paiement anticipé.", "AAB"),
    ("Autoliquidation", ""),
])
def test_note_subject_codes(text, code):
    assert note_subject_code(text) == code


@pytest.mark.parametrize(("unit", "code"), [
    ("heure", "HUR"), ("Jours", "DAY"), ("forfait", "LS"), ("kg", "KGM"), ("pièce", "C62"), ("", "C62"),
    ("HUR", "HUR"), ("bidule", "C62"),
])
def test_units_map_to_recommendation_20(unit, code):
    assert unit_code(unit) == code


@pytest.fixture(scope="module")
def computed():
    """The published samples' documents, computed by invoicing.compute from their requests."""
    from tests.invoicing.sample_requests import computed_documents

    return computed_documents()


def test_documents_computed_from_requests_are_valid_factur_x(computed):
    problems = {case: check_xsd(facturx_xml(document)) + check_schematron(facturx_xml(document))
                for case, document in computed.items()}
    assert {case: found for case, found in problems.items() if found} == {}
