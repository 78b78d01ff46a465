"""The value of each correctable field, read from "field: value" and checked, or refused with a reason."""

import re
from collections.abc import Callable
from decimal import Decimal

from schwifty import IBAN
from schwifty.exceptions import InvalidChecksumDigits, SchwiftyException
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import siren, siret, tva

from gateway.command_text import fold
from gateway.command_values import UnreadableValue, parse_amount, parse_date

# The check digits are python-stdnum's (SIREN, SIRET, VAT numbers) and schwifty's (IBAN);
# this module only words the refusals for people.
IDENTIFIERS = {"SIREN": siren, "SIRET": siret}


def read_identifier(digits_wanted: int, label: str) -> Callable[[str], str]:
    """SIREN (9 digits) and SIRET (14): spaces and dots allowed, the Luhn key checked."""
    module = IDENTIFIERS[label]

    def read(text: str) -> str:
        digits = re.sub(r"[\s.\-]", "", text)
        if not re.fullmatch(rf"\d{{{digits_wanted}}}", digits):
            raise UnreadableValue(f"Un {label} a {digits_wanted} chiffres : « {text} » n'en est pas un.",
                                  f"{label} must have {digits_wanted} digits: {text!r}")
        if not module.is_valid(digits):
            raise UnreadableValue(f"La clé du {label} « {text} » ne correspond pas : vérifiez les chiffres.",
                                  f"{label} fails its check digit: {text!r}")
        return digits
    return read


def read_iban(text: str) -> str:
    compact = re.sub(r"[\s\-]", "", text).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        raise UnreadableValue(f"« {text} » n'a pas la forme d'un IBAN (FR76 suivi de 23 caractères pour la France).",
                              f"not an IBAN: {text!r}")
    try:
        return str(IBAN(compact).compact)
    except InvalidChecksumDigits:
        raise UnreadableValue(f"La clé de l'IBAN « {text} » ne correspond pas : vérifiez les caractères.",
                              f"IBAN fails its check digits: {text!r}") from None
    except SchwiftyException:
        raise UnreadableValue(f"« {text} » n'a pas la forme d'un IBAN (FR76 suivi de 23 caractères pour la France).",
                              f"not an IBAN: {text!r}") from None


def read_vat_number(text: str) -> str:
    number = re.sub(r"[\s.\-]", "", text).upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9A-Z]{2,13}", number):
        raise UnreadableValue(f"« {text} » n'a pas la forme d'un numéro de TVA (FR12 345678901).",
                              f"not a VAT number: {text!r}")
    if not number.startswith("FR"):
        return number
    try:
        tva.validate(number)
    except InvalidChecksum:
        raise UnreadableValue(f"La clé du numéro de TVA « {text} » ne correspond pas au SIREN.",
                              f"VAT number key does not match its SIREN: {text!r}") from None
    except ValidationError:
        raise UnreadableValue(f"Un numéro de TVA français s'écrit FR, deux caractères puis le SIREN : « {text} ».",
                              f"not a French VAT number: {text!r}") from None
    return number


def read_account(text: str) -> str:
    account = re.sub(r"\s", "", text).upper()
    if not re.fullmatch(r"\d[0-9A-Z]{0,19}", account):
        raise UnreadableValue(f"« {text} » n'est pas un compte comptable (par exemple 6064 ou 401ACME).",
                              f"not an accounting account: {text!r}")
    return account


def read_currency(text: str) -> str:
    code = {"€": "EUR", "euro": "EUR", "euros": "EUR"}.get(fold(text), text.strip().upper())
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise UnreadableValue(f"« {text} » n'est pas un code de devise (EUR, USD, CHF…).", f"not a currency: {text!r}")
    return code


def read_text(limit: int, label: str) -> Callable[[str], str]:
    def read(text: str) -> str:
        value = " ".join(text.split())
        if not value or len(value) > limit:
            raise UnreadableValue(f"{label} doit faire entre 1 et {limit} caractères.",
                                  f"{label} must have 1 to {limit} characters: {text!r}")
        return value
    return read


def read_rate(text: str) -> Decimal:
    """A VAT rate as in "TVA 20" or "TVA 5,5 %": a percentage strictly between 0 and 100."""
    try:
        rate = Decimal(text.replace(",", ".").replace("%", "").strip())
    except ArithmeticError:
        raise UnreadableValue(f"« {text} » n'est pas un taux de TVA.", f"not a VAT rate: {text!r}") from None
    if not 0 < rate < 100:
        raise UnreadableValue(f"Le taux de TVA « {text} » n'est pas plausible.", f"implausible VAT rate {text!r}")
    # 20 stays 20 (not 2E+1) and 5,50 becomes 5.5.
    return rate.quantize(Decimal(1)) if rate == rate.to_integral_value() else rate.normalize()


READERS: dict[str, Callable[[str], object]] = {
    "total_incl_tax": parse_amount, "total_excl_tax": parse_amount, "total_tax": parse_amount,
    "tax_line": parse_amount,
    "number": read_text(60, "Le numéro de facture"),
    "issue_date": parse_date, "due_date": parse_date,
    "supplier.name": read_text(200, "Le nom du fournisseur"),
    "supplier.siren": read_identifier(9, "SIREN"), "supplier.siret": read_identifier(14, "SIRET"),
    "supplier.vat_number": read_vat_number, "supplier.iban": read_iban,
    "account": read_account, "currency": read_currency,
}
