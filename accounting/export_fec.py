"""Writes an import file in the FEC format (art. A47 A-1 LPF): 18 columns, tab separated, one line per entry line.

It is an import file for the accountant's software, not the company's legal FEC: that one
(SIRENFECAAAAMMJJ.txt) covers a whole closed financial year and is produced by the accounting software.
"""

from accounting.accounts import account_name
from accounting.entries import BookedEntry
from accounting.formats import amount_with_comma, entry_number, journal_names
from accounting.settings import normalised_encoding
from accounting.text import encodable

FEC_COLUMNS = (
    "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
    "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
    "ValidDate", "Montantdevise", "Idevise",
)
SEPARATOR = "\t"
NEWLINE = "\r\n"


def fec_date(day) -> str:
    return day.strftime("%Y%m%d") if day else ""


def fec_rows(booked: BookedEntry, settings) -> list[list[str]]:
    entry = booked.entry
    journal_label = journal_names(settings).get(entry.journal, entry.journal)
    return [[
        entry.journal, journal_label, entry_number(booked), fec_date(entry.entry_date),
        line.account, account_name(line.account), line.aux_account, line.aux_label if line.aux_account else "",
        entry.piece_ref, fec_date(entry.piece_date), line.label,
        amount_with_comma(line.debit), amount_with_comma(line.credit),
        # A client's invoice and payment lines share a lettering code once settled; amounts are in euros.
        line.lettering, fec_date(line.lettered_on), fec_date(booked.booked_on), "", "",
    ] for line in entry.lines]


def write_fec(entries: list[BookedEntry], settings) -> bytes:
    """The file's bytes: the header line, then every line of every entry, in the configured encoding."""
    encoding = normalised_encoding(settings.fec_encoding)
    rows = [list(FEC_COLUMNS)] + [row for booked in entries for row in fec_rows(booked, settings)]
    text = "".join(SEPARATOR.join(encodable(field, encoding) for field in row) + NEWLINE for row in rows)
    return text.encode(encoding)
