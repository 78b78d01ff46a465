"""From a checked request to a fully computed Document: VAT case, lines, totals, terms, mentions.

The rules are written down in docs/invoicing-rules.md. Nothing here reads the database or the
clock: the number, the issue date and the deposits to deduct are given by the caller.
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from gateway.config import Config
from invoicing.amounts import to_cents
from invoicing.credit_note import build_credit_note  # noqa: F401 - part of this module's interface
from invoicing.deposit import check_deductions, deposit_lines, deposit_shares
from invoicing.document import Document, Line, Reference
from invoicing.legal_texts import load_legal_texts
from invoicing.mentions import MentionContext, Resolver, build_mentions, business_process
from invoicing.parties import buyer_party, buyer_warnings, seller_party
from invoicing.payment_terms import PaymentTermsError, cap_warning, parse_terms
from invoicing.request import InvoiceRequest, LineRequest, RequestError
from invoicing.totals import Totals, group_key, printable_rate, summarize
from invoicing.vat import STANDARD_RATES, ZERO_RATE, ZERO_VAT_CASES, check_vat_case, derive_vat_case, line_category

__all__ = ["build_document", "build_credit_note", "reference_of", "resolve_vat_case"]


def build_document(request: InvoiceRequest, *, config: Config, number: str, issue_date: date,
                   deposits: Sequence[Reference] = ()) -> Document:
    """Compute an invoice (kind "invoice") or a deposit invoice (kind "deposit")."""
    language = request.language or config.invoicing.language
    resolver = Resolver(load_legal_texts(config.invoicing.legal_texts), issue_date, language)
    vat_case = resolve_vat_case(request, config)
    lines, totals, deducted, extra = _amounts(request, vat_case, resolver, issue_date, deposits)
    terms_phrase = request.payment_terms or config.invoicing.payment_terms
    due_date = _due_date(terms_phrase, issue_date)
    buyer = buyer_party(request.buyer)
    context = MentionContext(
        kind=request.kind, vat_case=vat_case, operation=request.operation, issue_date=issue_date,
        language=language, consumer=buyer.consumer, vat_on_debits=config.company.vat_on_debits,
        early_payment_discount=request.early_payment_discount or config.invoicing.early_payment_discount,
        late_penalty=config.invoicing.late_penalty, tax_totals=totals.tax_totals,
    )
    mentions = build_mentions(context, resolver)
    warnings = buyer_warnings(request.buyer, issue_date)
    if not buyer.consumer:
        warnings.append(cap_warning(issue_date, due_date))
    warnings.extend(resolver.warnings)
    return Document(
        kind=request.kind, number=number, issue_date=issue_date,
        seller=seller_party(config.company), buyer=buyer, lines=lines, tax_totals=totals.tax_totals,
        total_excl_tax=totals.total_excl_tax, total_tax=totals.total_tax, total_incl_tax=totals.total_incl_tax,
        amount_due=totals.total_incl_tax - deducted, language=language, vat_case=vat_case,
        operation=request.operation, sale_date=_sale_date(request, issue_date), period_start=request.period_start,
        period_end=request.period_end, delivery_address=_delivery_address(request),
        purchase_order=request.purchase_order, payment_terms=terms_phrase, due_date=due_date,
        iban=config.company.iban, bic=config.company.bic, mentions=mentions,
        warnings=tuple(warning for warning in warnings if warning), deposits=tuple(deposits),
        notes=request.notes, extra=extra,
        business_process=business_process(request.operation, after_deposits=bool(deposits)),
        delivery_country=request.buyer.country if any(line.vat_category == "K" for line in lines) else "",
    )


def _amounts(request: InvoiceRequest, vat_case: str, resolver: Resolver, issue_date: date,
             deposits: Sequence[Reference]) -> tuple[tuple[Line, ...], Totals, Decimal, dict]:
    """Lines, VAT breakdown and the deposits deducted (a deposit invoice has its own lines)."""
    order_lines = tuple(_line(line, index, vat_case) for index, line in enumerate(request.lines, start=1))
    totals = summarize(order_lines, [line.nature for line in request.lines], vat_case, resolver)
    if request.kind == "deposit":
        if deposits:
            raise RequestError("deposits: a deposit invoice cannot deduct other deposits")
        lines, deposit_totals, extra = _deposit_document_parts(request, totals, vat_case, resolver)
        return lines, deposit_totals, to_cents(0), extra
    deducted = check_deductions(totals.tax_totals, deposits, issue_date, request.deposits)
    if deducted > totals.total_incl_tax:
        raise RequestError("deposits: the deposits exceed this invoice's total")
    return order_lines, totals, deducted, {}


def _due_date(phrase: str, issue_date: date) -> date:
    try:
        return parse_terms(phrase).due_date(issue_date)
    except PaymentTermsError as error:
        # The request's phrase was checked when parsed: this one is the configured default.
        raise RequestError(f"invoicing.payment_terms (config): {error}") from None


def _sale_date(request: InvoiceRequest, issue_date: date) -> date | None:
    """An invoice names the date of the sale; without one (nor a period) it is the issue date."""
    if request.kind == "invoice" and request.sale_date is None and request.period_start is None:
        return issue_date
    return request.sale_date


def resolve_vat_case(request: InvoiceRequest, config: Config) -> str:
    """The request's case when it names one (checked against the sale), else the derived case."""
    buyer = request.buyer
    facts = dict(
        seller_franchise=config.company.vat_franchise, buyer_country=buyer.country,
        buyer_vat_number=buyer.vat_number, buyer_consumer=buyer.consumer, operation=request.operation,
    )
    vat_case = request.vat_case or derive_vat_case(**facts)
    problem = check_vat_case(vat_case, **facts)
    if problem:
        raise RequestError(problem)
    if vat_case == "reverse_charge_eu" and not config.company.vat_number:
        raise RequestError("vat_case 'reverse_charge_eu' needs the seller's VAT number (company.vat_number)")
    return vat_case


