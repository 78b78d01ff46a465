"""Money amounts written by people: `1 234,56 €`, `1.234,56`, `1,234.56`, `-12,00`, `12,00-`, `$4.11`."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Symbols and codes that mark a number as money; the value is the ISO 4217 code.
CURRENCY_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "₹": "INR", "¥": "JPY", "fr.": "CHF"}
CURRENCY_CODES = ("EUR", "USD", "GBP", "CHF", "INR", "JPY", "CAD", "AUD", "SEK", "NOK", "DKK", "PLN", "CZK")
_CURRENCY = r"(?:€|\$|£|₹|¥|EUR|USD|GBP|CHF|INR|JPY|CAD|AUD|SEK|NOK|DKK|PLN|CZK|Rs\.?)"
# Thin, narrow no-break and no-break spaces group thousands in French typography.
_GROUP_SPACES = "\u00a0\u202f\u2009 "
_MINUS = "-\u2212\u2013"
_NUMBER = (
    r"\d{1,3}(?:[ \u00a0\u202f\u2009'.,]\d{3})+(?:[.,]\d{1,4})?"  # grouped thousands
    r"|\d+(?:[.,]\d{1,4})?"  # plain
)
AMOUNT_PATTERN = re.compile(
    rf"(?<![\w.,/:\-])"
    rf"(?:(?P<pre>{_CURRENCY})[ \u00a0]?)?"
    rf"(?:(?P<sign>[{_MINUS}])[ \u00a0]?)?"
    rf"(?:(?P<pre2>{_CURRENCY})[ \u00a0]?)?"
    rf"(?P<number>{_NUMBER})"
    rf"(?P<trail>-(?![\w]))?"
    rf"(?:[ \u00a0\u202f]?(?P<post>{_CURRENCY}))?"
    rf"(?![\w]|[.,]\d|/\d|%|\s?%)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Amount:
    """One number found in text, with where it was and how money-like it looks."""

    value: Decimal
    start: int
    end: int
    currency: str | None
    decimals: int

    @property
    def looks_like_money(self) -> bool:
        return self.decimals == 2 or self.currency is not None


def parse_number(text: str) -> Decimal | None:
    """The value of one number written with any of the usual separators; None if it is not one."""
    digits = text.strip().strip(_GROUP_SPACES)
    for space in _GROUP_SPACES + "'":
        digits = digits.replace(space, "")
    if not digits or not re.fullmatch(r"[\d.,]+", digits) or not digits[0].isdigit():
        return None
    decimal_mark = _decimal_mark(digits)
    if decimal_mark:
        whole, _, fraction = digits.rpartition(decimal_mark)
        whole = whole.replace(".", "").replace(",", "")
        normalised = f"{whole}.{fraction}"
    else:
        normalised = digits.replace(".", "").replace(",", "")
    try:
        return Decimal(normalised)
    except InvalidOperation:
        return None


def _decimal_mark(digits: str) -> str | None:
    """Which of `.` and `,` separates the decimals, if either does."""
    last_dot, last_comma = digits.rfind("."), digits.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        return "." if last_dot > last_comma else ","
    mark = "." if last_dot >= 0 else "," if last_comma >= 0 else None
    if mark is None:
        return None
    if digits.count(mark) > 1:
        return None
    fraction = digits.rsplit(mark, 1)[1]
    whole = digits.rsplit(mark, 1)[0]
    # `1.234` groups thousands, `0.025` is a small unit price: three digits only group
    # thousands behind a non-zero whole part.
    if len(fraction) == 3 and whole.strip("0"):
        return None
    return mark


def parse_amount(text: str) -> Decimal | None:
    """The signed value of a whole amount string such as `1 234,56 €` or `12,00-`."""
    found = find_amounts(text.strip())
    if len(found) != 1:
        return None
    return found[0].value


def find_amounts(text: str) -> list[Amount]:
    """Every number in a line of text, signed, with its currency when one is written beside it."""
    amounts = []
    for match in AMOUNT_PATTERN.finditer(text):
        value = parse_number(match.group("number"))
        if value is None:
            continue
        if match.group("sign") or match.group("trail"):
            value = -value
        symbol = match.group("pre") or match.group("pre2") or match.group("post")
        number = match.group("number").replace(" ", "")
        mark = _decimal_mark(number.replace("\u00a0", "").replace("\u202f", "").replace("'", ""))
        decimals = len(number.rsplit(mark, 1)[1]) if mark else 0
        amounts.append(Amount(value, match.start(), match.end(), currency_of(symbol), decimals))
    return amounts


def currency_of(symbol: str | None) -> str | None:
    """The ISO code of a currency symbol or code as written (`€` → EUR), None if unknown."""
    if not symbol:
        return None
    cleaned = symbol.strip()
    if cleaned.upper() in CURRENCY_CODES:
        return cleaned.upper()
    if cleaned.lower().startswith("rs"):
        return "INR"
    return CURRENCY_SYMBOLS.get(cleaned.lower())
