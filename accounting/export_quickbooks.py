"""Writes QuickBooks Online's journal entries import file (CSV): one row per line of every entry, all journals.

Purchases, sales and bank payments go in as journal entries, each grouped by its Journal No. (our
entry number, e.g. VT000042). The columns are the ones Intuit's help names for the import (Journal
No., Journal Date, Account Name, Debits, Credits, Description, Name) plus the entry's Memo; their
content is in docs/exports.md. Dates are DD/MM/YYYY, the date format of a French QuickBooks company.
"""

import csv
import io

from accounting.entries import BookedEntry
from accounting.formats import entry_number

COLUMNS = ("Journal No.", "Journal Date", "Memo", "Account Name", "Debits", "Credits", "Description", "Name")


def qbo_date(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def qbo_amount(amount) -> str:
    """A point decimal; the empty side of a line stays blank, as QuickBooks' own template leaves it."""
    return f"{amount:.2f}" if amount else ""


def journal_rows(booked: BookedEntry) -> list[list[str]]:
    """One row per line; the Memo holds the document number, since Journal No. holds the entry's own."""
    entry = booked.entry
    return [[entry_number(booked), qbo_date(entry.entry_date), entry.piece_ref, line.account,
             qbo_amount(line.debit), qbo_amount(line.credit), line.label,
             # QuickBooks wants a customer or supplier on accounts receivable and payable lines.
             line.aux_label if line.aux_account else ""]
            for line in entry.lines]


def write_quickbooks(entries: list[BookedEntry], settings=None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for booked in entries:
        writer.writerows(journal_rows(booked))
    return buffer.getvalue().encode("utf-8")
