"""Address blocks under headings (« Client », « Bill to », « Verkäufer »): whose is each spot of a page."""

from dataclasses import dataclass

from extraction.labels import BUYER_HEADINGS, SELLER_HEADINGS, THIRD_PARTY_HEADINGS
from extraction.text_lines import Line

_MAX_LINES = 10
_GAP_RATIO = 2.5
_ROLES = (("buyer", BUYER_HEADINGS), ("seller", SELLER_HEADINGS), ("third", THIRD_PARTY_HEADINGS))


@dataclass
class Block:
    """A heading and, on the lines under it, the cells that sit in its column."""

    role: str  # "buyer", "seller" or "third"
    heading: Line
    heading_end: int
    cells: dict[int, list[tuple[int, int]]]  # line index → text spans inside the block

    def contains(self, line: Line, start: int) -> bool:
        return any(begin <= start < end for begin, end in self.cells.get(line.index, []))


def find_blocks(lines: list[Line]) -> list[Block]:
    return [
        _grow(lines, line, match.start(), match.end(), role)
        for line in lines for role, match in _headings(line)
    ]


def role_at(blocks: list[Block], line: Line, start: int) -> str | None:
    """The role of the nearest heading above whose block holds this text offset of the line."""
    holding = [block for block in blocks if block.contains(line, start)]
    if not holding:
        return None
    return max(holding, key=lambda block: (block.heading.index, block.heading_end)).role


def _headings(line: Line):
    """(role, match) of each heading standing alone at the start of a cell of the line."""
    for role, pattern in _ROLES:
        for match in pattern.finditer(line.folded):
            if _starts_cell(line.folded, match.start()) and _ends_heading(line.folded, match.end()):
                yield role, match


def _starts_cell(folded: str, start: int) -> bool:
    cell = folded[:start].rsplit("  ", 1)[-1]
    return not cell.strip(" :/-@")


def _ends_heading(folded: str, end: int) -> bool:
    """A heading stands alone: a colon, a slash, a column gap or the line's end follows it."""
    rest = folded[end:]
    return not rest.strip() or rest.startswith("  ") or rest.lstrip()[:1] in (":", "/")


def _grow(lines: list[Line], heading: Line, start: int, end: int, role: str) -> Block:
    """The heading's cell, then the overlapping cells below, down to a blank gap or a new heading."""
    cell = next((begin, stop) for begin, stop in heading.cells() if begin <= start < stop)
    left, right = heading.span_x(*cell)
    margin = heading.height
    cells = {heading.index: [(start, cell[1])]}
    last = heading
    for line in lines[heading.index + 1:]:
        if line.page != heading.page or len(cells) > _MAX_LINES:
            break
        inside = _cells_in_column(line, left - margin, right + margin)
        if not inside:
            continue
        if line.y0 - last.y1 > _GAP_RATIO * last.height:
            break
        if any(span[0] <= match.start() < span[1] for _, match in _headings(line) for span in inside):
            break
        cells[line.index] = inside
        last = line
    return Block(role, heading, end, cells)


def _cells_in_column(line: Line, left: float, right: float) -> list[tuple[int, int]]:
    """Cells overlapping the column, and the value cell after a « Key: » cell among them."""
    inside = []
    cells = line.cells()
    for number, span in enumerate(cells):
        key_before = number and (line.text[: cells[number - 1][1]].endswith(":") or line.text[span[0]] == ":")
        after_key = bool(inside) and inside[-1] == cells[number - 1] and key_before
        if _overlaps(line.span_x(*span), left, right) or after_key:
            inside.append(span)
    return inside


def _overlaps(span: tuple[float, float], left: float, right: float) -> bool:
    return span[1] >= left and span[0] <= right


def block_text_lines(block: Block, lines: list[Line]) -> list[str]:
    """The block's text line by line (cells joined by two spaces), without the heading itself.

    The heading's own line counts only for a value after a colon (« Client : Dupont SA »).
    """
    texts = []
    for index, spans in block.cells.items():
        line = lines[index]
        parts = [line.text[begin:stop] for begin, stop in spans]
        if index == block.heading.index:
            rest = line.text[block.heading_end:spans[0][1]].lstrip()
            parts = [rest[1:]] + parts[1:] if rest.startswith(":") else parts[1:]
        text = "  ".join(part.strip() for part in parts if part.strip())
        if text:
            texts.append(text)
    return texts
