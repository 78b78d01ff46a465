"""Amounts and dates as people write them in a reply, read exactly or refused with a reason."""

import re
from datetime import date
from decimal import Decimal

from gateway.command_text import fold
from gateway.command_words import MONTH_NUMBERS, WEEKDAYS

CENT = Decimal("0.01")
_CURRENCY = re.compile(r"^(?:€|euros?|eur)\s*|\s*(?:€|euros?|eur)$", re.IGNORECASE)
# Thousands may be grouped by any kind of space (narrow and no-break ones included) or an apostrophe.
_GROUPING = re.compile(r"[\s'\u2019]+")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})(?:er|re|e|st|nd|rd|th)? ([a-z]+)\.?,? (\d{4})")
_MONTH_FIRST = re.compile(r"([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})")


class UnreadableValue(ValueError):
    """A value the grammar will not guess: the French sentence goes to the person, the English to the log."""

    def __init__(self, french: str, english: str):
        super().__init__(english)
        self.french = french
        self.english = english


def parse_amount(text: str) -> Decimal:
    """1 234,56 / 1.234,56 / 1,234.56 / 1234.56 / -12,00 €, to the cent; ambiguous groupings are refused."""
    raw = text.strip()
    body = _CURRENCY.sub("", raw.replace("\u2212", "-")).strip()
    sign = ""
    if body[:1] in {"-", "+"}:
        sign, body = body[0].replace("+", ""), body[1:].strip()
    if not re.fullmatch(r"\d[\d\s'\u2019.,]*", body) or not body[-1].isdigit():
        raise UnreadableValue(f"« {raw} » n'est pas un montant.", f"not an amount: {raw!r}")
    whole, cents = _split_decimals(body, raw)
    return Decimal(f"{sign}{_whole_digits(whole, raw)}.{cents or '0'}").quantize(CENT)


def _split_decimals(body: str, raw: str) -> tuple[str, str]:
    # The decimal separator is the last comma or dot followed by one or two digits, once only.
    marks = [index for index, char in enumerate(body) if char in ",."]
    if not marks:
        return body, ""
    last = marks[-1]
    tail = body[last + 1:]
    if len(tail) in {1, 2} and tail.isdigit():
        if body[last] in body[:last]:
            raise UnreadableValue(f"« {raw} » mélange milliers et décimales.", f"mixed separators in {raw!r}")
        return body[:last], tail
    if len(tail) == 3 and tail.isdigit() and {body[i] for i in marks} == {body[last]} and len(marks) == 1 \
            and not _GROUPING.search(body):
        raise UnreadableValue(
            f"« {raw} » peut se lire de deux façons (milliers ou décimales) : écrivez par exemple 1 234,00.",
            f"ambiguous amount {raw!r}: thousands or decimals",
        )
    if len(tail) > 3 or body[last] in body[:last] and len(tail) != 3:
        raise UnreadableValue(f"« {raw} » a trop de décimales pour un montant.", f"too many decimals in {raw!r}")
    return body, ""


def _whole_digits(whole: str, raw: str) -> str:
    # Every group after the first has three digits, separated by one kind of mark only.
    groups = re.split(r"[\s'\u2019.,]+", whole)
    marks = {"space" if _GROUPING.fullmatch(mark) else mark for mark in re.findall(r"[\s'\u2019.,]+", whole)}
    well_grouped = len(marks) <= 1 and 1 <= len(groups[0]) <= (3 if len(groups) > 1 else 15)
    if not well_grouped or any(len(group) != 3 for group in groups[1:]):
        raise UnreadableValue(
            f"Je ne sais pas lire les milliers de « {raw} » : écrivez par exemple 1 234,56.",
            f"badly grouped amount {raw!r}",
        )
    return "".join(groups)


def parse_date(text: str) -> date:
    """15/03/2026, 15-03-26, 2026-03-15, 15 mars 2026, 1er avril 2026, March 15, 2026: day first, never guessed."""
    raw = text.strip()
    folded = fold(raw).strip(" .,")
    try:
        day, month, year = _date_parts(folded, raw)
    except UnreadableValue:
        # "mar" is Tuesday in French and March in English: the weekday is dropped only when needed.
        day, month, year = _date_parts(_without_weekday(folded), raw)
    if not 2000 <= year <= 2099:
        raise UnreadableValue(f"L'année de « {raw} » n'est pas plausible.", f"implausible year in {raw!r}")
    try:
        return date(year, month, day)
    except ValueError:
        raise UnreadableValue(f"« {raw} » n'existe pas dans le calendrier.", f"no such date: {raw!r}") from None


def _date_parts(folded: str, raw: str) -> tuple[int, int, int]:
    if match := _ISO_DATE.fullmatch(folded):
        return int(match[3]), int(match[2]), int(match[1])
    if match := _NUMERIC_DATE.fullmatch(folded):
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
        return int(match[1]), int(match[2]), year
    for pattern, day_at, month_at in ((_DAY_FIRST, 1, 2), (_MONTH_FIRST, 2, 1)):
        match = pattern.fullmatch(folded)
        if match and match[month_at] in MONTH_NUMBERS:
            return int(match[day_at]), MONTH_NUMBERS[match[month_at]], int(match[3])
    raise UnreadableValue(
        f"« {raw} » n'est pas une date complète : écrivez par exemple 15/03/2026 ou 15 mars 2026.",
        f"not a date: {raw!r}",
    )


def _without_weekday(folded: str) -> str:
    # "le lundi 15 mars 2026" and "Monday, March 15, 2026" name the day twice; the number counts.
    words = folded.split()
    while words and words[0].strip(".,") in WEEKDAYS | {"le", "the", "on"}:
        words = words[1:]
    return " ".join(words)
