"""The date a client promises to pay by, read from French (and basic English) words against today."""

import calendar
import re
import unicodedata
from datetime import date, timedelta

from receivables.business_days import add_business_days

MONTHS = {"janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4, "mai": 5,
          "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9, "octobre": 10, "oct": 10,
          "novembre": 11, "nov": 11, "decembre": 12, "dec": 12, "january": 1, "jan": 1, "february": 2, "feb": 2,
          "march": 3, "april": 4, "apr": 4, "may": 5, "june": 6, "july": 7, "august": 8, "aug": 8,
          "september": 9, "october": 10, "november": 11, "december": 12}
WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
            "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBER_WORDS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
                "dix": 10, "quinze": 15, "vingt": 20, "trente": 30, "a": 1, "one": 1, "two": 2, "three": 3,
                "four": 4, "five": 5, "ten": 10}
# "Début du mois" is read as the 5th: late enough for a transfer ordered on the 1st to arrive.
START_OF_MONTH_DAY = 5
MID_MONTH_DAY = 15

_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
_WEEKDAY = "(" + "|".join(WEEKDAYS) + r")\b"
_COUNT = r"(\d{1,3}|" + "|".join(NUMBER_WORDS) + ")"
# Numbers after "le 15" that make it a quantity or an amount rather than a day of the month.
_NOT_A_DAY = r"(?!\s*(?:[/.,:]\d|%|€|eur|h\b|heures?|jours?|semaines?|mois|ans?|unites?|palettes?|cartons?|colis|pieces?))"


def fold(text: str) -> str:
    """Lower case without accents, one character for one, so that a match's span also points into `text`."""
    folded = []
    for char in text:
        base = unicodedata.normalize("NFD", char)[0].lower()[:1] or char
        folded.append({"’": "'", "‘": "'", "\u00a0": " ", "\u202f": " "}.get(base, base))
    return "".join(folded)


def end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_after(day: date) -> tuple[int, int]:
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def friday_of_week(day: date, weeks_ahead: int) -> date:
    return day - timedelta(days=day.weekday()) + timedelta(days=4 + 7 * weeks_ahead)


def next_weekday(today: date, weekday: int, strictly_after: bool) -> date:
    ahead = (weekday - today.weekday()) % 7
    return today + timedelta(days=ahead or (7 if strictly_after else 0))


def upcoming(today: date, month: int, day: int, year: int | None = None) -> date | None:
    """The day in `month`; without a written year, a date already past is next year's."""
    try:
        found = date(year or today.year, month, day)
        return found if year or found >= today else date(today.year + 1, month, day)
    except ValueError:
        return None


