"""Reads a QuickBooks Online bills CSV (format `quickbooks-bills`) by its column names back into purchase entries.

The file has no supplier line: it is rebuilt as QuickBooks books it, the bill's total (lines plus
VAT) to accounts payable. Tax codes map to accounts as docs/exports.md says: "TVA x %" is deductible
VAT, "Autoliquidation x %" is VAT both deductible and due (reverse charge).
"""

import csv
import io

from accounting.entries import ZERO, Entry, EntryLine
from accounting.formats import ReadError, parse_amount, parse_date

REQUIRED = ("Bill No.", "Vendor", "Bill Date", "Due Date", "Memo", "Account", "Line Description", "Line Amount",
            "Line Tax Code", "Line Tax Amount")


def read_quickbooks_bills(data: bytes, settings) -> list[Entry]:
    """One entry per bill (consecutive rows with the same Bill No. and Vendor), in file order."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    missing = [name for name in REQUIRED if name not in (reader.fieldnames or ())]
    if missing:
        raise ReadError(f"line 1: missing columns {', '.join(missing)}")
    bills: list[list[dict]] = []
    for number, row in enumerate(reader, start=2):
        row["_where"] = f"line {number}"
        if bills and (bills[-1][0]["Bill No."], bills[-1][0]["Vendor"]) == (row["Bill No."], row["Vendor"]):
            bills[-1].append(row)
        else:
            bills.append([row])
    return [_entry(rows, settings) for rows in bills]


def _signed_line(account: str, label: str, amount, aux_label: str = "") -> EntryLine:
    """A positive amount is a debit, a negative one a credit (a supplier credit note)."""
    return EntryLine(account, label, debit=max(amount, ZERO), credit=max(-amount, ZERO), aux_label=aux_label)


def _row_lines(row: dict, label: str, settings) -> tuple[list[EntryLine], object]:
    """The lines one row books, and what it adds to the amount owed to the supplier."""
    amount = parse_amount(row["Line Amount"], f"{row['_where']} Line Amount")
    tax = parse_amount(row["Line Tax Amount"], f"{row['_where']} Line Tax Amount")
    lines = [_signed_line(row["Account"], label, amount)]
    code = row["Line Tax Code"].strip()
    if code.startswith("Autoliquidation"):
        lines += [_signed_line(settings.reverse_charge_deductible_account, label, tax),
                  _signed_line(settings.reverse_charge_due_account, label, -tax)]
        return lines, amount
    if tax:
        lines.append(_signed_line(settings.deductible_vat_account, label, tax))
    return lines, amount + tax


def _entry(rows: list[dict], settings) -> Entry:
    first = rows[0]
    label = first["Memo"]
    lines, owed = [], ZERO
    for row in rows:
        row_lines, row_owed = _row_lines(row, label, settings)
        lines += row_lines
        owed += row_owed
    lines.append(_signed_line(settings.supplier_account, label, -owed, aux_label=first["Vendor"]))
    day = parse_date(first["Bill Date"], "%d/%m/%Y", f"{first['_where']} Bill Date")
    return Entry(journal=settings.purchase_journal, entry_date=day, piece_ref=first["Bill No."], piece_date=day,
                 label=label, lines=tuple(lines),
                 due_date=parse_date(first["Due Date"], "%d/%m/%Y", f"{first['_where']} Due Date"))
