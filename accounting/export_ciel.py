"""Writes Ciel Compta's XIMPORT.TXT: fixed width, one line per entry line, plain ASCII.

Column widths in docs/exports.md. Ciel has no separate tiers column: a tiers line (401 supplier,
411 client) carries the tiers' own account code (the auxiliary account) and its name in the
account-name column; the reader gives it back its collective account by journal.
"""

from accounting.accounts import account_name
from accounting.entries import BookedEntry
from accounting.formats import ExportError, side_and_amount
from accounting.text import ascii_text, left, right

NEWLINE = "\r\n"
# "O": amounts are in euros; "2003": the version of the format (Ciel 2003 and later, Sage 50).
EURO_AND_VERSION = "O2003"
MAX_MOVEMENT = 99999


def ciel_date(day) -> str:
    return day.strftime("%Y%m%d") if day else ""


def ciel_line(movement: int, booked: BookedEntry, line) -> str:
    entry = booked.entry
    side, amount = side_and_amount(line)
    account = line.aux_account or line.account
    account_label = line.aux_label if line.aux_account else account_name(line.account)
    fields = (
        right(str(movement), 5),
        left(entry.journal, 2),
        ciel_date(entry.entry_date),
        left(ciel_date(entry.due_date), 8),
        left(ascii_text(entry.piece_ref), 12),
        left(ascii_text(account), 11),
        left(ascii_text(line.label), 25),
        right(f"{amount:.2f}", 13).replace(" ", "0"),
        side,
        " " * 12,                                        # numéro de pointage: none
        " " * 6,                                         # code analytique: none
        left(ascii_text(account_label), 34),
        EURO_AND_VERSION,
    )
    return "".join(fields)


def write_ciel(entries: list[BookedEntry], settings=None) -> bytes:
    """Movements are numbered 1, 2, 3… in the file: Ciel gives its own numbers on import."""
    if len(entries) > MAX_MOVEMENT:
        raise ExportError(f"Ciel : au plus {MAX_MOVEMENT} écritures par fichier / at most {MAX_MOVEMENT} entries per file")
    for booked in entries:
        if len(booked.entry.journal) > 2:
            raise ExportError(f"Ciel : le code journal {booked.entry.journal!r} dépasse 2 caractères "
                              f"/ journal codes have at most 2 characters in Ciel")
    lines = [ciel_line(movement, booked, line) for movement, booked in enumerate(entries, start=1)
             for line in booked.entry.lines]
    return "".join(line + NEWLINE for line in lines).encode("ascii")