def reference_of(document: Document) -> Reference:
    """How a later document cites this one: a deposit deducted, or an invoice credited."""
    return Reference(number=document.number, issue_date=document.issue_date, tax_totals=document.tax_totals)


def _line(line: LineRequest, index: int, vat_case: str) -> Line:
    rate = line.vat_rate
    if vat_case in ZERO_VAT_CASES:
        if rate not in (None, ZERO_RATE):
            raise RequestError(f"lines[{index}].vat_rate: {rate} % given, but vat_case {vat_case!r} charges no VAT")
        rate = ZERO_RATE
    elif rate is None:
        rate = STANDARD_RATES[0]
    elif rate == ZERO_RATE:
        raise RequestError(
            f"lines[{index}].vat_rate: 0 needs a VAT case without VAT (reverse_charge_eu, export, franchise)"
        )
    if vat_case in ("reverse_charge_eu", "export") and not line.nature:
        raise RequestError(
            f"lines[{index}].nature: say \"goods\" or \"services\" on a mixed operation under {vat_case}"
        )
    return Line(
        description=line.description, quantity=line.quantity, unit=line.unit, unit_price=line.unit_price,
        vat_rate=printable_rate(rate), total=to_cents(line.quantity * line.unit_price),
        vat_category=line_category(vat_case, line.nature), nature=line.nature,
    )


def _deposit_document_parts(request: InvoiceRequest, order: Totals, vat_case: str, resolver: Resolver):
    """The deposit invoice's own lines and totals, and the order's figures it refers to."""
    bases, vats = deposit_shares(order, request.deposit)
    lines = deposit_lines(order, bases, request.deposit, request.purchase_order)
    # A deposit line stands for all the order's lines at its rate: it keeps their exemption wording.
    reasons = {group_key(total.vat_category, total.rate): total.exemption_reason for total in order.tax_totals}
    totals = summarize(lines, [""] * len(lines), vat_case, resolver, vat_overrides=vats, reasons=reasons)
    extra = {
        "order_total_excl_tax": str(order.total_excl_tax), "order_total_incl_tax": str(order.total_incl_tax),
        "deposit_percent": str(request.deposit.percent) if request.deposit.percent is not None else "",
    }
    return lines, totals, extra


def _delivery_address(request: InvoiceRequest) -> tuple[str, ...]:
    """Printed only when it differs from the billing address."""
    buyer = request.buyer
    billing = [*buyer.address, f"{buyer.postcode} {buyer.city}".strip()]
    if [part.casefold() for part in buyer.delivery_address] == [part.casefold() for part in billing if part]:
        return ()
    if [part.casefold() for part in buyer.delivery_address] == [part.casefold() for part in buyer.address]:
        return ()
    return buyer.delivery_address
