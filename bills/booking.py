"""A validated bill becomes a purchase-journal entry; reverse charge is recognised here."""

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from accounting.journal import record_entry
from accounting.purchases import PurchaseBill, purchase_entry
from bills.models import ReceivedBill
from bills.values import amount

# Member states of the EU other than France, by the prefix of their VAT numbers (Greece: EL).
EU_VAT_PREFIXES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})
REVERSE_CHARGE_WORDS = ("autoliquidation", "auto-liquidation", "reverse charge", "reverse-charge",
                        "article 196", "art. 196", "article 283-2", "art. 283-2")


def is_reverse_charge(vat_number: str, total_tax: Decimal | None, notes: list[str]) -> bool:
    """A supplier of another EU country that charged no VAT, or a bill that says "autoliquidation"."""
    said = any(word in note.lower() for note in notes for word in REVERSE_CHARGE_WORDS)
    foreign_eu = (vat_number or "")[:2].upper() in EU_VAT_PREFIXES
    return said or (foreign_eu and (total_tax is None or total_tax == 0))


def purchase_bill_of(row: ReceivedBill) -> PurchaseBill:
    """The accounting view of the bill; raises ValueError when a value booking needs is missing."""
    missing = [name for name, value in (("issue_date", row.issue_date), ("total_incl_tax", row.total_incl_tax),
                                        ("account", row.account)) if not value]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    incl = amount(row.total_incl_tax)
    tax = amount(row.total_tax) if row.total_tax else (Decimal(0) if row.reverse_charge else None)
    excl = amount(row.total_excl_tax) if row.total_excl_tax else (incl - tax if tax is not None else None)
    if excl is None or tax is None:
        raise ValueError("missing total_excl_tax or total_tax")
    lines = tuple((Decimal(line["rate"]), amount(line.get("base")) or Decimal(0),
                   amount(line.get("amount")) or Decimal(0)) for line in row.tax_lines)
    return PurchaseBill(
        supplier_name=row.supplier_name or "Fournisseur", supplier_siren=row.supplier_siren or None,
        number=row.number or f"B{row.id}", issue_date=date.fromisoformat(row.issue_date),
        due_date=date.fromisoformat(row.due_date) if row.due_date else None, charge_account=row.account,
        tax_lines=lines, total_excl_tax=excl, total_tax=tax, total_incl_tax=incl,
        is_credit_note=row.kind == "credit_note", reverse_charge=row.reverse_charge, source_id=row.id,
    )


def booking_problem(row: ReceivedBill, settings) -> str | None:
    """Why the bill cannot be booked as it stands (in English), or None: checked before an OK is taken."""
    if row.currency and row.currency.upper() != "EUR":
        return f"amounts in {row.currency}, not in euros"
    try:
        purchase_entry(purchase_bill_of(row), settings)
    except (ValueError, ArithmeticError) as error:
        return str(error)
    return None


def book(session: Session, row: ReceivedBill, settings) -> int:
    """Record the purchase entry in the caller's transaction and link it to the bill."""
    row.journal_entry_id = record_entry(session, purchase_entry(purchase_bill_of(row), settings))
    return row.journal_entry_id
