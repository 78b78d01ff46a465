"""A table pasted from a spreadsheet into the mail: tab-separated, or columns aligned with spaces."""

import re

from gateway.command_text import fold
from orders.columns import header_columns, row_item
from orders.item_line import ItemRead

_ALIGNED = re.compile(r"\s{2,}")


def split_cells(line: str) -> list[str]:
    """Cells of one row: tabs when there are some, else runs of two spaces or more; « | » tables too."""
    stripped = line.strip().strip("|")
    if "|" in stripped:
        return [cell.strip() for cell in stripped.split("|")]
    if "\t" in stripped:
        return [cell.strip() for cell in stripped.split("\t")]
    return [cell.strip() for cell in _ALIGNED.split(stripped.replace("\u00a0", " "))]


def read_table(lines: list[str], start: int) -> tuple[list[ItemRead], int] | None:
    """The rows under a header at `start`, and the index after the table; None when no header is there."""
    header_cells = split_cells(lines[start])
    columns = header_columns(header_cells)
    if columns is None:
        return None
    items: list[ItemRead] = []
    index = start + 1
    while index < len(lines):
        line = lines[index]
        cells = split_cells(line)
        if not line.strip() or len(cells) < 2 or fold(cells[0]).startswith(("total", "sous-total", "subtotal")):
            break
        if not set(line.strip()) <= set("-=|+: \t"):
            items.append(_row(line, cells, columns, lines[start]))
        index += 1
    return items, index


def _row(line: str, cells: list[str], columns, header: str) -> ItemRead:
    """A row split like its header; an aligned row with empty cells is cut at the header's column starts."""
    if len(cells) == len(columns) or "\t" in line or "|" in line:
        return row_item(line.strip(), columns, cells)
    starts = [match.start() for match in re.finditer(r"(?:^|(?<=\s{2}))\S", header)]
    if len(starts) == len(columns):
        bounds = [*starts[1:], None]
        cells = [line[begin:end].strip() for begin, end in zip(starts, bounds)]
    return row_item(line.strip(), columns, cells)
