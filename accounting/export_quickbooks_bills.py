"""Writes QuickBooks Online's bills import file (CSV, format `quickbooks-bills`): one row per expense line.

QuickBooks books the supplier (accounts payable) side itself, so the file carries the charge lines
with their VAT; the columns and their meaning are in docs/exports.md. Dates are DD/MM/YYYY, the
date format of a French QuickBooks company.
"""

import csv
import io
from decimal import Decimal

from accounting.entries import ZERO, BookedEntry
from accounting.export_quickbooks import qbo_date
from accounting.purchases import rate_text

COLUMNS = ("Bill No.", "Vendor", "Bill Date", "Due Date", "Terms", "Memo", "Account", "Line Description",
           "Line Amount", "Line Tax Code", "Line Tax Amount")
# The French VAT rates; a line's rate is the one nearest to its VAT divided by its base.
FRENCH_RATES = (Decimal("20"), Decimal("10"), Decimal("8.5"), Decimal("5.5"), Decimal("2.1"), Decimal("1.05"),
                Decimal("0.9"))


def nearest_rate(base: Decimal, vat: Decimal) -> Decimal:
    return min(FRENCH_RATES, key=lambda rate: abs(base * rate / 100 - vat))


def expense_rows(entry, settings) -> list[dict]:
    """Each charge line, with the VAT lines that follow it (its rate's VAT), as one bill row."""
    rows: list[dict] = []
    vat_accounts = {settings.deductible_vat_account: "TVA", settings.reverse_charge_deductible_account: "Autoliquidation"}
    for line in entry.lines:
        if line.account in vat_accounts and rows:
            rows[-1]["vat"] += line.debit - line.credit
            rows[-1]["kind"] = vat_accounts[line.account]
        elif line.account.startswith("6"):
            rows.append({"line": line, "amount": line.debit - line.credit, "vat": ZERO, "kind": ""})
    return rows


def bill_rows(booked: BookedEntry, settings) -> list[list[str]]:
    entry = booked.entry
    vendor = next((line.aux_label for line in entry.lines if line.account == settings.supplier_account), "")
    rows = []
    for row in expense_rows(entry, settings):
        tax_code = f"{row['kind']} {rate_text(nearest_rate(row['amount'], row['vat']))} %" if row["kind"] else ""
        rows.append([entry.piece_ref, vendor, qbo_date(entry.entry_date), qbo_date(entry.due_date), "", entry.label,
                     row["line"].account, row["line"].label, f"{row['amount']:.2f}", tax_code, f"{row['vat']:.2f}"])
    return rows


def write_quickbooks_bills(entries: list[BookedEntry], settings) -> bytes:
    """Purchase entries only: sales and bank entries go to QuickBooks by other imports (docs/exports.md)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for booked in entries:
        if booked.entry.journal == settings.purchase_journal:
            writer.writerows(bill_rows(booked, settings))
    return buffer.getvalue().encode("utf-8")

