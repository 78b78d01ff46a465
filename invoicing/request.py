"""The request to issue an invoice or a deposit invoice (JSON), parsed and checked field by field.

The schema is documented in docs/invoicing-rules.md, section "Request JSON". Every amount is a
Decimal built from the text of the JSON value, never from a float's binary value.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from invoicing import request_fields as read
from invoicing.document import OPERATIONS, VAT_CASES
from invoicing.payment_terms import PaymentTermsError, parse_terms
from invoicing.request_fields import RequestError
from invoicing.request_parts import DepositRequest, deposit_numbers, deposit_request, sale_dates
from invoicing.vat import STANDARD_RATES, ZERO_RATE, check_vat_case

__all__ = ["RequestError", "InvoiceRequest", "BuyerRequest", "LineRequest", "DepositRequest", "parse_request"]

REQUEST_KINDS = ("invoice", "deposit")
LANGUAGES = ("fr", "en")
NATURES = ("goods", "services")
TOP_FIELDS = {
    "kind", "language", "issue_date", "sale_date", "period", "buyer", "purchase_order", "operation",
    "vat_case", "lines", "payment_terms", "early_payment_discount", "deposits", "deposit", "notes", "currency",
}
BUYER_FIELDS = {
    "name", "address", "postcode", "city", "country", "siren", "siret", "vat_number", "email",
    "consumer", "delivery_address",
}
LINE_FIELDS = {"description", "quantity", "unit", "unit_price", "vat_rate", "nature"}
MAX_LINES = 500


@dataclass(frozen=True)
class BuyerRequest:
    name: str
    address: tuple[str, ...] = ()
    postcode: str = ""
    city: str = ""
    country: str = "FR"
    siren: str = ""
    siret: str = ""
    vat_number: str = ""
    email: str = ""
    # A consumer (B2C). When the request does not say, a buyer without SIREN, SIRET or VAT
    # number is taken for a consumer and `consumer_derived` records that guess.
    consumer: bool = False
    consumer_derived: bool = False
    delivery_address: tuple[str, ...] = ()


@dataclass(frozen=True)
class LineRequest:
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    # None: the default of the VAT case (20 % when VAT is charged, 0 otherwise).
    vat_rate: Decimal | None
    # "goods" or "services"; follows the operation unless the operation is mixed.
    nature: str = ""


@dataclass(frozen=True)
class InvoiceRequest:
    kind: str
    buyer: BuyerRequest
    lines: tuple[LineRequest, ...]
    operation: str = "services"
    language: str | None = None
    issue_date: date | None = None
    sale_date: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    purchase_order: str = ""
    vat_case: str | None = None
    payment_terms: str | None = None
    early_payment_discount: str | None = None
    deposits: tuple[str, ...] = ()
    deposit: DepositRequest | None = None
    notes: str = ""


def parse_request(data: dict) -> InvoiceRequest:
    """Check and type a request; the first problem raises RequestError naming its field."""
    if not isinstance(data, dict):
        raise RequestError("request: expected a JSON object")
    read.reject_unknown(data, TOP_FIELDS, "")
    kind = read.choice(data, "kind", REQUEST_KINDS, "", default="invoice")
    if data.get("currency", "EUR") != "EUR":
        raise RequestError(f"currency: only EUR is supported, got {data.get('currency')!r}")
    operation = read.choice(data, "operation", OPERATIONS, "", default="services")
    sale_date, period_start, period_end = sale_dates(data)
    request = InvoiceRequest(
        kind=kind,
        buyer=_buyer(data.get("buyer")),
        lines=_lines(data.get("lines"), operation),
        operation=operation,
        language=read.choice(data, "language", LANGUAGES, ""),
        issue_date=read.iso_date(data["issue_date"], "issue_date") if data.get("issue_date") else None,
        sale_date=sale_date, period_start=period_start, period_end=period_end,
        purchase_order=read.text(data, "purchase_order", ""),
        vat_case=read.choice(data, "vat_case", VAT_CASES, ""),
        payment_terms=_payment_terms(data),
        early_payment_discount=read.text(data, "early_payment_discount", "") or None,
        deposits=deposit_numbers(data, kind),
        deposit=deposit_request(data, kind),
        notes=read.text(data, "notes", ""),
    )
    _check_buyer_side_of_vat_case(request)
    return request


def _check_buyer_side_of_vat_case(request: InvoiceRequest) -> None:
    """A named case must fit the buyer; the seller's side (franchise) is checked at build time."""
    if request.vat_case not in ("reverse_charge_eu", "export"):
        return
    buyer = request.buyer
    problem = check_vat_case(
        request.vat_case, seller_franchise=False, buyer_country=buyer.country,
        buyer_vat_number=buyer.vat_number, buyer_consumer=buyer.consumer, operation=request.operation,
    )
    if problem:
        raise RequestError(problem)


