"""Dates as invoices write them: `15/03/2026`, `15 mars 2026`, `1er mars 2026`, `March 15, 2026`, ISO."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

# Month names and their usual abbreviations (French, English, German, Dutch), without accents.
_MONTHS = {
    1: "janvier janv jan january januar jan. janner januari",
    2: "fevrier fevr fev feb february februar februari",
    3: "mars mar march marz maart",
    4: "avril avr apr april",
    5: "mai may mei",
    6: "juin jun june juni",
    7: "juillet juil jul july juli",
    8: "aout aug august augustus",
    9: "septembre sept sep september",
    10: "octobre oct october oktober okt",
    11: "novembre nov november",
    12: "decembre dec december dezember dez",
}
MONTH_NUMBERS = {name.rstrip("."): number for number, names in _MONTHS.items() for name in names.split()}
_MONTH_WORD = r"[A-Za-zÀ-ÿ]{3,10}\.?"
_NUMERIC = re.compile(r"(?<![\d./-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/-]|\.\d)")
_ISO = re.compile(r"(?<![\d./-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_DAY_MONTH_YEAR = re.compile(
    rf"(?<![\w.,])(\d{{1,2}}|[lI1]er)(?:er|st|nd|rd|th)?\.?\s*({_MONTH_WORD})\s*,?\s*(\d{{4}})(?!\d)", re.IGNORECASE
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?<![\w])({_MONTH_WORD})\s*(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(\d{{4}})(?!\d)", re.IGNORECASE
)


@dataclass(frozen=True)
class FoundDate:
    """One date in a line of text, with where it was."""

    value: date
    start: int
    end: int


def find_dates(text: str, month_first: bool = False) -> list[FoundDate]:
    """Every date in a line; `month_first` reads 03/04/2026 as March 4 (US documents)."""
    found: list[FoundDate] = []
    for match in _ISO.finditer(text):
        _add(found, match, _make(int(match[1]), int(match[2]), int(match[3])))
    for match in _NUMERIC.finditer(text):
        _add(found, match, _numeric(match, month_first))
    for match in _DAY_MONTH_YEAR.finditer(text):
        # OCR reads « 1er » as « ler ».
        day = 1 if match[1].lower().endswith("er") else int(match[1])
        _add(found, match, _make(_year(match[3]), _month(match[2]), day))
    for match in _MONTH_DAY_YEAR.finditer(text):
        _add(found, match, _make(_year(match[3]), _month(match[1]), int(match[2])))
    return sorted(found, key=lambda item: item.start)


def parse_date(text: str, month_first: bool = False) -> date | None:
    """The date when the text holds exactly one."""
    found = find_dates(text, month_first)
    return found[0].value if len(found) == 1 else None


def is_month_first(text: str) -> bool | None:
    """True when a numeric date can only be month/day (03/20/2023), False when only day/month."""
    for match in _NUMERIC.finditer(text):
        first, second = int(match[1]), int(match[3])
        if first > 12 >= second:
            return False
        if second > 12 >= first and match[2] == "/":
            return True
    return None


def _numeric(match: re.Match, month_first: bool) -> date | None:
    first, second, year = int(match[1]), int(match[3]), _year(match[4])
    # Only the slash is used month-first (US); dots and dashes are always day-first.
    day, month = (second, first) if month_first and match[2] == "/" else (first, second)
    if month > 12 and day <= 12:
        day, month = month, day
    return _make(year, month, day)


def _add(found: list[FoundDate], match: re.Match, value: date | None) -> None:
    if value is None:
        return
    if any(item.start < match.end() and match.start() < item.end for item in found):
        return
    found.append(FoundDate(value, match.start(), match.end()))


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Bills are recent: two-digit years are this century.
        year += 2000
    return year


def _month(word: str) -> int | None:
    folded = unicodedata.normalize("NFKD", word.lower()).encode("ascii", "ignore").decode().rstrip(".")
    return MONTH_NUMBERS.get(folded)


def _make(year: int, month: int | None, day: int) -> date | None:
    if month is None or not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
