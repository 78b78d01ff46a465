"""Group positioned words into reading lines, and find what lies right of or below a spot on a page."""

import re
import unicodedata
from dataclasses import dataclass, field, replace

from extraction.model import TextDocument, Word

# Words further apart than this share of the line height belong to different columns; the line
# text then gets a double space there, so a thousands group never spans two columns.
_COLUMN_GAP_RATIO = 1.0


@dataclass
class Line:
    """Words sharing one baseline on one page, left to right."""

    page: int
    page_height: float
    page_width: float
    words: list[Word]
    text: str = ""
    folded: str = ""
    offsets: list[int] = field(default_factory=list)
    index: int = 0

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(word.x1 for word in self.words)

    @property
    def y0(self) -> float:
        return min(word.y0 for word in self.words)

    @property
    def y1(self) -> float:
        return max(word.y1 for word in self.words)

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1.0)

    @property
    def relative_y(self) -> float:
        """0 at the top of the page, 1 at the bottom."""
        return self.y0 / self.page_height if self.page_height else 0.0

    def span_x(self, start: int, end: int) -> tuple[float, float]:
        """Horizontal extent of the words that the text span [start, end) touches."""
        touched = self.words_in(start, end)
        if not touched:
            return (self.x0, self.x1)
        return (min(word.x0 for word in touched), max(word.x1 for word in touched))

    def words_in(self, start: int, end: int) -> list[Word]:
        return [
            word for word, offset in zip(self.words, self.offsets)
            if offset < end and offset + len(word.text) > start
        ]

    def cells(self) -> list[tuple[int, int]]:
        """Text spans (start, end) of the line's cells: runs of words between column gaps."""
        spans, start = [], 0
        while True:
            gap = self.text.find("  ", start)
            end = len(self.text) if gap < 0 else gap
            if end > start:
                spans.append((start, end))
            if gap < 0:
                return spans
            start = gap + 2
            while start < len(self.text) and self.text[start] == " ":
                start += 1

    def span_confidence(self, start: int, end: int) -> float:
        """The weakest OCR confidence among the words of a span (1.0 for a text layer)."""
        touched = self.words_in(start, end)
        return min((word.confidence for word in touched), default=1.0)


class _FoldTable(dict):
    """str.translate table computed on first use: lower case, accents dropped, one char per char."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        base = unicodedata.normalize("NFKD", char)[:1] or char
        lowered = base.lower()
        folded = lowered if len(lowered) == 1 else base
        folded = {"\u2019": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " "}.get(char, folded)
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower case without accents, one character per character so offsets stay valid."""
    return text.translate(_FOLD)


_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "|": "1"})
_NUMERIC_LOOKING = re.compile(r"[\dOoDIl|.,/\-]+[€%]?")


def repair_ocr_digits(text: str) -> str:
    """OCR reads 0 as O and 1 as l inside numbers: fix words that are mostly digits already."""
    if not _NUMERIC_LOOKING.fullmatch(text):
        return text
    digits = sum(char.isdigit() for char in text)
    letters = sum(char.isalpha() for char in text)
    return text.translate(_OCR_DIGITS) if digits >= 2 and digits > letters else text


def group_lines(document: TextDocument) -> list[Line]:
    """All lines of the document in reading order (page, top to bottom, left to right)."""
    lines: list[Line] = []
    for page in document.pages:
        words = page.words
        if document.source == "ocr":
            words = [replace(word, text=repair_ocr_digits(word.text)) for word in words]
        for row in _page_rows(words):
            lines.append(_make_line(page.number, page.height, page.width, row))
    for index, line in enumerate(lines):
        line.index = index
    return lines


def _page_rows(words: list[Word]) -> list[list[Word]]:
    """Cluster words around the first word of each row: overlapping it and centred near it.

    The row's band is not widened by its members, so a large title beside two small lines
    joins one of them instead of gluing both together.
    """
    rows: list[list[Word]] = []
    bands: list[tuple[float, float]] = []
    for word in sorted(words, key=lambda item: ((item.y0 + item.y1) / 2, item.x0)):
        centre = (word.y0 + word.y1) / 2
        for number in range(len(rows) - 1, max(len(rows) - 4, -1), -1):
            top, bottom = bands[number]
            smaller = min(bottom - top, word.y1 - word.y0) or 1.0
            overlap = min(bottom, word.y1) - max(top, word.y0)
            if overlap >= 0.5 * smaller and abs(centre - (top + bottom) / 2) <= 0.5 * smaller:
                rows[number].append(word)
                break
        else:
            rows.append([word])
            bands.append((word.y0, word.y1))
    return [sorted(row, key=lambda item: item.x0) for row in rows]


def _make_line(page: int, height: float, width: float, words: list[Word]) -> Line:
    parts, offsets, position = [], [], 0
    line_height = max(max(word.y1 for word in words) - min(word.y0 for word in words), 1.0)
    for number, word in enumerate(words):
        if number:
            gap = word.x0 - words[number - 1].x1
            separator = "  " if gap > line_height * _COLUMN_GAP_RATIO else " "
            parts.append(separator)
            position += len(separator)
        offsets.append(position)
        parts.append(word.text)
        position += len(word.text)
    text = "".join(parts)
    return Line(page, height, width, words, text, fold(text), offsets)


def lines_below(lines: list[Line], line: Line, x_range: tuple[float, float], depth: float = 4.0,
                band: tuple[float, float] | None = None):
    """Lines under `line` on the same page, within `depth` line heights, that reach into x_range.

    `band` (top, bottom) is the part of the line to look under, when a taller word beside it (a
    title sharing its row) must not push the search further down.
    """
    top, bottom = band or (line.y0, line.y1)
    height = max(bottom - top, 1.0)
    limit = bottom + depth * height
    for candidate in lines[line.index + 1:]:
        if candidate.page != line.page or candidate.y0 > limit:
            break
        # Only the words in the column count: a tall title elsewhere on the row must not lift it.
        reaching = [word for word in candidate.words if word.x1 >= x_range[0] and word.x0 <= x_range[1]]
        if reaching and min(word.y0 for word in reaching) >= bottom - height * 0.3:
            yield candidate
