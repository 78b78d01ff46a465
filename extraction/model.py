"""What the engines produce: a bill with per-field confidence, and the positioned text they read."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# The classes of an attachment; only invoices and credit notes become bills.
KINDS = ("invoice", "credit_note", "quote", "receipt", "reminder", "statement", "terms", "other")
BILL_KINDS = ("invoice", "credit_note")
# Where the values came from, from the most to the least exact.
SOURCES = ("facturx", "ubl", "cii", "text", "ocr", "mindee")
# The fields that confidence{} is reported for (dotted for the parties).
FIELDS = (
    "number", "issue_date", "due_date", "currency",
    "total_excl_tax", "total_tax", "total_incl_tax", "amount_due",
    "supplier.name", "supplier.siren", "supplier.siret", "supplier.vat_number", "supplier.iban",
    "buyer.name", "buyer.vat_number", "tax_lines",
)


@dataclass
class Party:
    name: str | None = None
    siren: str | None = None
    siret: str | None = None
    vat_number: str | None = None
    iban: str | None = None
    bic: str | None = None
    address: str | None = None

    def to_json(self) -> dict:
        return {key: getattr(self, key) for key in ("name", "siren", "siret", "vat_number", "iban", "bic", "address")}


@dataclass
class TaxLine:
    rate: Decimal
    base: Decimal | None
    amount: Decimal | None

    def to_json(self) -> dict:
        return {"rate": _decimal(self.rate), "base": _decimal(self.base), "amount": _decimal(self.amount)}


@dataclass
class Bill:
    """One document read from one file. Unknown values stay None; confidence says how sure each is."""

    kind: str = "other"
    source: str = "text"
    filename: str = ""
    supplier: Party = field(default_factory=Party)
    buyer: Party = field(default_factory=Party)
    number: str | None = None
    issue_date: date | None = None
    due_date: date | None = None
    currency: str | None = None
    total_excl_tax: Decimal | None = None
    total_tax: Decimal | None = None
    total_incl_tax: Decimal | None = None
    amount_due: Decimal | None = None
    tax_lines: list[TaxLine] = field(default_factory=list)
    # Structured documents only: profile URN and UNTDID 1001 type code (380 invoice, 381 credit note).
    profile: str | None = None
    type_code: str | None = None
    # Field name (see FIELDS) → 0..1. A field absent here was not found.
    confidence: dict[str, float] = field(default_factory=dict)
    # Reasons in English (checks, fallbacks taken); mail shows them in French.
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    # Set when another attachment of the same mail is the same document (a PDF and its own XML):
    # the file name of the one that stands for both.
    duplicate_of: str | None = None
    # The checks' findings (extraction.checks.Problem), kept for French wording in mail.
    problems: list = field(default_factory=list)
    # Fields computed from others (a missing total from the other two) rather than read: that
    # they add up proves nothing.
    derived: set[str] = field(default_factory=set)

    @property
    def is_bill(self) -> bool:
        return self.kind in BILL_KINDS

    def to_json(self) -> dict:
        """The JSON of DESIGN.md: ISO dates, decimal strings, null for unknown."""
        return {
            "filename": self.filename,
            "kind": self.kind,
            "source": self.source,
            "supplier": self.supplier.to_json(),
            "buyer": self.buyer.to_json(),
            "number": self.number,
            "issue_date": self.issue_date.isoformat() if self.issue_date else None,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "currency": self.currency,
            "total_excl_tax": _decimal(self.total_excl_tax),
            "total_tax": _decimal(self.total_tax),
            "total_incl_tax": _decimal(self.total_incl_tax),
            "amount_due": _decimal(self.amount_due),
            "tax_lines": [line.to_json() for line in self.tax_lines],
            "profile": self.profile,
            "type_code": self.type_code,
            "confidence": {key: round(value, 3) for key, value in sorted(self.confidence.items())},
            "warnings": list(self.warnings),
            "pages": self.pages,
            "duplicate_of": self.duplicate_of,
        }


@dataclass(frozen=True)
class Word:
    """One word on a page, in points from the page's top-left corner."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    # OCR's own certainty for the word (0..1); 1.0 for a PDF's text layer.
    confidence: float = 1.0


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)


@dataclass
class TextDocument:
    """Positioned text of a whole file, from the PDF's text layer ("text") or from OCR ("ocr")."""

    pages: list[Page]
    source: str = "text"

    @property
    def has_text(self) -> bool:
        return any(page.words for page in self.pages)


class ExtractionError(Exception):
    """A file that cannot be read at all; the message is the reason, in English."""


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
