"""Credit notes: what remains creditable on an invoice, and its exact split across the VAT rates."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from gateway.config import Config
from invoicing.amounts import ZERO, base_within, split_exactly, to_cents, vat_of
from invoicing.document import Document, Line, Reference, TaxTotal
from invoicing.legal_texts import load_legal_texts
from invoicing.mentions import MentionContext, Resolver, build_mentions, business_process
from invoicing.parties import seller_party
from invoicing.request import RequestError
from invoicing.totals import group_key, totals_of

BASES = ("HT", "TTC")


def build_credit_note(original: Document, *, config: Config, number: str, issue_date: date,
                      amount: Decimal | None, basis: str, reason: str,
                      already_credited: Sequence[Reference] = ()) -> Document:
    """Credit `amount` (HT or TTC per `basis`) of `original`, or all that remains when None.

    What remains is the original's breakdown less the deposits it deducted (they stand on their
    own invoices) and less the credit notes already issued against it (`already_credited`).
    """
    if original.kind == "credit_note":
        raise RequestError(f"{original.number} is a credit note: only an invoice can be credited")
    if basis not in BASES:
        raise RequestError(f"basis: expected HT or TTC, got {basis!r}")
    if issue_date < original.issue_date:
        raise RequestError(f"issue_date: the credit note cannot predate {original.number}")
    remaining = remaining_totals(original, already_credited)
    credited = _credited(remaining, amount, basis)
    untouched = credited == original.tax_totals and not original.deposits
    lines = original.lines if untouched else _lines(credited, original)
    totals = totals_of(credited)
    resolver = Resolver(load_legal_texts(config.invoicing.legal_texts), issue_date, original.language)
    context = MentionContext(
        kind="credit_note", vat_case=original.vat_case, operation=original.operation, issue_date=issue_date,
        language=original.language, consumer=original.buyer.consumer, vat_on_debits=False,
        early_payment_discount="", late_penalty="", tax_totals=credited, credit_basis=basis,
    )
    return replace(
        original, kind="credit_note", number=number, issue_date=issue_date, seller=seller_party(config.company),
        lines=lines, tax_totals=credited, total_excl_tax=totals.total_excl_tax, total_tax=totals.total_tax,
        total_incl_tax=totals.total_incl_tax, amount_due=totals.total_incl_tax, payment_terms="", due_date=None,
        mentions=build_mentions(context, resolver), warnings=tuple(resolver.warnings),
        corrects=Reference(original.number, original.issue_date, credited), credit_basis=basis, deposits=(),
        notes=reason.strip(), extra={"reason": reason.strip()},
        business_process=business_process(original.operation, after_deposits=False),
    )


def remaining_totals(original: Document, already_credited: Sequence[Reference] = ()) -> tuple[TaxTotal, ...]:
    """The original's breakdown less its deposits and earlier credits, rate by rate."""
    base = {group_key(t.vat_category, t.rate): t.base for t in original.tax_totals}
    vat = {group_key(t.vat_category, t.rate): t.amount for t in original.tax_totals}
    for reference in (*original.deposits, *already_credited):
        for total in reference.tax_totals:
            key = group_key(total.vat_category, total.rate)
            if key not in base:
                raise RequestError(f"{reference.number} has VAT at {total.rate} %, which {original.number} has not")
            base[key] -= total.base
            vat[key] -= total.amount
    result = tuple(
        replace(total, base=base[key], amount=vat[key])
        for total in original.tax_totals
        for key in [group_key(total.vat_category, total.rate)]
    )
    if any(total.base < 0 or total.amount < 0 for total in result):
        raise RequestError(f"the earlier credit notes exceed {original.number}")
    return tuple(total for total in result if total.base or total.amount)


def _credited(remaining: tuple[TaxTotal, ...], amount: Decimal | None, basis: str) -> tuple[TaxTotal, ...]:
    if not remaining:
        raise RequestError("nothing remains to credit on this invoice")
    limit = sum((t.base + (t.amount if basis == "TTC" else ZERO) for t in remaining), ZERO)
    if amount is None or to_cents(amount) == limit:
        return remaining
    amount = to_cents(amount)
    if amount <= 0:
        raise RequestError(f"amount: must be positive, got {amount}")
    if amount > limit:
        raise RequestError(f"amount: {amount} {basis} is more than the {limit} {basis} that remains creditable")
    if basis == "HT":
        shares = split_exactly(amount, [t.base for t in remaining])
        return tuple(_from_base(total, share) for total, share in zip(remaining, shares))
    shares = split_exactly(amount, [t.base + t.amount for t in remaining])
    return tuple(_from_incl_tax(total, share) for total, share in zip(remaining, shares))


def _from_base(total: TaxTotal, base: Decimal) -> TaxTotal:
    # The VAT of a partial base never exceeds what remains at that rate.
    amount = min(vat_of(base, total.rate), total.amount) if total.vat_category == "S" else ZERO
    return replace(total, base=base, amount=amount)


def _from_incl_tax(total: TaxTotal, incl_tax: Decimal) -> TaxTotal:
    if total.vat_category != "S":
        return replace(total, base=incl_tax, amount=ZERO)
    base = base_within(incl_tax, total.rate)
    # The VAT is the difference, so that the credit adds up to the TTC amount asked, to the cent.
    return replace(total, base=base, amount=incl_tax - base)


def _lines(credited: tuple[TaxTotal, ...], original: Document) -> tuple[Line, ...]:
    """One line per rate: « Avoir sur la facture n° … (TVA 20 %) »."""
    several = len(credited) > 1
    return tuple(
        Line(
            description=f"Avoir sur la facture n° {original.number}" + (f" (TVA {_rate(t.rate)} %)" if several else ""),
            quantity=Decimal(1), unit="", unit_price=t.base, vat_rate=t.rate, total=t.base, vat_category=t.vat_category,
        )
        for t in credited if t.base
    )


def _rate(rate: Decimal) -> str:
    return format(rate.normalize(), "f").replace(".", ",")
