"""The one CSV statement layout we accept (documented in docs/statements.md) read into a Statement.

UTF-8 (with or without BOM, Windows-1252 as a fallback), `;` or `,` separated, a header row naming
the columns in French or English; other columns are ignored.
"""

import csv
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

from payments.statement_model import Statement, StatementError, StatementLine

# Header names, compared without case, accents or surrounding spaces.
COLUMNS = {
    "date": {"date", "date operation", "date d'operation", "booking date"},
    "label": {"libelle", "label", "description"},
    "reference": {"reference", "ref"},
    "amount": {"montant", "amount"},
    "debit": {"debit"},
    "credit": {"credit"},
    "counterparty": {"contrepartie", "counterparty", "tiers"},
}
# "1 234,56", "1.234,56", "1,234.56", "1234.56", "-12,5": digits grouped by threes or not, then at
# most two decimals after the other separator.
AMOUNT = re.compile(r"^([+-]?)(\d{1,3}(?:([ .,'])\d{3})(?:\3\d{3})*|\d+)(?:([.,])(\d{1,2}))?$")


def decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def bare(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(text.replace("’", "'").casefold().split())


def columns_of(header: list[str]) -> dict[str, int]:
    """The role of each recognised header cell: {"date": 0, "label": 1, …}."""
    roles: dict[str, int] = {}
    for index, cell in enumerate(header):
        for role, names in COLUMNS.items():
            if bare(cell) in names:
                if role in roles:
                    raise StatementError(
                        f"La colonne « {cell} » apparaît deux fois.", f"Column “{cell}” appears twice."
                    )
                roles[role] = index
    return roles


def separator_of(first_line: str) -> str:
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def read_csv(data: bytes) -> Statement:
    text = decoded(data)
    separator = separator_of(text.split("\n", 1)[0])
    rows = list(csv.reader(text.splitlines(), delimiter=separator))
    roles = columns_of(rows[0] if rows else [])
    has_amount, has_sides = "amount" in roles, "debit" in roles and "credit" in roles
    if "date" not in roles or "label" not in roles or has_amount == has_sides:
        raise StatementError(
            "En-tête CSV non reconnu : il faut les colonnes Date, Libellé, et soit Montant, soit Débit et Crédit "
            "(voir le format décrit dans l'aide).",
            "CSV header not recognised: columns Date, Label, and either Amount or Debit and Credit are required "
            "(see the documented format).",
        )
    lines = [line_of(row, roles, number) for number, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)]
    return Statement(format="csv", account="", lines=tuple(lines))


def line_of(row: list[str], roles: dict[str, int], number: int) -> StatementLine:
    if len(row) <= max(roles.values()):
        raise StatementError(f"Ligne {number} du CSV : colonnes manquantes.", f"CSV line {number}: missing columns.")
    cell = {role: row[index].strip() for role, index in roles.items()}
    if "amount" in cell:
        amount = amount_of(cell["amount"], number)
    else:
        debit, credit = amount_of(cell["debit"], number, blank=True), amount_of(cell["credit"], number, blank=True)
        if (debit is None) == (credit is None):
            raise StatementError(
                f"Ligne {number} du CSV : remplir soit Débit, soit Crédit.",
                f"CSV line {number}: fill in either Debit or Credit.",
            )
        amount = -abs(debit) if debit is not None else abs(credit)
    return StatementLine(
        booked_on=date_of(cell["date"], number),
        amount=amount,
        label=" ".join(cell["label"].split()),
        reference=" ".join(cell.get("reference", "").split()),
        counterparty=" ".join(cell.get("counterparty", "").split()),
    )


def amount_of(value: str, number: int, blank: bool = False) -> Decimal | None:
    compact = value.replace("\u00a0", " ").replace("\u202f", " ").replace("€", "").strip()
    if blank and not compact:
        return None
    match = AMOUNT.match(compact)
    if match is None or (match.group(3) and match.group(3) == match.group(4)):
        raise StatementError(
            f"Ligne {number} du CSV : montant illisible « {value} » (p. ex. 1 234,56 ou -1234.56).",
            f"CSV line {number}: unreadable amount “{value}” (e.g. 1 234,56 or -1234.56).",
        )
    sign, whole, _, _, decimals = match.groups()
    digits = re.sub(r"\D", "", whole)
    return Decimal(f"{sign}{digits}.{decimals}" if decimals else f"{sign}{digits}")


def date_of(value: str, number: int) -> date:
    for layout in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, layout).date()
        except ValueError:
            continue
    raise StatementError(
        f"Ligne {number} du CSV : date illisible « {value} » (JJ/MM/AAAA ou AAAA-MM-JJ).",
        f"CSV line {number}: unreadable date “{value}” (DD/MM/YYYY or YYYY-MM-DD).",
    )
