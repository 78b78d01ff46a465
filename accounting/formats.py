"""Shared conventions of the import files: journal names, dates and amounts as each format writes them."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from accounting.entries import ZERO, BookedEntry


class ExportError(ValueError):
    """The entries cannot be written in this format (the message says why, for the user)."""


class ReadError(ValueError):
    """A file does not follow its format's specification (the message names the line and column)."""


def journal_names(settings) -> dict[str, str]:
    """The journals' French names, printed where a format has room for them (FEC JournalLib)."""
    return {settings.purchase_journal: "Achats", settings.sales_journal: "Ventes", settings.bank_journal: "Banque"}


def entry_number(booked: BookedEntry) -> str:
    """The entry's number in every file: journal code and row number, e.g. HA000042 (FEC EcritureNum)."""
    return f"{booked.entry.journal}{booked.number:06d}"


def journal_of_number(number: str, settings) -> str:
    """The journal code an entry number starts with, read back; the configured codes are tried longest first.

    A code may hold digits ("HA2"), so the code is not simply the letters before the digits.
    """
    for code in sorted(journal_names(settings), key=len, reverse=True):
        if number.startswith(code) and number[len(code):].isdigit():
            return code
    raise ReadError(f"{number!r} is not an entry number of the journals {', '.join(journal_names(settings))}")


def amount_with_comma(amount: Decimal) -> str:
    """1234.5 → "1234,50": decimal comma, no thousands separator (the FEC's rule)."""
    return f"{amount:.2f}".replace(".", ",")


def parse_amount(text: str, where: str) -> Decimal:
    """An amount with a decimal point or comma; blank is zero."""
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        return ZERO
    try:
        return Decimal(cleaned).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ReadError(f"{where}: {text!r} is not an amount") from None


def parse_date(text: str, pattern: str, where: str) -> date | None:
    """A date in the given strptime pattern; blank is None."""
    if not text.strip():
        return None
    try:
        return datetime.strptime(text.strip(), pattern).date()
    except ValueError:
        raise ReadError(f"{where}: {text!r} is not a date ({pattern})") from None


def side_and_amount(line) -> tuple[str, Decimal]:
    """("D", amount) or ("C", amount): the single-amount formats (Sage, Ciel) write a side letter."""
    return ("D", line.debit) if line.debit else ("C", line.credit)
