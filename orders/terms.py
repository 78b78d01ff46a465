"""Payment terms and dates of an order: French and English phrases, written due dates, the legal cap."""

import re
from datetime import date

from gateway.command_text import fold
from gateway.command_values import UnreadableValue, parse_date
from invoicing.payment_terms import MAX_DAYS, PaymentTermsError, legal_cap, parse_terms
from orders.model import OrderProblem

# English phrases and their French equivalent, the one printed on the (French first) invoice.
ENGLISH_TERMS = (
    (re.compile(r"(?:due |payable )?(?:on|upon) receipt|immediate(?:ly)?|cash|due immediately"), "à réception"),
    (re.compile(r"(?:net )?(\d{1,3}) days? (?:end of month|eom)"), "{} jours fin de mois"),
    (re.compile(r"(?:end of month|eom) ?\+? ?(\d{1,3}) days?"), "fin de mois + {} jours"),
    (re.compile(r"net ?(\d{1,3})|(\d{1,3}) days?(?: net)?(?: from invoice(?: date)?)?"), "{} jours"),
)


def french_terms(written: str) -> str:
    """The documented French phrase of an English one; a French phrase is returned as written."""
    folded = " ".join(re.sub(r"[,.;:]", " ", fold(written)).split())
    for pattern, french in ENGLISH_TERMS:
        match = pattern.fullmatch(folded)
        if match:
            days = next((group for group in match.groups() if group), "")
            return french.format(days)
    return written.strip()


def read_terms(written: str, today: date, is_business: bool) -> tuple[str, date | None, list[OrderProblem]]:
    """(phrase, due date written, problems): a date becomes « N jours » counted from today."""
    try:
        due = parse_date(written)
    except UnreadableValue:
        due = None
    if due is not None:
        return _from_due_date(written, due, today, is_business)
    phrase = french_terms(written)
    try:
        terms = parse_terms(phrase)
    except PaymentTermsError:
        return "", None, [OrderProblem(
            "payment_terms", written,
            f"Je ne comprends pas l'échéance « {written} » : écrivez « 30 jours », « 45 jours fin de mois », "
            "« à réception » ou une date (15/01/2027).",
            f"Unreadable payment terms « {written} »: write « 30 days », « 45 days end of month », "
            "« on receipt » or a date (15/01/2027).")]
    return phrase, None, _cap_problems(written, terms.due_date(today), today, is_business)


def _from_due_date(written: str, due: date, today: date, is_business: bool):
    days = (due - today).days
    if days < 0:
        return "", due, [OrderProblem(
            "payment_terms", written, f"L'échéance {due:%d/%m/%Y} est déjà passée : écrivez une date à venir ou un "
            "délai (« 30 jours »).", f"The due date {due.isoformat()} is past: write a future date or a term (« 30 days »).")]
    if days > MAX_DAYS:
        return "", due, [OrderProblem(
            "payment_terms", written, f"L'échéance {due:%d/%m/%Y} est à plus d'un an : vérifiez la date.",
            f"The due date {due.isoformat()} is more than a year away: check it.")]
    phrase = "à réception" if days == 0 else f"{days} jours"
    return phrase, due, _cap_problems(written, due, today, is_business)


def _cap_problems(written: str, due: date, today: date, is_business: bool) -> list[OrderProblem]:
    """Between professionals, art. L441-10 C. com. caps the term: 60 days, or 45 days end of month."""
    cap = legal_cap(today)
    if not is_business or due <= cap:
        return []
    return [OrderProblem(
        "payment_terms", written,
        f"L'échéance « {written} » (le {due:%d/%m/%Y}) dépasse le plafond légal entre professionnels (60 jours après "
        "la facture ou 45 jours fin de mois, art. L441-10 du Code de commerce) : écrivez par exemple « 60 jours » ou "
        "« 45 jours fin de mois ».",
        f"The payment term « {written} » (due {due.isoformat()}) exceeds the legal cap between businesses (60 days "
        "after the invoice or 45 days end of month, art. L441-10 French Commercial Code): write for example "
        "« 60 days » or « 45 days end of month ».")]


def read_order_date(field: str, written: str) -> tuple[date | None, list[OrderProblem]]:
    try:
        return parse_date(written), []
    except UnreadableValue as error:
        return None, [OrderProblem(field, written, f"{error.french} Écrivez par exemple « 15/11/2026 ».",
                                   f"{error.english}; write for example « 2026-11-15 » or « 15/11/2026 ».")]
