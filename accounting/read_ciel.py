"""Reads Ciel's XIMPORT.TXT by the format's column positions into entries (see docs/exports.md).

Ciel has no tiers column: a tiers line holds the tiers' own code in the account column. The reader
gives it back its collective account by journal, as docs/exports.md says: supplier_account (401)
in the purchase journal, client_account (411) in the sales and bank journals.
"""

from accounting.entries import ZERO, Entry, EntryLine
from accounting.formats import ReadError, parse_amount, parse_date

# (name, first position counted from 1, width): the specification's table.
COLUMNS = (
    ("movement", 1, 5), ("journal", 6, 2), ("date", 8, 8), ("due_date", 16, 8), ("piece", 24, 12),
    ("account", 36, 11), ("label", 47, 25), ("amount", 72, 13), ("side", 85, 1), ("pointing", 86, 12),
    ("analytic", 98, 6), ("account_label", 104, 34), ("euro", 138, 1), ("version", 139, 4),
)
MIN_WIDTH = 138


def read_ciel(data: bytes, settings, encoding: str = "ascii") -> list[Entry]:
    """Entries in file order; consecutive lines with the same movement number form one entry."""
    groups: list[list[dict[str, str]]] = []
    for number, text in enumerate(data.decode(encoding).splitlines(), start=1):
        if not text.strip():
            continue
        if len(text) < MIN_WIDTH:
            raise ReadError(f"line {number}: {len(text)} characters, the format has at least {MIN_WIDTH}")
        record = {name: text[start - 1:start - 1 + width] for name, start, width in COLUMNS}
        record["_where"] = f"line {number}"
        if record["side"] not in ("D", "C"):
            raise ReadError(f"line {number}, position 85: the side must be D or C, got {record['side']!r}")
        if groups and groups[-1][0]["movement"] == record["movement"]:
            groups[-1].append(record)
        else:
            groups.append([record])
    return [_entry(records, settings) for records in groups]


def collective_account(journal: str, settings) -> str:
    """The collective account of a tiers line: suppliers in the purchase journal, clients elsewhere."""
    return settings.supplier_account if journal == settings.purchase_journal else settings.client_account


def _line(record: dict[str, str], journal: str, settings) -> EntryLine:
    amount = parse_amount(record["amount"], f"{record['_where']}, positions 72-84")
    debit, credit = (amount, ZERO) if record["side"] == "D" else (ZERO, amount)
    account = record["account"].strip()
    label = record["label"].rstrip()
    if account[:1].isdigit():
        return EntryLine(account, label, debit, credit)
    # An account that does not start with a digit is a tiers account; its name is the tiers' name.
    return EntryLine(collective_account(journal, settings), label, debit, credit, aux_account=account,
                     aux_label=record["account_label"].rstrip())


def _entry(records: list[dict[str, str]], settings) -> Entry:
    first = records[0]
    journal = first["journal"].strip()
    day = parse_date(first["date"], "%Y%m%d", f"{first['_where']}, positions 8-15")
    due = parse_date(first["due_date"], "%Y%m%d", f"{first['_where']}, positions 16-23")
    return Entry(journal=journal, entry_date=day, piece_ref=first["piece"].strip(), piece_date=day,
                 label=first["label"].rstrip(), lines=tuple(_line(record, journal, settings) for record in records),
                 due_date=due)
