"""An order as the invoicing request JSON (docs/invoicing-rules.md), and its totals by invoicing's computation."""

from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from gateway.config import Config, load_config
from invoicing.amounts import CENT, to_cents, vat_of
from invoicing.compute import build_document
from invoicing.request import parse_request
from invoicing.vat import STANDARD_RATES, ZERO_VAT_CASES
from orders.model import Order, OrderLine
from orders.vat_case import order_vat_case

# invoicing accepts unit prices with up to 6 decimals.
UNIT_PRICE_PLACES = Decimal("0.000001")


def order_request_data(order: Order, company_is_franchise: bool = False) -> dict:
    """The request for invoicing.request.parse_request; deposits are left to the caller."""
    client = order.client
    vat_case = order_vat_case(client, order.operation, company_is_franchise)
    buyer = {key: value for key, value in (
        ("name", client.name), ("address", list(client.address)), ("postcode", client.postcode),
        ("city", client.city), ("country", client.country), ("siren", client.siren), ("siret", client.siret),
        ("vat_number", client.vat_number), ("email", client.email),
        ("delivery_address", list(order.delivery_address))) if value}
    buyer["consumer"] = not client.is_business
    data = {"buyer": buyer, "lines": [_line(line, order.operation, vat_case) for line in order.lines]}
    optional = (("purchase_order", order.reference), ("operation", order.operation),
                ("payment_terms", order.payment_terms), ("notes", order.notes),
                ("sale_date", order.sale_date.isoformat() if order.sale_date else ""))
    data.update((key, value) for key, value in optional if value)
    return data


def order_totals(order: Order, *, config: Config | None = None, issue_date: date | None = None,
                 company_is_franchise: bool | None = None) -> tuple[Decimal, Decimal, Decimal]:
    """HT, TVA and TTC of the invoice the order gives, computed by invoicing.compute.build_document.

    Without `config`, the shipped configuration (no environment) is used; the totals depend only on
    the lines and the VAT case, not on the seller's identity.
    """
    config = config or load_config(environ={})
    if company_is_franchise is not None:
        config = replace(config, company=replace(config.company, vat_franchise=company_is_franchise))
    data = order_request_data(order, config.company.vat_franchise)
    document = build_document(parse_request(data), config=config, number="ORDER-TOTALS",
                              issue_date=issue_date or order.sale_date or date.today())
    return document.total_excl_tax, document.total_tax, document.total_incl_tax


def _line(line: OrderLine, operation: str, vat_case: str) -> dict:
    rate = None if vat_case in ZERO_VAT_CASES else line.vat_rate
    data = {"description": line.description, "quantity": str(line.quantity), "unit_price": str(_unit_price_ht(line, vat_case))}
    if line.unit:
        data["unit"] = line.unit
    if rate is not None:
        data["vat_rate"] = str(rate)
    if line.nature and operation == "mixed":
        data["nature"] = line.nature
    return data


def _unit_price_ht(line: OrderLine, vat_case: str) -> Decimal:
    """A TTC price as HT: the line's TTC kept to the cent when a price can do it (docs/orders.md).

    The line's HT total is TTC / (1 + rate) rounded half up; when that total, or the cent below or
    above, gives back the written line TTC once its VAT is added, it is the one kept (else the
    rounded one, and the TTC may differ by a cent). The unit price is that total divided by the
    quantity, to 6 decimals, when it gives the total back; else the unit TTC / (1 + rate).
    Without VAT (export, reverse charge, franchise) a TTC price is the HT price.
    """
    if line.basis != "TTC" or vat_case in ZERO_VAT_CASES:
        return line.unit_price
    rate = STANDARD_RATES[0] if line.vat_rate is None else line.vat_rate
    target = to_cents(line.quantity * line.unit_price)
    first = to_cents(target * 100 / (100 + rate))
    exact = [total for total in (first, first - CENT, first + CENT) if total + vat_of(total, rate) == target]
    for total in [*exact, first]:
        unit = (total / line.quantity).quantize(UNIT_PRICE_PLACES, rounding=ROUND_HALF_UP)
        if to_cents(line.quantity * unit) == total:
            return _trimmed(unit)
    return _trimmed((line.unit_price * 100 / (100 + rate)).quantize(UNIT_PRICE_PLACES, rounding=ROUND_HALF_UP))


def _trimmed(price: Decimal) -> Decimal:
    """No zeros after the cents: 454.550000 → 454.55, 10.825000 → 10.825."""
    trimmed = price.normalize()
    return trimmed.quantize(Decimal("0.01")) if -trimmed.as_tuple().exponent < 2 else trimmed
