"""What an order mail says: the client, the lines, the terms, and the problems found while reading it."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class ClientDetails:
    name: str = ""
    siren: str = ""
    siret: str = ""
    vat_number: str = ""
    email: str = ""
    address: tuple[str, ...] = ()  # street lines
    postcode: str = ""
    city: str = ""
    country: str = "FR"
    # False for a consumer (« particulier »); a SIREN, SIRET or VAT number implies a business.
    is_business: bool = True


@dataclass(frozen=True)
class OrderLine:
    description: str
    quantity: Decimal
    unit: str  # "", "h", "jour", "kg", "forfait"…
    unit_price: Decimal
    basis: str = "HT"  # the price as written: "HT" or "TTC"
    vat_rate: Decimal | None = None  # None: not written (the VAT case decides, see docs/orders.md)
    nature: str | None = None  # "goods", "services" or None when nothing tells


@dataclass(frozen=True)
class Order:
    client: ClientDetails
    lines: tuple[OrderLine, ...]
    reference: str = ""  # the client's order number (« Référence : BC-2026-114 »)
    payment_terms: str = ""  # as written (« 30 jours »), or « N jours » computed from a written due date
    due_date: date | None = None
    deposit_paid: Decimal | None = None  # « Acompte versé : 500 € », TTC
    deposit_numbers: tuple[str, ...] = ()  # « Acompte : AC2026-0001 »
    delivery_address: tuple[str, ...] = ()
    sale_date: date | None = None
    notes: str = ""
    operation: str = ""  # "goods", "services", "mixed"; "" lets the invoicing default decide


@dataclass(frozen=True)
class OrderProblem:
    field: str  # "client", "client.email", "line 3", "vat", "payment_terms", …
    line: str  # the text concerned ("" when something is missing)
    french: str  # one sentence telling the salesperson what is wrong and how to write it
    english: str


@dataclass(frozen=True)
class OrderReading:
    found: bool  # an order block, table or attachment was recognised at all
    order: Order | None  # what could be read (partial when there are problems)
    problems: tuple[OrderProblem, ...]
    source: str = ""  # "block", "table", "csv", "json"