def next_day_of_month(today: date, day: int) -> date | None:
    """The next `day` of a month on or after today ("d'ici le 15")."""
    year, month = today.year, today.month
    for _ in range(3):
        if day <= calendar.monthrange(year, month)[1] and date(year, month, day) >= today:
            return date(year, month, day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _full_year(written: str) -> int:
    return int(written) + 2000 if len(written) == 2 else int(written)


def _offset(today: date, match: re.Match) -> date:
    count = int(match[1]) if match[1].isdigit() else NUMBER_WORDS[match[1]]
    unit, business = match[2], match[3]
    if business or unit.startswith(("business", "working")):
        return add_business_days(today, count)
    if unit.startswith(("semaine", "week")):
        return today + timedelta(weeks=count)
    if unit.startswith(("mois", "month")):
        year, month = today.year + (today.month + count - 1) // 12, (today.month + count - 1) % 12 + 1
        return date(year, month, min(today.day, end_of_month(year, month).day))
    if unit.startswith("h"):
        return today + timedelta(days=-(-count // 24))
    return today + timedelta(days=count)


def _in_month(today: date, position: str, month: int, year: int | None) -> date | None:
    if position in ("fin", "end", "en", "in", "courant"):
        found = end_of_month(year or today.year, month)
        return found if year or found >= today else end_of_month(today.year + 1, month)
    return upcoming(today, month, MID_MONTH_DAY if position in ("mi", "mid", "milieu") else START_OF_MONTH_DAY, year)


def _relative_month(today: date, position: str | None, next_one: bool) -> date:
    year, month = month_after(today) if next_one else (today.year, today.month)
    if position in ("debut", "beginning", "early"):
        return date(year, month, START_OF_MONTH_DAY) if next_one else next_day_of_month(today, START_OF_MONTH_DAY)
    if position in ("mi", "mid", "milieu"):
        return date(year, month, MID_MONTH_DAY) if next_one else next_day_of_month(today, MID_MONTH_DAY)
    return end_of_month(year, month)


# The phrases, most specific first: the first rule that gives a date wins.
RULES = [
    (r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b",
     lambda t, m: upcoming(t, int(m[2]), int(m[1]), _full_year(m[3])) if int(m[2]) <= 12 else None),
    (r"\b(\d{1,2})(?:er|st|nd|rd|th)?(?: of)? " + _MONTH + r"(?: (\d{4}))?",
     lambda t, m: upcoming(t, MONTHS[m[2]], int(m[1]), int(m[3]) if m[3] else None)),
    (r"\b" + _MONTH + r" (\d{1,2})(?:st|nd|rd|th)?\b(?:,? (\d{4}))?",
     lambda t, m: upcoming(t, MONTHS[m[1]], int(m[2]), int(m[3]) if m[3] else None)),
    (r"(?<![\d,.])(\d{1,2})[/.](\d{1,2})(?![/\d]|[.,]\d|\s?(?:€|eur))",
     lambda t, m: upcoming(t, int(m[2]), int(m[1])) if int(m[2]) <= 12 else None),
    (r"\bapres[- ]demain\b|\bday after tomorrow\b", lambda t, m: t + timedelta(days=2)),
    (r"\bdemain\b|\btomorrow\b", lambda t, m: t + timedelta(days=1)),
    (r"\b" + _WEEKDAY + r" (?:de la semaine prochaine|next week)\b",
     lambda t, m: friday_of_week(t, 1) - timedelta(days=4 - WEEKDAYS[m[1]])),
    (r"\bsemaine prochaine\b|\bnext week\b", lambda t, m: friday_of_week(t, 1)),
    (r"\bfin (?:de (?:la |cette )?|d')?semaine\b|\bcette semaine\b|\bdans la semaine\b|\bthis week\b|"
     r"\bend of (?:the )?week\b", lambda t, m: friday_of_week(t, 0 if t.weekday() <= 4 else 1)),
    (r"\b(\d{1,2})(?:er)? (?:du|de) (?:ce )?mois prochain\b",
     lambda t, m: upcoming(t, month_after(t)[1], int(m[1]), month_after(t)[0])),
    (r"\b(?:(fin|debut|mi|milieu|courant|end|beginning|early|mid)\W+(?:du |de |d'|of |of the )?)?(?:le )?"
     r"(?:mois prochain|next month)\b", lambda t, m: _relative_month(t, m[1], next_one=True)),
    (r"\b(fin|debut|mi|milieu|end|beginning|early|mid)\W+(?:du |de |de ce |of |of the |this )?(?:mois|month)\b",
     lambda t, m: _relative_month(t, m[1], next_one=False)),
    (r"\bce mois-ci\b|\bthis month\b", lambda t, m: end_of_month(t.year, t.month)),
    (r"\b(fin|debut|mi|milieu|courant|en|end of|beginning of|early|mid|in)\W+" + _MONTH + r"(?: (\d{4}))?",
     lambda t, m: _in_month(t, m[1].split()[0], MONTHS[m[2]], int(m[3]) if m[3] else None)),
    (r"\bnoel\b|\bchristmas\b", lambda t, m: upcoming(t, 12, 24)),
    (r"\bfin (?:d'|de l')annee\b|\bend of (?:the )?year\b", lambda t, m: date(t.year, 12, 31)),
    (r"\b(?:sous|dans|d'ici|within|in)\s+(?:les |un delai de |a )?" + _COUNT +
     r"\s*((?:business |working )?days?|jours?|j\b|semaines?|mois|weeks?|months?|h\b|heures?|hours?)(\s+(?:ouvres|ouvrables))?",
     _offset),
    (r"\b(?:sous|dans la|dans une|under a)\s+(huitaine|quinzaine)\b",
     lambda t, m: t + timedelta(days=8 if m[1] == "huitaine" else 15)),
    (r"\bnext " + _WEEKDAY, lambda t, m: next_weekday(t, WEEKDAYS[m[1]], True)),
    (r"\b(?:(?:ce|this|on|by)\s+)?" + _WEEKDAY + r"(\s+prochain)?", lambda t, m: next_weekday(t, WEEKDAYS[m[1]], bool(m[2]))),
    (r"\b(?:le|au|the)\s+(\d{1,2})(?:er|st|nd|rd|th)?\b" + _NOT_A_DAY, lambda t, m: next_day_of_month(t, int(m[1]))),
    (r"\baujourd'hui\b|\bce (?:jour|soir|matin)\b|\bcet apres-midi\b|\bdans la journee\b|\bd'ici ce soir\b|"
     r"\btoday\b|\btonight\b|\blater today\b", lambda t, m: t),
]
_COMPILED = [(re.compile(pattern), resolve) for pattern, resolve in RULES]


def find_promised_date(text: str, today: date) -> date | None:
    """The first date the text names, by the most specific phrase; None when it names none."""
    folded = fold(text)
    for pattern, resolve in _COMPILED:
        for match in pattern.finditer(folded):
            found = resolve(today, match)
            if found is not None:
                return found
    return None