def _buyer(data: object) -> BuyerRequest:
    if not isinstance(data, dict):
        raise RequestError("buyer is required / client obligatoire: expected an object with at least a name")
    where = "buyer."
    read.reject_unknown(data, BUYER_FIELDS, where)
    siren = read.siren(data, where)
    siret = read.siret(data, where, siren)
    siren = siren or siret[:9]
    vat_number = read.vat_number(data, where)
    consumer = read.boolean(data, "consumer", where)
    derived = consumer is None
    if derived:
        consumer = not (siren or siret or vat_number)
    return BuyerRequest(
        name=read.text(data, "name", where, required=True),
        address=read.lines_of_text(data, "address", where),
        postcode=read.text(data, "postcode", where), city=read.text(data, "city", where),
        country=read.country(data, where), siren=siren, siret=siret, vat_number=vat_number,
        email=read.text(data, "email", where), consumer=consumer, consumer_derived=derived and consumer,
        delivery_address=read.lines_of_text(data, "delivery_address", where),
    )


def _lines(data: object, operation: str) -> tuple[LineRequest, ...]:
    if not isinstance(data, list) or not data:
        raise RequestError("lines: expected a non-empty list of lines / au moins une ligne")
    if len(data) > MAX_LINES:
        raise RequestError(f"lines: {len(data)} lines is more than {MAX_LINES}")
    return tuple(_line(item, index, operation) for index, item in enumerate(data, start=1))


def _line(data: object, index: int, operation: str) -> LineRequest:
    where = f"lines[{index}]."
    if not isinstance(data, dict):
        raise RequestError(f"lines[{index}]: expected an object")
    read.reject_unknown(data, LINE_FIELDS, where)
    quantity = read.decimal(data.get("quantity", "1"), f"{where}quantity", places=4)
    if quantity <= 0:
        raise RequestError(f"{where}quantity: must be positive, got {quantity} (a refund is a credit note)")
    unit_price = read.decimal(data.get("unit_price"), f"{where}unit_price", places=6)
    if unit_price < 0:
        raise RequestError(f"{where}unit_price: must not be negative, got {unit_price}")
    nature = read.choice(data, "nature", NATURES, where)
    if nature and operation != "mixed" and nature != operation:
        raise RequestError(f"{where}nature: {nature!r} contradicts operation {operation!r}")
    return LineRequest(
        description=read.text(data, "description", where, required=True),
        quantity=quantity, unit=read.text(data, "unit", where), unit_price=unit_price,
        vat_rate=_rate(data, where), nature=nature or (operation if operation != "mixed" else ""),
    )


def _rate(data: dict, where: str) -> Decimal | None:
    if data.get("vat_rate") is None:
        return None
    rate = read.decimal(data["vat_rate"], f"{where}vat_rate", places=2)
    if rate != ZERO_RATE and rate not in STANDARD_RATES:
        allowed = ", ".join(str(value) for value in STANDARD_RATES)
        raise RequestError(f"{where}vat_rate: {rate} is not a French VAT rate; expected one of {allowed} or 0")
    return rate


def _payment_terms(data: dict) -> str | None:
    phrase = read.text(data, "payment_terms", "")
    if not phrase:
        return None
    try:
        parse_terms(phrase)
    except PaymentTermsError as error:
        raise RequestError(f"payment_terms: {error}") from None
    return phrase
