"""Writes the Sage 100 Comptabilité import file of entries, format Sage (PNM): fixed width, 138 characters.

Column widths in docs/exports.md; each line is one line of an entry, the seven-digit piece number
(positions 106-112) ties the lines of one entry together.
"""

from accounting.entries import BookedEntry
from accounting.formats import side_and_amount
from accounting.text import encodable, left, right

ENCODING = "ISO-8859-15"
NEWLINE = "\r\n"
RESERVED = 26


def latin9(text: str) -> str:
    return encodable(text, ENCODING)


def sage_date(day) -> str:
    return day.strftime("%d%m%y") if day else ""


def sage_line(booked: BookedEntry, line) -> str:
    entry = booked.entry
    side, amount = side_and_amount(line)
    fields = (
        left(latin9(entry.journal), 3),
        sage_date(entry.entry_date),
        left("", 2),                                   # type de pièce: left to Sage
        left(latin9(line.account), 13),
        " ",                                           # type: a general line (A would be analytic)
        left(latin9(line.aux_account), 13),
        left(latin9(entry.piece_ref), 13),
        left(latin9(line.label), 25),
        " ",                                           # mode de paiement: none
        left(sage_date(entry.due_date), 6),
        side,
        right(f"{amount:.2f}", 20),
        "N",                                           # type d'écriture: normale
        right(f"{booked.number:07d}", 7),
        " " * RESERVED,
    )
    return "".join(fields)


def write_sage(entries: list[BookedEntry], settings=None) -> bytes:
    text = "".join(sage_line(booked, line) + NEWLINE for booked in entries for line in booked.entry.lines)
    return text.encode(ENCODING)
