"""Purchase-journal entries of validated supplier bills and credit notes (French PCG)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from accounting.categories import propose_account  # noqa: F401 - part of this module's interface
from accounting.entries import ZERO, Entry, EntryLine, cents
from accounting.tiers import tiers_code


@dataclass(frozen=True)
class PurchaseBill:
    supplier_name: str
    supplier_siren: str | None
    number: str
    issue_date: date
    due_date: date | None
    charge_account: str             # 6xx chosen for the bill
    tax_lines: tuple[tuple[Decimal, Decimal, Decimal], ...]   # (rate %, base HT, VAT amount)
    total_excl_tax: Decimal
    total_tax: Decimal
    total_incl_tax: Decimal
    is_credit_note: bool = False    # a supplier credit note: same entry with sides swapped
    reverse_charge: bool = False    # autoliquidation (EU services, e.g. cloud)
    reverse_charge_rate: Decimal = Decimal("20")
    source_id: int | None = None


def supplier_aux_account(name: str, siren: str | None) -> str:
    """A stable tiers code from the supplier's name: capital ASCII letters and digits, at most 17."""
    return tiers_code(name, siren, "F")


def rate_text(rate: Decimal) -> str:
    """A VAT rate as the French write it: 20, 5,5, 2,1."""
    return format(Decimal(rate).normalize(), "f").replace(".", ",")


def purchase_entry(bill: PurchaseBill, settings) -> Entry:
    """The entry of a bill: charge per rate, deductible VAT per rate, supplier for the total.

    Amounts are taken as positive whatever their sign on the document; a credit note swaps the sides.
    """
    label = f"{'Avoir ' if bill.is_credit_note else ''}{bill.supplier_name} {bill.number}".strip()
    charges = _reverse_charge_lines(bill, label, settings) if bill.reverse_charge else _charge_lines(bill, label, settings)
    owed = sum((line.debit for line in charges), ZERO) - sum((line.credit for line in charges), ZERO)
    supplier = EntryLine(settings.supplier_account, label, credit=owed,
                         aux_account=supplier_aux_account(bill.supplier_name, bill.supplier_siren),
                         aux_label=bill.supplier_name)
    lines = (*charges, supplier)
    if bill.is_credit_note:
        lines = tuple(line.swapped() for line in lines)
    return Entry(settings.purchase_journal, bill.issue_date, bill.number, bill.issue_date, label, lines,
                 due_date=bill.due_date, source_kind="credit_note" if bill.is_credit_note else "bill",
                 source_id=bill.source_id)


def _charge_lines(bill: PurchaseBill, label: str, settings) -> tuple[EntryLine, ...]:
    """Per VAT rate a charge line (HT) followed by its deductible VAT line; checked against the totals."""
    rates = [(Decimal(rate), cents(abs(base)), cents(abs(vat))) for rate, base, vat in bill.tax_lines]
    if not rates:
        rates = [(None, cents(abs(bill.total_excl_tax)), cents(abs(bill.total_tax)))]
    total = sum((base + vat for _, base, vat in rates), ZERO)
    if total != cents(abs(bill.total_incl_tax)):
        raise ValueError(f"bill {bill.number}: VAT lines add up to {total}, the bill says {cents(abs(bill.total_incl_tax))} TTC")
    lines = []
    for rate, base, vat in rates:
        if base:
            lines.append(EntryLine(bill.charge_account, label, debit=base))
        if vat:
            named = f"TVA {rate_text(rate)} % " if rate is not None else "TVA "
            lines.append(EntryLine(settings.deductible_vat_account, f"{named}{label}", debit=vat))
    return tuple(lines)


def _reverse_charge_lines(bill: PurchaseBill, label: str, settings) -> tuple[EntryLine, ...]:
    """Autoliquidation: the buyer books the VAT the supplier did not charge, deductible and due at once."""
    base = cents(abs(bill.total_excl_tax))
    vat = cents(base * Decimal(bill.reverse_charge_rate) / 100)
    named = f"TVA autoliquidée {rate_text(bill.reverse_charge_rate)} % {label}"
    return (
        EntryLine(bill.charge_account, label, debit=base),
        EntryLine(settings.reverse_charge_deductible_account, named, debit=vat),
        EntryLine(settings.reverse_charge_due_account, named, credit=vat),
    )
