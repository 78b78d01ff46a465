"""The seller (from config [company]) and the buyer (from the request) as printed Parties."""

from datetime import date

from gateway.config_sections import Company
from invoicing.document import Party
from invoicing.request import BuyerRequest

# The buyer's SIREN becomes a mandatory mention with the e-invoicing reform.
BUYER_SIREN_REQUIRED_FROM = date(2026, 9, 1)


def seller_party(company: Company) -> Party:
    return Party(
        name=company.name, address=tuple(line.strip() for line in company.address.splitlines() if line.strip()),
        postcode=company.postcode, city=company.city, country=company.country or "FR",
        siren=company.siren, siret=company.siret, vat_number=company.vat_number,
        legal_form=company.legal_form, capital=company.capital, registration=company.registration,
        entrepreneur_individuel=company.entrepreneur_individuel, email=company.email, phone=company.phone,
    )


def buyer_party(buyer: BuyerRequest) -> Party:
    return Party(
        name=buyer.name, address=buyer.address, postcode=buyer.postcode, city=buyer.city,
        country=buyer.country, siren=buyer.siren, siret=buyer.siret, vat_number=buyer.vat_number,
        email=buyer.email, consumer=buyer.consumer,
    )


def buyer_warnings(buyer: BuyerRequest, issue_date: date) -> list[str]:
    """Findings that do not stop the invoice but that someone should look at."""
    warnings = []
    if buyer.consumer_derived:
        warnings.append(
            "The buyer has no SIREN, SIRET or VAT number and is treated as a consumer (B2C: no €40 indemnity); "
            "set buyer.consumer to false and give buyer.siren for a business."
        )
    if not buyer.consumer and buyer.country == "FR" and not buyer.siren and issue_date >= BUYER_SIREN_REQUIRED_FROM:
        warnings.append(
            "The buyer is a French business without SIREN: buyer.siren is a mandatory mention since 2026-09-01."
        )
    return warnings
