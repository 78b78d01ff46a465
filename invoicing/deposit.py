"""Deposits: the lines of a deposit invoice (AC), and their deduction on the final invoice."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from invoicing.amounts import ZERO, base_within, split_exactly, to_cents
from invoicing.document import Line, Reference, TaxTotal
from invoicing.request import DepositRequest, RequestError
from invoicing.totals import GroupKey, Totals, group_key


def deposit_shares(order: Totals, deposit: DepositRequest) -> tuple[dict[GroupKey, Decimal], dict[GroupKey, Decimal]]:
    """Per (category, rate): the deposit's base, and its VAT when it comes from a TTC amount.

    A percentage applies to each rate's base; an amount is split across the order's rates pro
    rata of their bases (HT) or of their amounts including VAT (TTC), to the exact cent.
    """
    groups = [group_key(total.vat_category, total.rate) for total in order.tax_totals]
    if deposit.percent is not None:
        bases = [to_cents(total.base * deposit.percent / 100) for total in order.tax_totals]
        return dict(zip(groups, bases)), {}
    limit = order.total_excl_tax if deposit.basis == "HT" else order.total_incl_tax
    if deposit.amount >= limit:
        raise RequestError(f"deposit.amount: {deposit.amount} is not below the order's total {deposit.basis} {limit}")
    if deposit.basis == "HT":
        return dict(zip(groups, split_exactly(deposit.amount, [t.base for t in order.tax_totals]))), {}
    incl = split_exactly(deposit.amount, [t.base + t.amount for t in order.tax_totals])
    bases = [base_within(share, total.rate) if total.vat_category == "S" else share
             for share, total in zip(incl, order.tax_totals)]
    vats = {group: share - base for group, share, base in zip(groups, incl, bases)}
    return dict(zip(groups, bases)), vats


def deposit_lines(order: Totals, bases: dict[GroupKey, Decimal], deposit: DepositRequest,
                  purchase_order: str) -> tuple[Line, ...]:
    """One line per rate: « Acompte de 30 % sur la commande n° … ». A zero share gets no line."""
    what = f"Acompte de {_percent(deposit.percent)} %" if deposit.percent is not None else "Acompte"
    order_ref = f" sur la commande n° {purchase_order}" if purchase_order else " sur commande"
    lines = []
    for total in order.tax_totals:
        base = bases[group_key(total.vat_category, total.rate)]
        if base == ZERO:
            continue
        suffix = f" (TVA {_percent(total.rate)} %)" if len(order.tax_totals) > 1 else ""
        lines.append(Line(
            description=f"{what}{order_ref}{suffix}", quantity=Decimal(1), unit="", unit_price=base,
            vat_rate=total.rate, total=base, vat_category=total.vat_category,
        ))
    return tuple(lines)


def check_deductions(tax_totals: Sequence[TaxTotal], deposits: Sequence[Reference], issue_date: date,
                     requested: Sequence[str]) -> Decimal:
    """Check that each deposit fits this invoice and return the total deducted, VAT included."""
    numbers = [reference.number for reference in deposits]
    if requested and sorted(numbers) != sorted(requested):
        listed, resolved = ", ".join(requested), ", ".join(numbers) or "none"
        raise RequestError(f"deposits: the request lists {listed} but {resolved} were resolved")
    remaining = {group_key(total.vat_category, total.rate): total.base for total in tax_totals}
    deducted = ZERO
    for reference in deposits:
        if reference.issue_date > issue_date:
            raise RequestError(f"deposits: {reference.number} is dated after this invoice")
        for total in reference.tax_totals:
            key = group_key(total.vat_category, total.rate)
            if key not in remaining:
                raise RequestError(
                    f"deposits: {reference.number} has VAT {total.vat_category} {total.rate} %, which this invoice has not"
                )
            remaining[key] -= total.base
            if remaining[key] < 0:
                raise RequestError(f"deposits: the deposits at {total.rate} % exceed this invoice's base at that rate")
            deducted += total.base + total.amount
    return deducted


def _percent(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")
