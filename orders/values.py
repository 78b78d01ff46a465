"""Numbers, rates, units and natures as salespeople write them in an order, read exactly or refused."""

import re
from decimal import Decimal

from gateway.command_text import fold
from gateway.command_values import UnreadableValue, parse_amount

# A number as written: « 1 200,00 », « 1.200,00 », « 1,200.00 », « 12.50 », « 85 ». Whether it
# reads one way only is parse_amount's decision (it refuses « 1.234 », thousands or decimals).
NUMBER = r"\d+(?:[ '\u2019]\d{3}(?!\d))*(?:[.,]\d+)*"
# Spaces that mail clients and spreadsheets put in numbers and after labels.
ODD_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\t": " "})

UNITS = {
    **dict.fromkeys(("h", "heure", "heures", "hour", "hours", "hr", "hrs"), "h"),
    **dict.fromkeys(("j", "jour", "jours", "journee", "journees", "day", "days"), "jour"),
    **dict.fromkeys(("demi-journee", "demi-journees", "half-day", "half-days"), "demi-journée"),
    **dict.fromkeys(("forfait", "forfaits", "flat-fee"), "forfait"),
    **dict.fromkeys(("mois", "month", "months"), "mois"),
    **dict.fromkeys(("semaine", "semaines", "week", "weeks"), "semaine"),
    **dict.fromkeys(("lot", "lots"), "lot"),
    **dict.fromkeys(("kg", "g", "t", "l", "m", "m2", "m²", "m3", "ml", "km"), None),
    **dict.fromkeys(("piece", "pieces", "pce", "pces", "pc", "pcs", "unite", "unites", "unit", "units", "u"), ""),
}
UNIT_WORDS = r"(?:demi-journ[ée]es?|half-days?|heures?|hours?|hrs?|h|jours?|journ[ée]es?|days?|j|forfaits?|mois|months?" \
             r"|semaines?|weeks?|lots?|kg|g|t|l|m²|m2|m3|ml|km|m|pi[èe]ces?|pces?|pcs?|unit[ée]s?|units?|u)"

GOODS, SERVICES = "goods", "services"
NATURE_WORDS = {
    **dict.fromkeys(("bien", "biens", "marchandise", "marchandises", "goods", "produit", "produits",
                     "product", "products", "materiel", "livraison de biens"), GOODS),
    **dict.fromkeys(("service", "services", "prestation", "prestations", "prestation de services"), SERVICES),
    **dict.fromkeys(("mixte", "mixed", "biens et services", "goods and services"), "mixed"),
}
# Words of a description that tell a service or a good when the order does not say (docs/orders.md).
SERVICE_HINTS = ("audit", "conseil", "consulting", "formation", "training", "developpement", "development",
                 "prestation", "installation", "maintenance", "assistance", "support", "mission", "etude",
                 "conception", "accompagnement", "coaching", "redaction", "traduction", "translation",
                 "abonnement", "subscription", "hebergement", "hosting", "service", "main d'oeuvre", "labour")
GOODS_HINTS = ("materiel", "marchandise", "produit", "product", "fourniture", "equipement", "equipment",
               "piece detachee", "spare part", "hardware", "goods", "meuble", "furniture")


class ValueProblem(ValueError):
    """A value that cannot be read; `french` goes to the salesperson, `english` too."""

    def __init__(self, french: str, english: str):
        super().__init__(english)
        self.french = french
        self.english = english


def read_number(text: str) -> Decimal:
    """A quantity, price or amount; ambiguous groupings (« 1.234 ») are refused with a reason."""
    try:
        return parse_amount(text.translate(ODD_SPACES))
    except UnreadableValue as error:
        raise ValueProblem(error.french, error.english) from None


def read_quantity(text: str) -> Decimal:
    """A quantity without useless zeros: « 3 », « 1,5 » (up to the cent, like amounts)."""
    return plain(read_number(text))


def read_rate(text: str) -> Decimal:
    """« 20 », « 5,5 %», « 5.5 »: the rate as a percentage."""
    cleaned = fold(text).replace("%", "").replace(",", ".").strip()
    if not re.fullmatch(r"\d{1,2}(?:\.\d{1,2})?", cleaned):
        raise ValueProblem(f"« {text.strip()} » n'est pas un taux de TVA (écrivez par exemple « TVA 20 % »).",
                           f"{text.strip()!r} is not a VAT rate (write for example « VAT 20% »)")
    return plain(Decimal(cleaned))


def plain(number: Decimal) -> Decimal:
    """« 3.00 » → 3, « 1.50 » → 1.5, never an exponent (« 1E+1 »)."""
    normalized = number.normalize()
    return normalized.quantize(Decimal(1)) if normalized == normalized.to_integral() else normalized


def read_unit(word: str) -> str:
    """The printed unit of a unit word; a measure (« kg ») is kept as written."""
    folded = fold(word).rstrip(".")
    canonical = UNITS.get(folded, "")
    return word.strip().rstrip(".") if canonical is None else canonical


def read_nature(text: str) -> str | None:
    """« biens », « services », « mixte » and their English words; None when the text is none of them."""
    return NATURE_WORDS.get(fold(text).strip(" ()[].:"))


def guess_nature(description: str, unit: str) -> str | None:
    """Goods or services from the description's words and the unit; None when nothing tells."""
    folded = fold(description)
    services = unit in ("h", "jour", "demi-journée", "mois", "semaine") or _mentions(folded, SERVICE_HINTS)
    goods = _mentions(folded, GOODS_HINTS)
    if services != goods:
        return SERVICES if services else GOODS
    return None


def _mentions(folded: str, hints: tuple[str, ...]) -> bool:
    # A hint counts at the start of a word: « audits » is an audit, « inaudit » is none.
    return any(re.search(rf"\b{re.escape(hint)}", folded) for hint in hints)
