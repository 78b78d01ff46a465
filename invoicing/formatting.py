"""French and English formatting of amounts, rates, quantities and dates for printed invoices."""

from datetime import date
from decimal import Decimal

from babel.dates import format_date as babel_format_date
from babel.numbers import format_currency, format_decimal

# The printed languages and the Babel locale of each: British English keeps the day before the
# month ("26 November 2026"), which reads naturally beside the French original.
LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def locale_for(language: str) -> str:
    try:
        return LOCALES[language]
    except KeyError:
        raise ValueError(f"Unsupported invoice language {language!r}: expected one of {sorted(LOCALES)}") from None


def format_amount(value: Decimal, language: str = "fr", currency: str = "EUR") -> str:
    """« 1 234,56 € » in French, « €1,234.56 » in English; always two decimals."""
    return format_currency(Decimal(value), currency, locale=locale_for(language))


def format_rate(rate: Decimal, language: str = "fr") -> str:
    """A VAT rate in percent: « 5,5 % » in French (with a no-break space), « 5.5% » in English."""
    number = format_decimal(Decimal(rate), format="#,##0.##", locale=locale_for(language))
    return f"{number}\u00a0%" if language == "fr" else f"{number}%"


def format_quantity(quantity: Decimal, language: str = "fr") -> str:
    """A quantity without trailing zeros: « 2 », « 1,5 », « 0,125 »."""
    return format_decimal(Decimal(quantity), format="#,##0.###", locale=locale_for(language))


def format_long_date(value: date | None, language: str = "fr") -> str:
    """« 26 novembre 2026 » / « 26 November 2026 »; empty for a missing date."""
    if value is None:
        return ""
    return babel_format_date(value, format="long", locale=locale_for(language))


def format_short_date(value: date | None, language: str = "fr") -> str:
    """« 26/11/2026 » in both languages (the French numeric form)."""
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")
