"""Journal entries: lines with a debit or a credit, balanced to the cent."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def cents(amount: Decimal | int | str) -> Decimal:
    """An amount rounded to the cent, half up as on French invoices."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class EntryLine:
    account: str            # general account, e.g. "6064", "44566", "401"
    label: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    aux_account: str = ""   # auxiliary (tiers) account, e.g. "ACME" under 401 / 411
    aux_label: str = ""     # the tiers' name
    lettering: str = ""     # lettering code (EcritureLet) shared with the lines this one settles
    lettered_on: date | None = None

    def swapped(self) -> "EntryLine":
        """The same line on the other side: what a credit note books."""
        return EntryLine(self.account, self.label, self.credit, self.debit, self.aux_account, self.aux_label)


@dataclass(frozen=True)
class Entry:
    journal: str            # "HA" purchases, "VT" sales, "BQ" bank (codes from config)
    entry_date: date        # EcritureDate (accounting date)
    piece_ref: str          # the document number (supplier's bill number, our invoice number)
    piece_date: date
    label: str              # e.g. "ACME SAS F-2026-114"
    lines: tuple[EntryLine, ...]
    due_date: date | None = None
    source_kind: str = ""   # "bill", "credit_note" (supplier's), "issued" (our documents), "payment", "correction"
    source_id: int | None = None

    def total_debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)

    def total_credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), ZERO)

    def is_balanced(self) -> bool:
        """Debit equals credit to the cent, every amount is in cents and not negative, and there is one."""
        amounts = [amount for line in self.lines for amount in (line.debit, line.credit)]
        in_cents = all(amount == cents(amount) and amount >= 0 for amount in amounts)
        return bool(self.lines) and in_cents and self.total_debit() == self.total_credit() > 0


@dataclass(frozen=True)
class BookedEntry:
    """An entry as stored: its number (the row id, see docs/exports.md) and the day it was recorded."""

    number: int
    entry: Entry
    booked_on: date


def number_entries(entries, booked_on: date) -> list[BookedEntry]:
    """Number entries that were never stored (1, 2, 3…), to write them in a file all the same."""
    return [BookedEntry(position, entry, booked_on) for position, entry in enumerate(entries, start=1)]


def unbalanced(entries) -> list[str]:
    """Reasons why a set of entries does not balance, per entry and overall; empty when it does."""
    problems = [f"{entry.journal} {entry.piece_ref}: débit {entry.total_debit()} ≠ crédit {entry.total_credit()}"
                for entry in entries if not entry.is_balanced()]
    debit = sum((entry.total_debit() for entry in entries), ZERO)
    credit = sum((entry.total_credit() for entry in entries), ZERO)
    if debit != credit:
        problems.append(f"total: débit {debit} ≠ crédit {credit}")
    return problems
