"""Reads a FEC-format file by its specification (the 18 named columns of art. A47 A-1 LPF) into entries."""

from accounting.entries import Entry, EntryLine
from accounting.formats import ReadError, parse_amount, parse_date
from accounting.settings import normalised_encoding

REQUIRED_COLUMNS = (
    "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
    "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
    "ValidDate", "Montantdevise", "Idevise",
)


def read_fec(data: bytes, encoding: str = "ISO-8859-15") -> list[Entry]:
    """Entries in file order; lines belong together when they share JournalCode and EcritureNum."""
    text = data.decode(normalised_encoding(encoding)).lstrip("\ufeff")
    lines = text.splitlines()
    if not lines:
        raise ReadError("empty file: the header line is missing")
    # The specification allows a tab or a vertical bar between fields; the header shows which.
    separator = "\t" if "\t" in lines[0] else "|"
    header = lines[0].split(separator)
    if tuple(header[:18]) != REQUIRED_COLUMNS:
        raise ReadError(f"line 1: the first 18 columns must be {', '.join(REQUIRED_COLUMNS)}")
    groups: dict[tuple[str, str], list[dict[str, str]]] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split(separator)
        if len(fields) != len(header):
            raise ReadError(f"line {number}: {len(fields)} fields, the header has {len(header)}")
        record = dict(zip(header, fields))
        record["_where"] = f"line {number}"
        groups.setdefault((record["JournalCode"], record["EcritureNum"]), []).append(record)
    return [_entry(records) for records in groups.values()]


def _entry(records: list[dict[str, str]]) -> Entry:
    first = records[0]
    where = first["_where"]
    lines = tuple(
        EntryLine(
            account=record["CompteNum"], label=record["EcritureLib"],
            debit=parse_amount(record["Debit"], f"{record['_where']} Debit"),
            credit=parse_amount(record["Credit"], f"{record['_where']} Credit"),
            aux_account=record["CompAuxNum"], aux_label=record["CompAuxLib"], lettering=record["EcritureLet"],
            lettered_on=parse_date(record["DateLet"], "%Y%m%d", f"{record['_where']} DateLet"),
        )
        for record in records
    )
    return Entry(
        journal=first["JournalCode"], entry_date=parse_date(first["EcritureDate"], "%Y%m%d", f"{where} EcritureDate"),
        piece_ref=first["PieceRef"], piece_date=parse_date(first["PieceDate"], "%Y%m%d", f"{where} PieceDate"),
        label=first["EcritureLib"], lines=lines,
    )
