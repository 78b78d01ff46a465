"""Field readers of the request JSON: each returns a typed value or raises RequestError naming the field."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from stdnum.eu import vat as eu_vat
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret

# VAT number prefixes that python-stdnum can check (EU members, EL for Greece, XI for Northern Ireland).
CHECKED_VAT_PREFIXES = frozenset(code.upper() for code in eu_vat.MEMBER_STATES) | {"EL"}


class RequestError(ValueError):
    """The request is unusable; the message names the field and says what is expected."""


def text(data: dict, key: str, where: str, *, required: bool = False, default: str = "") -> str:
    value = data.get(key, default)
    if value is None:
        value = default
    if not isinstance(value, str):
        raise RequestError(f"{where}{key}: expected text, got {value!r}")
    if required and not value.strip():
        raise RequestError(f"{where}{key} is required / champ obligatoire")
    return value.strip()


def lines_of_text(data: dict, key: str, where: str) -> tuple[str, ...]:
    """An address: a list of lines, or one text whose lines are separated by newlines."""
    value = data.get(key) or []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RequestError(f"{where}{key}: expected a list of address lines")
    return tuple(item.strip() for item in value if item.strip())


def decimal(value: object, field: str, *, places: int = 6) -> Decimal:
    """An amount or quantity: a decimal string (« 12.50 » or « 12,50 ») or a JSON number, never a float's noise."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise RequestError(f"{field}: expected a decimal number as text, got {value!r}")
    raw = re.sub(r"[\s\u00a0\u202f]", "", str(value)).replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise RequestError(f"{field}: {value!r} is not a number") from None
    if not number.is_finite():
        raise RequestError(f"{field}: {value!r} is not a finite number")
    if -number.as_tuple().exponent > places:
        raise RequestError(f"{field}: {value!r} has more than {places} decimals")
    return number


def iso_date(value: object, field: str) -> date:
    if not isinstance(value, str):
        raise RequestError(f"{field}: expected a date as YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise RequestError(f"{field}: {value!r} is not a valid date (YYYY-MM-DD)") from None


def choice(data: dict, key: str, allowed: tuple[str, ...], where: str, default: str | None = None) -> str | None:
    value = data.get(key, default)
    if value is None:
        return None
    if value not in allowed:
        raise RequestError(f"{where}{key}: unknown value {value!r}; expected one of {', '.join(allowed)}")
    return value


def country(data: dict, where: str) -> str:
    value = text(data, "country", where, default="FR").upper() or "FR"
    if not re.fullmatch(r"[A-Z]{2}", value):
        raise RequestError(f"{where}country: expected an ISO 3166 alpha-2 code such as FR or DE, got {value!r}")
    return value


def siren(data: dict, where: str) -> str:
    value = re.sub(r"\s", "", text(data, "siren", where))
    if value and not fr_siren.is_valid(value):
        raise RequestError(f"{where}siren: {value!r} is not a valid SIREN (9 digits, Luhn checksum)")
    return value


def siret(data: dict, where: str, siren_value: str) -> str:
    value = re.sub(r"\s", "", text(data, "siret", where))
    if value and not fr_siret.is_valid(value):
        raise RequestError(f"{where}siret: {value!r} is not a valid SIRET (14 digits, Luhn checksum)")
    if value and siren_value and not value.startswith(siren_value):
        raise RequestError(f"{where}siret: {value!r} does not start with the SIREN {siren_value!r}")
    return value


def vat_number(data: dict, where: str) -> str:
    value = re.sub(r"[\s.\-]", "", text(data, "vat_number", where)).upper()
    if value and value[:2] in CHECKED_VAT_PREFIXES and not eu_vat.is_valid(value):
        raise RequestError(f"{where}vat_number: {value!r} is not a valid EU VAT number")
    if value and not re.fullmatch(r"[A-Z]{2}[A-Z0-9]{2,13}", value):
        raise RequestError(f"{where}vat_number: {value!r} must start with its country code (e.g. DE123456789)")
    return value


def boolean(data: dict, key: str, where: str) -> bool | None:
    value = data.get(key)
    if value is not None and not isinstance(value, bool):
        raise RequestError(f"{where}{key}: expected true or false, got {value!r}")
    return value


def reject_unknown(data: dict, known: set[str], where: str) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        expected = ", ".join(sorted(known))
        raise RequestError(f"{where or 'request: '}unknown field(s) {', '.join(unknown)}; expected some of {expected}")
