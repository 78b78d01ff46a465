"""VAT cases: which case a sale falls in, the EN16931 category of each line, and the wording key.

The cases (docs/invoicing-rules.md, "VAT cases"):
- standard: French VAT at 20, 10, 5.5 or 2.1 % (several rates on one invoice allowed), category S;
- reverse_charge_eu: a business buyer in another EU country with a VAT number; goods are an
  exempt intra-EU supply (category K), services are taxed by the buyer (category AE);
- export: goods leaving the EU, or services to a business established outside the EU (G);
- franchise: the seller is in the franchise en base (art. 293 B CGI), no VAT at all (E).
"""

from decimal import Decimal

# The French rates accepted on a standard invoice (mainland France).
STANDARD_RATES = tuple(Decimal(rate) for rate in ("20", "10", "5.5", "2.1"))
ZERO_RATE = Decimal("0")
# EU member states by ISO 3166 alpha-2 (Greece is GR here, EL only in VAT numbers). Monaco is
# part of the French VAT territory; the French overseas departments are outside the EU VAT area.
EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)
FRENCH_VAT_TERRITORY = frozenset({"FR", "MC"})
OVERSEAS = frozenset({"GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF", "TF"})
ZERO_VAT_CASES = ("reverse_charge_eu", "export", "franchise")


def derive_vat_case(*, seller_franchise: bool, buyer_country: str, buyer_vat_number: str,
                    buyer_consumer: bool, operation: str) -> str:
    """The case when the request names none; the order of the tests is the order of precedence."""
    if seller_franchise:
        return "franchise"
    if buyer_country in FRENCH_VAT_TERRITORY:
        return "standard"
    if buyer_country in EU_COUNTRIES:
        return "reverse_charge_eu" if buyer_vat_number and not buyer_consumer else "standard"
    # Services to a consumer outside the EU stay taxed in France (art. 259, 2° CGI).
    if buyer_consumer and operation == "services":
        return "standard"
    return "export"


def check_vat_case(case: str, *, seller_franchise: bool, buyer_country: str, buyer_vat_number: str,
                   buyer_consumer: bool, operation: str) -> str:
    """Why `case` cannot apply to this sale, in English; empty when it can."""
    if seller_franchise and case != "franchise":
        return f"vat_case {case!r}: the seller is in the VAT franchise (company.vat_franchise), use 'franchise'"
    if case == "franchise" and not seller_franchise:
        return "vat_case 'franchise': the seller is not in the VAT franchise (company.vat_franchise = false)"
    if case == "reverse_charge_eu":
        if buyer_country in FRENCH_VAT_TERRITORY or buyer_country not in EU_COUNTRIES:
            return f"vat_case 'reverse_charge_eu': buyer.country {buyer_country!r} is not another EU country"
        if not buyer_vat_number or buyer_consumer:
            return "vat_case 'reverse_charge_eu' needs a business buyer with buyer.vat_number"
    if case == "export":
        if buyer_country in EU_COUNTRIES or buyer_country in FRENCH_VAT_TERRITORY:
            return f"vat_case 'export': buyer.country {buyer_country!r} is inside the EU"
        if buyer_consumer and operation == "services":
            return "vat_case 'export': services to a consumer outside the EU are taxed in France (use 'standard')"
    return ""


def line_category(case: str, line_nature: str) -> str:
    """EN16931 VAT category code (BT-151) of one line."""
    if case == "standard":
        return "S"
    if case == "franchise":
        return "E"
    if case == "export":
        return "G"
    return "K" if line_nature == "goods" else "AE"


def exemption_key(case: str, category: str, nature: str) -> str:
    """The legal_texts.toml key of the exemption reason (BT-120) of a line; empty when VAT is charged."""
    if case == "franchise":
        return "franchise"
    if case == "reverse_charge_eu":
        return "intra_eu_goods" if category == "K" else "reverse_charge_services"
    if case == "export":
        return "export_goods" if nature == "goods" else "export_services"
    return ""
