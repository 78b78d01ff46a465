"""Reads a QuickBooks Online journal entries CSV by its column names back into entries of every journal.

Rows with the same Journal No. form one entry; the journal code is the number's prefix (HA000042 is
an entry of HA). The file has no tiers code, no due date and no lettering: see docs/exports.md.
"""

import csv
import io

from accounting.entries import Entry, EntryLine
from accounting.formats import ReadError, journal_of_number, parse_amount, parse_date

REQUIRED = ("Journal No.", "Journal Date", "Memo", "Account Name", "Debits", "Credits", "Description", "Name")


def read_quickbooks(data: bytes, settings) -> list[Entry]:
    """Entries in the order their first row comes in the file."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    missing = [name for name in REQUIRED if name not in (reader.fieldnames or ())]
    if missing:
        raise ReadError(f"line 1: missing columns {', '.join(missing)}")
    groups: dict[str, list[dict]] = {}
    for number, row in enumerate(reader, start=2):
        row["_where"] = f"line {number}"
        groups.setdefault(row["Journal No."], []).append(row)
    return [_entry(number, rows, settings) for number, rows in groups.items()]


def _line(row: dict) -> EntryLine:
    return EntryLine(row["Account Name"], row["Description"],
                     debit=parse_amount(row["Debits"], f"{row['_where']} Debits"),
                     credit=parse_amount(row["Credits"], f"{row['_where']} Credits"),
                     aux_label=row["Name"])


def _entry(number: str, rows: list[dict], settings) -> Entry:
    first = rows[0]
    try:
        journal = journal_of_number(number, settings)
    except ReadError as error:
        raise ReadError(f"{first['_where']} Journal No.: {error}") from None
    day = parse_date(first["Journal Date"], "%d/%m/%Y", f"{first['_where']} Journal Date")
    # The Memo holds the document number, so the entry has no label of its own here: its first line's stands for it.
    return Entry(journal=journal, entry_date=day, piece_ref=first["Memo"], piece_date=day,
                 label=first["Description"], lines=tuple(_line(row) for row in rows))
