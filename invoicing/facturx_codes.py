"""Code lists Factur-X needs that the Document leaves as words: units, note subjects, BT-23."""

import re

from invoicing.document import Document

# UN/ECE Recommendation 20 codes of the units small businesses invoice in, by the words and
# abbreviations people write in French or English. Anything else counts as a unit (C62).
UNIT_CODES = {
    "C62": ("", "u", "un", "unit", "units", "unité", "unités", "pièce", "pièces", "pce", "pcs", "piece", "pieces", "ex", "exemplaire", "exemplaires"),
    "LS": ("forfait", "forfaits", "lump sum", "flat fee"),
    "HUR": ("h", "heure", "heures", "hour", "hours", "hr", "hrs"),
    "MIN": ("min", "minute", "minutes"),
    "DAY": ("j", "jour", "jours", "day", "days", "journée", "journées"),
    "WEE": ("semaine", "semaines", "week", "weeks"),
    "MON": ("mois", "month", "months"),
    "ANN": ("an", "ans", "année", "années", "year", "years"),
    "KGM": ("kg", "kilogramme", "kilogrammes", "kilogram", "kilograms"),
    "GRM": ("g", "gramme", "grammes", "gram", "grams"),
    "MTR": ("m", "mètre", "mètres", "metre", "metres", "meter", "meters", "ml"),
    "MTK": ("m2", "m²", "mètre carré", "mètres carrés", "square metre", "square metres"),
    "MTQ": ("m3", "m³", "mètre cube", "mètres cubes", "cubic metre", "cubic metres"),
    "LTR": ("l", "litre", "litres", "liter", "liters"),
    "KWH": ("kwh",),
}
UNIT_BY_WORD = {word: code for code, words in UNIT_CODES.items() for word in words}

# UNTDID 4451 subjects of the notes that French rules require (BR-FR-05): late-payment
# penalties (PMD), the fixed recovery indemnity (PMT) and the early-payment discount (AAB).
# The indemnity wording also names "paiement"/"retard", so it is tested first.
NOTE_SUBJECTS = (
    ("PMT", re.compile(r"indemnit|recouvrement|recovery", re.IGNORECASE)),
    ("PMD", re.compile(r"pénalit|penalt|retard de paiement|late payment|intérêts? de retard", re.IGNORECASE)),
    ("AAB", re.compile(r"escompte|discount", re.IGNORECASE)),
)

# BT-23 when the Document does not name it: the French e-invoicing framework's codes for a
# plain invoice of goods (B1), services (S1) or both (M1).
DEFAULT_BUSINESS_PROCESS = {"goods": "B1", "services": "S1", "mixed": "M1"}


def unit_code(unit: str) -> str:
    """The Recommendation 20 code of a unit as written ("heure" → HUR); already a code stays one."""
    word = unit.strip().lower().rstrip(".")
    if word in UNIT_BY_WORD:
        return UNIT_BY_WORD[word]
    if unit.strip().upper() in UNIT_CODES:
        return unit.strip().upper()
    return "C62"


def note_subject_code(content: str) -> str:
    """The UNTDID 4451 subject of a mention, or "" when it is none of the coded ones."""
    for code, pattern in NOTE_SUBJECTS:
        if pattern.search(content):
            return code
    return ""


def business_process(document: Document) -> str:
    """BT-23: the code H6's computation chose (field or extra), else one derived from the operation."""
    chosen = getattr(document, "business_process", "") or document.extra.get("business_process", "")
    return chosen or DEFAULT_BUSINESS_PROCESS.get(document.operation, "S1")
