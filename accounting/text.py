"""Text for import files: one line per field, ASCII when a format needs it, cut to a column's width."""

import re
import unicodedata

from accounting.formats import ExportError

# Characters with no ASCII decomposition that still have an obvious spelling.
SPELLINGS = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "€": "EUR", "–": "-", "—": "-",
             "’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "\u00a0": " ", "\u202f": " "}


def one_line(text: str) -> str:
    """Tabs and line breaks would shift every following column: they become spaces."""
    return re.sub(r"\s+", " ", text).strip()


def ascii_text(text: str) -> str:
    """The text without accents ("Électricité" → "Electricite"), for formats read as plain ASCII."""
    spelled = "".join(SPELLINGS.get(char, char) for char in one_line(text))
    decomposed = unicodedata.normalize("NFKD", spelled)
    folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    return folded.encode("ascii", "replace").decode("ascii")


def encodable(text: str, encoding: str) -> str:
    """The text with each character the encoding lacks spelled in ASCII instead (never an error)."""
    kept = []
    for char in one_line(text):
        try:
            char.encode(encoding)
            kept.append(char)
        except UnicodeEncodeError:
            kept.append(ascii_text(char))
    return "".join(kept)


def left(text: str, width: int) -> str:
    """Left-aligned in a fixed-width column: cut, then padded with spaces."""
    return text[:width].ljust(width)


def right(text: str, width: int) -> str:
    """Right-aligned in a fixed-width column; a value too long (an amount) is refused, never cut."""
    if len(text) > width:
        raise ExportError(f"{text} : trop long pour une colonne de {width} caractères / does not fit in {width} characters")
    return text.rjust(width)
