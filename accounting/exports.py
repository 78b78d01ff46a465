"""The export formats by name, and the export of a period from the database to one file."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from accounting.entries import BookedEntry, Entry
from accounting.export_ciel import write_ciel
from accounting.export_fec import write_fec
from accounting.export_quickbooks import write_quickbooks
from accounting.export_quickbooks_bills import expense_rows, write_quickbooks_bills
from accounting.export_sage import write_sage
from accounting.journal import booked_entries_between
from accounting.read_ciel import read_ciel
from accounting.read_fec import read_fec
from accounting.read_quickbooks import read_quickbooks
from accounting.read_quickbooks_bills import read_quickbooks_bills
from accounting.read_sage import read_sage

WRITERS = {"fec": write_fec, "sage": write_sage, "ciel": write_ciel, "quickbooks": write_quickbooks,
           "quickbooks-bills": write_quickbooks_bills}
FORMATS = tuple(WRITERS)
# The formats that hold the purchase journal only: the other entries are left out and counted.
PURCHASES_ONLY = ("quickbooks-bills",)


def read_export(format_name: str, data: bytes, settings) -> list[Entry]:
    """A file of one of the formats read back into entries, by the parser written from its specification."""
    if format_name == "fec":
        return read_fec(data, settings.fec_encoding)
    if format_name == "sage":
        return read_sage(data)
    return {"ciel": read_ciel, "quickbooks": read_quickbooks, "quickbooks-bills": read_quickbooks_bills}[format_name](
        data, settings)


@dataclass(frozen=True)
class ExportSummary:
    format: str
    path: Path
    entries: int
    lines: int
    skipped: int


def write_entries(format_name: str, entries: list[BookedEntry], settings) -> tuple[bytes, int, int, int]:
    """The file's bytes, how many entries and lines (rows) it holds, and how many entries it left out."""
    kept = entries
    if format_name in PURCHASES_ONLY:
        # A bills file holds the purchase journal only, with a row per charge line.
        kept = [booked for booked in entries if booked.entry.journal == settings.purchase_journal]
        lines = sum(len(expense_rows(booked.entry, settings)) for booked in kept)
    else:
        lines = sum(len(booked.entry.lines) for booked in kept)
    return WRITERS[format_name](kept, settings), len(kept), lines, len(entries) - len(kept)


def export_period(database, config, format_name: str, start: date, end: date, output: Path) -> ExportSummary:
    """Write the entries dated from start to end into output, written whole or not at all.

    Documents and payments recorded before the sales and bank journals existed are booked first.
    """
    from accounting.backfill import book_missing

    with database.transaction() as session:
        book_missing(session, config)
        entries = booked_entries_between(session, start, end, timezone=config.timezone)
    data, entry_count, line_count, skipped = write_entries(format_name, entries, config.accounting)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    partial.write_bytes(data)
    partial.replace(output)
    return ExportSummary(format_name, output, entry_count, line_count, skipped)
