"""An invoice as computed before rendering: every amount and every mention already decided.

The request (JSON given to `invoice issue`, later an order email) becomes a `Document` through
`invoicing.compute`; the PDF, the Factur-X XML and the archive all read this one object, so that
what is printed, what is embedded and what is archived cannot disagree.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# Document kinds and their UNTDID 1001 type codes in Factur-X.
KINDS = {"invoice": "380", "credit_note": "381", "deposit": "386"}
# VAT cases: each has its computation and its wording (config/legal_texts.toml).
VAT_CASES = ("standard", "reverse_charge_eu", "export", "franchise")
# The nature of the operation (BT-23 business process and the printed "nature" mention).
OPERATIONS = ("goods", "services", "mixed")


@dataclass(frozen=True)
class Party:
    name: str
    address: tuple[str, ...] = ()
    postcode: str = ""
    city: str = ""
    country: str = "FR"
    siren: str = ""
    siret: str = ""
    vat_number: str = ""
    legal_form: str = ""
    capital: str = ""
    registration: str = ""
    entrepreneur_individuel: bool = False
    email: str = ""
    phone: str = ""
    # A consumer (B2C): no SIREN, no €40 indemnity, the consumer wording.
    consumer: bool = False


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal          # excluding tax
    vat_rate: Decimal            # percent: 20, 10, 5.5, 2.1, 0
    total: Decimal               # quantity × unit_price, rounded to the cent
    # VAT category of EN16931 (S standard, AE reverse charge, G export, E exempt).
    vat_category: str = "S"
    # "goods" or "services" as the request said; "" follows the document's operation. It decides
    # the sales account (707 or 706) and is neither printed nor embedded in the Factur-X XML.
    nature: str = ""


@dataclass(frozen=True)
class TaxTotal:
    rate: Decimal
    base: Decimal
    amount: Decimal
    vat_category: str = "S"
    # The printed and embedded reason when no VAT is charged (BT-120).
    exemption_reason: str = ""


@dataclass(frozen=True)
class Reference:
    """An earlier document this one cites: the invoice a credit note corrects, a deducted deposit."""

    number: str
    issue_date: date
    # Per rate: base and VAT deducted (deposits) or credited (credit notes).
    tax_totals: tuple[TaxTotal, ...] = ()


@dataclass(frozen=True)
class Document:
    kind: str                                  # a key of KINDS
    number: str
    issue_date: date
    seller: Party
    buyer: Party
    lines: tuple[Line, ...]
    tax_totals: tuple[TaxTotal, ...]
    total_excl_tax: Decimal
    total_tax: Decimal
    total_incl_tax: Decimal
    # What remains to pay after deposits (= total_incl_tax without them).
    amount_due: Decimal
    currency: str = "EUR"
    language: str = "fr"
    vat_case: str = "standard"
    operation: str = "services"
    # Date of the sale or of the end of the service, or a period.
    sale_date: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    delivery_address: tuple[str, ...] = ()
    purchase_order: str = ""
    payment_terms: str = ""
    due_date: date | None = None
    iban: str = ""
    bic: str = ""
    # The mandatory wording, resolved for this document's date and case, in print order.
    mentions: tuple[str, ...] = ()
    # Non-fatal findings at issue (for example payment terms above the L441-10 caps).
    warnings: tuple[str, ...] = ()
    # Credit notes: the corrected invoice, and whether the credited amount was given HT or TTC.
    corrects: Reference | None = None
    credit_basis: str = ""
    # Final invoices: the deposits deducted.
    deposits: tuple[Reference, ...] = ()
    notes: str = ""
    extra: dict = field(default_factory=dict)
    # BT-23, the French e-invoicing "cadre de facturation": B1/S1/M1 (goods, services, mixed),
    # B4/S4/M4 for a final invoice after deposits (docs/invoicing-rules.md).
    business_process: str = ""
    # Country of delivery (BT-80): set for intra-EU supplies of goods (EN16931 BR-IC-12).
    delivery_country: str = ""

    @property
    def type_code(self) -> str:
        return KINDS[self.kind]
