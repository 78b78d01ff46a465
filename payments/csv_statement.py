"""The CSV statement layout we accept (documented in docs/statements.md) read into a Statement.

UTF-8 (with or without BOM, Windows-1252 as a fallback), `;` or `,` separated, a header row naming
the columns in French or English (after the lines a bank may put before it); other columns are ignored.
"""

import csv
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

from payments.statement_model import Statement, StatementError, StatementLine

# Header names, compared without case, accents, brackets or currency words ("Montant (EUR)" is
# "montant"), the names of the main French and online banks' exports among them.
COLUMNS = {
    "date": {"date", "date operation", "date d'operation", "date de l'operation", "date comptable",
             "date de comptabilisation", "booking date", "operation date", "settlement date", "transaction date"},
    "label": {"libelle", "label", "description", "libelle de l'operation", "libelle operation", "libelle simplifie",
              "intitule", "wording"},
    "detail": {"detail", "details", "detail de l'ecriture", "informations complementaires", "note"},
    "reference": {"reference", "ref", "reference de l'operation", "motif"},
    "amount": {"montant", "amount", "montant de l'operation", "montant operation", "total amount", "montant total"},
    "debit": {"debit", "debits", "sortie"},
    "credit": {"credit", "credits", "entree"},
    "counterparty": {"contrepartie", "counterparty", "tiers", "counterparty name", "nom du tiers", "beneficiaire",
                     "emetteur"},
    # The value date only stands in for the booking date when a file gives no other.
    "value_date": {"date valeur", "date de valeur", "value date"},
}
# The first lines of many banks' exports name the account and the period before the table's header.
MAX_PREAMBLE_LINES = 20
_BRACKETS = re.compile(r"\([^)]*\)|\[[^]]*\]")
_CURRENCY_WORDS = re.compile(r"\b(?:en )?(?:euros?|eur)\b|€")

# "1 234,56", "1.234,56", "1,234.56", "1234.56", "-12,5": digits grouped by threes or not, then at
# most two decimals after the other separator.
AMOUNT = re.compile(r"^([+-]?)(\d{1,3}(?:([ .,'])\d{3})(?:\3\d{3})*|\d+)(?:([.,])(\d{1,2}))?$")


def decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def bare(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.replace("€", " eur ")).encode("ascii", "ignore").decode()
    text = _CURRENCY_WORDS.sub(" ", _BRACKETS.sub(" ", text.replace("’", "'").casefold()))
    return " ".join(text.split()).strip(" :")


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


def header_line(text: str) -> int | None:
    """The index of the table's header among the first lines; None when none is recognised."""
    for index, line in enumerate(text.splitlines()[:MAX_PREAMBLE_LINES]):
        try:
            roles = columns_of(next(csv.reader([line], delimiter=separator_of(line))))
        except (StatementError, StopIteration):
            continue
        if "date" in roles.keys() | ({"date"} if "value_date" in roles else set()) and \
                ("amount" in roles or "credit" in roles):
            return index
    return None


def read_csv(data: bytes) -> Statement:
    text = decoded(data)
    lines = text.splitlines()[header_line(text) or 0:]
    separator = separator_of(lines[0] if lines else "")
    rows = list(csv.reader(lines, delimiter=separator))
    roles = columns_of(rows[0] if rows else [])
    if "date" not in roles and "value_date" in roles:
        roles["date"] = roles["value_date"]
    roles.pop("value_date", None)
    has_amount, has_sides = "amount" in roles, "debit" in roles and "credit" in roles
    described = roles.keys() & {"label", "detail", "counterparty", "reference"}
    if "date" not in roles or not described or has_amount == has_sides:
        raise StatementError(
            "En-tête CSV non reconnu : il faut les colonnes Date, Libellé (ou Contrepartie, ou Référence), et soit Montant, soit Débit et Crédit "
            "(voir le format décrit dans l'aide).",
            "CSV header not recognised: columns Date, Label (or Counterparty, or Reference), and either Amount or Debit and Credit are required "
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
        # Without a label column (some online banks), the counterparty names the movement.
        label=" ".join(" / ".join(part for part in (cell.get("label") or cell.get("counterparty", ""),
                                                     cell.get("detail", "")) if part).split()),
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
    # A time after the day (online banks' exports) is dropped: the day is what a statement books.
    day = value.strip().split(" ")[0].split("T")[0]
    for layout in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(day, layout).date()
        except ValueError:
            continue
    raise StatementError(
        f"Ligne {number} du CSV : date illisible « {value} » (JJ/MM/AAAA ou AAAA-MM-JJ).",
        f"CSV line {number}: unreadable date “{value}” (DD/MM/YYYY or YYYY-MM-DD).",
    )
