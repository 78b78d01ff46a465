"""Find labels in lines and the values they point at: right of the label, or below it in its column."""

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from extraction.labels import LABELS
from extraction.text_lines import Line, lines_below

# A finder turns a piece of text into (value, start, end) triples; offsets are within that piece.
Finder = Callable[[str], Iterable[tuple[object, int, int]]]


@dataclass(frozen=True)
class LabelHit:
    """One label found on one line."""

    field: str
    strength: float
    line: Line
    start: int
    end: int


@dataclass(frozen=True)
class Candidate:
    """A value for a field with the evidence behind it."""

    field: str
    value: object
    score: float
    line: Line
    start: int
    end: int
    how: str  # "right", "below" or a rule's own name

    @property
    def ocr_confidence(self) -> float:
        return self.line.span_confidence(self.start, self.end)


def find_label_hits(lines: list[Line]) -> dict[int, list[LabelHit]]:
    """Per line index, its labels left to right; overlapping matches keep the longest."""
    by_line: dict[int, list[LabelHit]] = {}
    for line in lines:
        found = []
        for field, entries in LABELS.items():
            for pattern, strength in entries:
                for start, end in _within_cells(pattern, line.folded):
                    found.append(LabelHit(field, strength, line, start, end))
        kept: list[LabelHit] = []
        for hit in sorted(found, key=lambda item: (item.start - item.end, -item.strength)):
            if all(hit.end <= other.start or hit.start >= other.end for other in kept):
                kept.append(hit)
        if kept:
            by_line[line.index] = sorted(kept, key=lambda item: item.start)
    return by_line


def _within_cells(pattern, folded: str):
    """Matches that stay inside one cell: « Net total  VAT total » is two labels, not « total VAT »."""
    position = 0
    while position < len(folded):
        match = pattern.search(folded, position)
        if match is None:
            return
        if match.end() > match.start() and "  " not in folded[match.start():match.end()]:
            yield match.start(), match.end()
            position = match.end()
        else:
            position = match.start() + 1


def values_right(hit: LabelHit, line_hits: list[LabelHit], finder: Finder) -> list[tuple[object, int, int]]:
    """Values after the label on its line, up to the next label."""
    following = [other.start for other in line_hits if other.start >= hit.end]
    stop = min(following, default=len(hit.line.text))
    piece = hit.line.text[hit.end:stop]
    return [(value, hit.end + start, hit.end + end) for value, start, end in finder(piece)]


def values_below(
    lines: list[Line], hit: LabelHit, hits: dict[int, list[LabelHit]], finder: Finder, depth: float = 4.0
) -> list[tuple[Line, object, int, int]]:
    """Values in the label's column on the nearest line below that reaches into that column.

    A header row has several columns: a value belongs to the header cell it overlaps most.
    """
    left, right = hit.line.span_x(hit.start, hit.end)
    columns = _header_columns(hit.line, hits.get(hit.line.index, []))
    mine = next((number for number, (start, end) in enumerate(columns) if start <= hit.start < end), -1)
    extents = [hit.line.span_x(start, end) for start, end in columns]
    label_words = hit.line.words_in(hit.start, hit.end) or hit.line.words
    band = (min(word.y0 for word in label_words), max(word.y1 for word in label_words))
    tolerance = (band[1] - band[0]) * 1.5
    height = band[1] - band[0]
    for below in lines_below(lines, hit.line, (left - tolerance, right + tolerance), depth, band):
        found = []
        for value, start, end in finder(below.text):
            x0, x1 = below.span_x(start, end)
            if _inside_label(hits, below, start, end) or not _in_column(x0, x1, left, right, tolerance):
                continue
            if _nearest_column(extents, x0, x1) == mine:
                found.append((below, value, start, end))
        if not found and _continues_header(below, band, height, hits, finder):
            # A header cell wrapped onto a second line (« Total toutes taxes / comprises »): look under it.
            band = (below.y0, below.y1)
            continue
        # The first line that reaches into the column holds the value or nothing does.
        return found
    return []


def _continues_header(below: Line, band: tuple[float, float], height: float, hits: dict, finder: Finder) -> bool:
    """Right under the label, without labels or values of its own: the label's cell wrapped."""
    close = below.y0 - band[1] < 0.5 * height
    return close and below.index not in hits and not any(True for _ in finder(below.text))


def _header_columns(line: Line, line_hits: list[LabelHit]) -> list[tuple[int, int]]:
    """The header line's cells, split again where a second label starts inside one."""
    columns = []
    for start, end in line.cells():
        cuts = [hit.start for hit in line_hits if start < hit.start < end]
        bounds = [start] + cuts + [end]
        columns += list(zip(bounds, bounds[1:]))
    return columns


def _nearest_column(extents: list[tuple[float, float]], x0: float, x1: float) -> int:
    """The column a value overlaps most, or else the one with the smallest gap to it."""
    def closeness(extent: tuple[float, float]) -> float:
        overlap = min(x1, extent[1]) - max(x0, extent[0])
        return overlap if overlap > 0 else -max(extent[0] - x1, x0 - extent[1])
    return max(range(len(extents)), key=lambda number: closeness(extents[number]), default=-1)


def _ends_its_cell(hit: LabelHit, line_hits: list[LabelHit]) -> bool:
    """Only separators follow the label before a column gap, another label or the line's end."""
    following = [other.start for other in line_hits if other.start >= hit.end]
    rest = hit.line.text[hit.end:min(following, default=len(hit.line.text))]
    cell = rest.split("  ", 1)[0] if not rest.startswith("  ") else ""
    # « VAT 20% », « TVA (5,5 %) »: a rate in the header cell still leaves the value below.
    cell = re.sub(r"\(?\d{1,2}(?:[.,]\d{1,2})?\s?%\)?", "", cell)
    return not cell.strip(" :#.-°")


def _in_column(x0: float, x1: float, left: float, right: float, tolerance: float) -> bool:
    """Overlapping the label, or aligned with either of its edges."""
    overlaps = x1 >= left - 2 and x0 <= right + 2
    aligned = abs(x0 - left) <= tolerance or abs(x1 - right) <= tolerance
    return overlaps or aligned


def _inside_label(hits: dict[int, list[LabelHit]], line: Line, start: int, end: int) -> bool:
    return any(hit.start < end and start < hit.end for hit in hits.get(line.index, []))


def label_candidates(
    lines: list[Line], hits: dict[int, list[LabelHit]], field: str, finder: Finder, below_finder: Finder | None = None
) -> list[Candidate]:
    """Every value a label of `field` points at, scored by the label's strength and position.

    `below_finder` reads the lines under a label (defaults to `finder`).
    """
    candidates = []
    for line_hits in hits.values():
        for hit in line_hits:
            if hit.field != field:
                continue
            right = values_right(hit, line_hits, finder)
            for rank, (value, start, end) in enumerate(right):
                # The value next to the label is the likeliest; the last of a row comes next.
                weight = 1.0 if rank == 0 else 0.85 if rank == len(right) - 1 else 0.6
                candidates.append(Candidate(field, value, hit.strength * weight, hit.line, start, end, "right"))
            if right or not _ends_its_cell(hit, line_hits):
                continue
            for line, value, start, end in values_below(lines, hit, hits, below_finder or finder):
                candidates.append(Candidate(field, value, hit.strength * 0.9, line, start, end, "below"))
    return candidates
