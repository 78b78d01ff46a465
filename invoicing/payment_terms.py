"""Payment-term phrases (« 30 jours fin de mois »…), the due date they give, and the L441-10 caps.

The rule, written down in docs/invoicing-rules.md:
- « à réception » (also « comptant », « paiement à réception »): due on the issue date;
- « N jours » (also « N jours net », « N jours date de facture »): issue date + N days;
- « N jours fin de mois »: issue date + N days, then the last day of that month;
- « fin de mois N jours » / « fin de mois + N jours »: last day of the issue month, then + N days.
Between professionals, a due date later than every accepted reading of the caps of art. L441-10
C. com. (60 days after issue, or 45 days end of month, either reading) gets a warning.
"""

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

# Longest term accepted at all: beyond a year the phrase is surely a typing mistake.
MAX_DAYS = 365


class PaymentTermsError(ValueError):
    """A payment-term phrase that is not one of the documented forms."""


@dataclass(frozen=True)
class PaymentTerms:
    phrase: str
    days: int = 0
    # "none": N days; "after": N days then end of month; "before": end of month then N days.
    end_of_month: str = "none"

    def due_date(self, issue_date: date) -> date:
        if self.end_of_month == "after":
            return end_of_month(issue_date + timedelta(days=self.days))
        if self.end_of_month == "before":
            return end_of_month(issue_date) + timedelta(days=self.days)
        return issue_date + timedelta(days=self.days)


PATTERNS = (
    (re.compile(r"(paiement )?(a|des) reception( de (la )?facture)?|comptant|immediat"), "receipt"),
    (re.compile(r"(\d{1,3}) ?(jours|j)( net| nets| date de facture| a compter de la facture)?"), "none"),
    (re.compile(r"(\d{1,3}) ?(jours|j) fin de mois"), "after"),
    (re.compile(r"fin de mois ?\+? ?(\d{1,3}) ?(jours|j)"), "before"),
)


def parse_terms(phrase: str) -> PaymentTerms:
    """Read one documented phrase; anything else raises PaymentTermsError naming the forms."""
    normalized = _normalize(phrase)
    for pattern, kind in PATTERNS:
        match = pattern.fullmatch(normalized)
        if not match:
            continue
        if kind == "receipt":
            return PaymentTerms(phrase=phrase.strip(), days=0)
        days = int(next(group for group in match.groups() if group and group.isdigit()))
        if days > MAX_DAYS:
            raise PaymentTermsError(f"payment terms {phrase!r}: {days} days is more than {MAX_DAYS}")
        return PaymentTerms(phrase=phrase.strip(), days=days, end_of_month=kind)
    raise PaymentTermsError(
        f"unknown payment terms {phrase!r}: use « à réception », « N jours », « N jours fin de mois » "
        "or « fin de mois + N jours » (e.g. « 30 jours », « 45 jours fin de mois »)"
    )


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def legal_cap(issue_date: date) -> date:
    """The latest due date any accepted reading of art. L441-10 C. com. allows."""
    readings = (
        issue_date + timedelta(days=60),
        end_of_month(issue_date + timedelta(days=45)),
        end_of_month(issue_date) + timedelta(days=45),
    )
    return max(readings)


def cap_warning(issue_date: date, due_date: date) -> str:
    """A warning when the due date is beyond the caps; empty when it is within them."""
    cap = legal_cap(issue_date)
    if due_date <= cap:
        return ""
    return (
        f"Payment terms exceed the legal caps of art. L441-10 C. com. (60 days after issue, or 45 days end "
        f"of month): due {due_date.isoformat()}, latest allowed {cap.isoformat()}. / Délai de paiement "
        f"supérieur aux plafonds de l'art. L441-10 du Code de commerce."
    )


def _normalize(phrase: str) -> str:
    """Lower case, no accents, single spaces: « À  Réception » and « a reception » read the same."""
    text = unicodedata.normalize("NFKD", str(phrase)).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[\s,.;:]+", " ", text.lower()).strip()
    return text.replace("jours fdm", "jours fin de mois").replace("j fdm", "j fin de mois")
