"""Columns of an order table or file (« Désignation », « Qté », « PU HT », « TVA »…) and one row as a line."""

import re
from decimal import Decimal

from gateway.command_text import fold
from orders.item_line import ItemRead
from orders.model import OrderLine
from orders.values import ValueProblem, guess_nature, plain, read_nature, read_number, read_quantity, read_rate
from orders.values import read_unit

COLUMNS = {
    **dict.fromkeys(("designation", "description", "libelle", "article", "produit", "prestation", "item",
                     "product", "service", "intitule", "detail", "objet", "items"), "description"),
    **dict.fromkeys(("qte", "quantite", "quantity", "qty", "nb", "nombre", "quant", "qt"), "quantity"),
    **dict.fromkeys(("unite", "unit", "u", "uom", "unites"), "unit"),
    **dict.fromkeys(("pu", "pu ht", "prix unitaire", "prix unitaire ht", "prix", "unit price", "price", "tarif",
                     "prix ht", "unit price excl vat", "price excl vat", "unit price ht", "pu ttc",
                     "prix unitaire ttc", "prix ttc", "unit price incl vat", "price incl vat", "unit_price",
                     "prix unit ht", "prix unit", "montant unitaire", "p u ht", "p u", "p u ttc"), "unit_price"),
    **dict.fromkeys(("tva", "vat", "taux tva", "tva %", "vat rate", "taux", "vat %", "tax rate", "taux de tva",
                     "vat_rate"), "vat_rate"),
    **dict.fromkeys(("nature", "type", "biens/services", "goods/services"), "nature"),
    **dict.fromkeys(("basis", "base", "ht/ttc"), "basis"),
    **dict.fromkeys(("total", "montant", "total ht", "montant ht", "amount", "total ttc", "montant ttc",
                     "line total", "total price"), "total"),
}


def column_of(header: str) -> tuple[str, str]:
    """(column, basis) of a header cell; column "" when unknown, basis "TTC" when the header says so."""
    folded = " ".join(re.sub(r"[.()€%:_\-]", " ", fold(header)).split())
    column = COLUMNS.get(folded) or COLUMNS.get(folded.replace(" ", "_"), "")
    if not column and folded.endswith((" ht", " ttc")):
        column = COLUMNS.get(folded.rsplit(" ", 1)[0], "")
    basis = "TTC" if re.search(r"\b(ttc|incl)\b", folded) else "HT"
    return column, basis


def header_columns(cells: list[str]) -> list[tuple[str, str]] | None:
    """The columns of a header row, or None when the row is not the header of an order table."""
    columns = [column_of(cell) for cell in cells]
    names = [name for name, _basis in columns]
    if "description" in names and "unit_price" in names and len(cells) >= 2:
        return columns
    return None


def row_item(text: str, columns: list[tuple[str, str]], cells: list[str]) -> ItemRead:
    """One row of cells under its header: a line, or the reason it is unreadable."""
    if len(cells) > len(columns):
        return ItemRead(text, None, "Cette ligne a plus de colonnes que l'en-tête du tableau.",
                        "this row has more cells than the table's header")
    values: dict[str, str] = {}
    basis = "HT"
    for (name, column_basis), cell in zip(columns, cells):
        if name and cell.strip():
            values[name] = cell.strip()
            basis = column_basis if name == "unit_price" else basis
    try:
        return ItemRead(text, line_from_values(values, basis))
    except ValueProblem as problem:
        return ItemRead(text, None, problem.french, problem.english)


def line_from_values(values: dict[str, str | Decimal], basis: str = "HT") -> OrderLine:
    """A line from named values (table cells, CSV cells or JSON fields), each read like the block's.

    A JSON number arrives as a Decimal and is taken as it is: its dot is a decimal point for sure.
    """
    description = str(values.get("description", "")).strip()
    if not description:
        raise ValueProblem("La désignation manque sur cette ligne.", "the description is missing on this line")
    if values.get("unit_price") in (None, ""):
        raise ValueProblem("Le prix unitaire manque sur cette ligne.", "the unit price is missing on this line")
    written_basis = fold(str(values.get("basis", ""))).replace(".", "").upper()
    unit = read_unit(str(values["unit"])) if values.get("unit") else ""
    nature = read_nature(str(values["nature"])) if values.get("nature") else None
    if values.get("nature") and nature not in ("goods", "services"):
        raise ValueProblem(f"« {values['nature']} » n'est ni « biens » ni « services ».",
                           f"{values['nature']!r} is neither « goods » nor « services »")
    return OrderLine(
        description=description,
        quantity=_number(values["quantity"], read_quantity) if values.get("quantity") not in (None, "") else Decimal(1),
        unit=unit, unit_price=_number(values["unit_price"], read_number),
        basis=written_basis if written_basis in ("HT", "TTC") else basis,
        vat_rate=_number(values["vat_rate"], read_rate) if values.get("vat_rate") not in (None, "") else None,
        nature=nature or guess_nature(description, unit),
    )


def _number(value: str | Decimal, reader) -> Decimal:
    if isinstance(value, Decimal):
        return plain(value)
    return reader(re.sub(r"(?i)€|eur(?:os?)?", "", value))
