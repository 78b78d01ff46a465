"""Reads a Sage 100 PNM file by the format's column positions into entries (see docs/exports.md)."""

from accounting.entries import ZERO, Entry, EntryLine
from accounting.formats import ReadError, parse_amount, parse_date

# (name, first position counted from 1, width): the specification's table.
COLUMNS = (
    ("journal", 1, 3), ("date", 4, 6), ("piece_type", 10, 2), ("account", 12, 13), ("account_type", 25, 1),
    ("tiers", 26, 13), ("reference", 39, 13), ("label", 52, 25), ("payment_mode", 77, 1), ("due_date", 78, 6),
    ("side", 84, 1), ("amount", 85, 20), ("entry_type", 105, 1), ("piece_number", 106, 7), ("reserved", 113, 26),
)
LINE_WIDTH = 138


def read_sage(data: bytes, encoding: str = "ISO-8859-15") -> list[Entry]:
    """Entries in file order; consecutive lines with the same piece number form one entry."""
    groups: list[list[dict[str, str]]] = []
    for number, text in enumerate(data.decode(encoding).splitlines(), start=1):
        if not text.strip():
            continue
        if len(text) != LINE_WIDTH:
            raise ReadError(f"line {number}: {len(text)} characters, the format has {LINE_WIDTH}")
        record = {name: text[start - 1:start - 1 + width] for name, start, width in COLUMNS}
        record["_where"] = f"line {number}"
        if record["side"] not in ("D", "C"):
            raise ReadError(f"line {number}, position 84: the side must be D or C, got {record['side']!r}")
        # An analytic line (type A) splits a general line among sections: it adds no debit or credit.
        if record["account_type"] == "A":
            continue
        if groups and groups[-1][0]["piece_number"] == record["piece_number"]:
            groups[-1].append(record)
        else:
            groups.append([record])
    return [_entry(records) for records in groups]


def _line(record: dict[str, str]) -> EntryLine:
    amount = parse_amount(record["amount"], f"{record['_where']}, positions 85-104")
    debit, credit = (amount, ZERO) if record["side"] == "D" else (ZERO, amount)
    return EntryLine(record["account"].strip(), record["label"].rstrip(), debit, credit,
                     aux_account=record["tiers"].strip())


def _entry(records: list[dict[str, str]]) -> Entry:
    first = records[0]
    day = parse_date(first["date"], "%d%m%y", f"{first['_where']}, positions 4-9")
    due_dates = [record["due_date"] for record in records if record["due_date"].strip()]
    due = parse_date(due_dates[0], "%d%m%y", f"{first['_where']}, positions 78-83") if due_dates else None
    return Entry(journal=first["journal"].strip(), entry_date=day, piece_ref=first["reference"].strip(), piece_date=day,
                 label=first["label"].rstrip(), lines=tuple(_line(record) for record in records), due_date=due)
