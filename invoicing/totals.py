"""VAT breakdown and totals of a set of lines: one TaxTotal per (category, rate), VAT per base."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from invoicing.amounts import ZERO, vat_of
from invoicing.document import Line, TaxTotal
from invoicing.mentions import Resolver, exemption_reason
from invoicing.vat import exemption_key

GroupKey = tuple[str, Decimal]


@dataclass(frozen=True)
class Totals:
    tax_totals: tuple[TaxTotal, ...]
    total_excl_tax: Decimal
    total_tax: Decimal
    total_incl_tax: Decimal


def group_key(category: str, rate: Decimal) -> GroupKey:
    # Rates are compared by value: "20" and "20.00" are one group.
    return category, Decimal(rate).normalize()


def summarize(lines: Sequence[Line], natures: Sequence[str], vat_case: str, resolver: Resolver,
              vat_overrides: Mapping[GroupKey, Decimal] | None = None,
              reasons: Mapping[GroupKey, str] | None = None) -> Totals:
    """Bases are sums of line totals; each group's VAT is its base × rate, rounded once.

    `vat_overrides` gives a group's VAT directly, for amounts split from a TTC figure whose
    VAT is the difference (deposits and credit notes asked in TTC); `reasons` gives a group's
    exemption wording directly, for lines that stand for other lines (deposits).
    """
    bases: dict[GroupKey, Decimal] = {}
    keys: dict[GroupKey, list[str]] = {}
    for line, nature in zip(lines, natures, strict=True):
        key = group_key(line.vat_category, line.vat_rate)
        bases[key] = bases.get(key, ZERO) + line.total
        keys.setdefault(key, []).append(exemption_key(vat_case, line.vat_category, nature))
    tax_totals = tuple(
        _tax_total(key, bases[key], keys[key], resolver, (vat_overrides or {}).get(key), (reasons or {}).get(key))
        for key in sorted(bases, key=lambda key: (-key[1], key[0]))
    )
    return totals_of(tax_totals)


def totals_of(tax_totals: tuple[TaxTotal, ...]) -> Totals:
    excl = sum((total.base for total in tax_totals), ZERO)
    tax = sum((total.amount for total in tax_totals), ZERO)
    return Totals(tax_totals, excl, tax, excl + tax)


def _tax_total(key: GroupKey, base: Decimal, keys: list[str], resolver: Resolver,
               override: Decimal | None, reason: str | None) -> TaxTotal:
    category, rate = key
    if reason is None:
        reason = exemption_reason(resolver, keys) if category != "S" else ""
    amount = override if override is not None else vat_of(base, rate)
    if category != "S":
        amount = ZERO
    return TaxTotal(
        rate=printable_rate(rate), base=base, amount=amount, vat_category=category,
        exemption_reason=reason,
    )


def printable_rate(rate: Decimal) -> Decimal:
    """« 20 », « 5.5 », « 0 »: no exponent notation, no trailing zeros."""
    normalized = rate.normalize()
    return normalized.quantize(Decimal(1)) if normalized == normalized.to_integral() else normalized
