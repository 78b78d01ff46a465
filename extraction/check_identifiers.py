"""Checks of the parties' identifiers: SIREN and SIRET keys, VAT numbers, IBAN and BIC."""

import re

from schwifty import BIC, IBAN
from schwifty.exceptions import InvalidChecksumDigits, SchwiftyException
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.eu import vat as eu_vat
from stdnum.fr import siren as siren_module
from stdnum.fr import siret as siret_module
from stdnum.fr import tva

from extraction.model import Party
from extraction.problem import Problem

# The prefixes stdnum.eu.vat knows; Greece writes EL and Northern Ireland XI on their numbers.
EU_PREFIXES = {code.upper() for code in eu_vat.MEMBER_STATES} | {"EL"}


def check_party(party: Party, role: str) -> list[Problem]:
    """Every identifier the party carries, checked on its own and against the others."""
    siren = _digits(party.siren)
    siret = _digits(party.siret)
    problems = _check_siren(siren, role) + _check_siret(siret, siren, role)
    problems += _check_vat(party.vat_number, siren or (siret[:9] if siret else None), role)
    problems += _check_iban(party.iban, role) + _check_bic(party.bic, role)
    return problems


def _digits(value: str | None) -> str | None:
    return re.sub(r"[\s.\-]", "", value) if value else None


def _check_siren(siren: str | None, role: str) -> list[Problem]:
    reason = siren and _failure(siren_module.validate, siren)
    if not reason:
        return []
    return [Problem("invalid_siren", f"{role}.siren", f"SIREN {siren} fails its {reason} check (9 digits, Luhn)",
                    {"value": siren, "reason": reason})]


def _check_siret(siret: str | None, siren: str | None, role: str) -> list[Problem]:
    if siret is None:
        return []
    reason = _failure(siret_module.validate, siret)
    if reason:
        return [Problem("invalid_siret", f"{role}.siret", f"SIRET {siret} fails its {reason} check (14 digits, Luhn)",
                        {"value": siret, "reason": reason})]
    if siren and siret[:9] != siren:
        return [Problem("siret_siren_mismatch", f"{role}.siret",
                        f"SIRET {siret} does not start with the SIREN {siren}", {"value": siret, "siren": siren})]
    return []


def _check_vat(number: str | None, siren: str | None, role: str) -> list[Problem]:
    if not number:
        return []
    compact = re.sub(r"[\s.\-/]", "", number).upper()
    field = f"{role}.vat_number"
    if compact.startswith("FR"):
        reason = _failure(tva.validate, compact)
        if reason:
            return [Problem("invalid_vat_number", field, f"French VAT number {compact} fails its {reason} check "
                            "(FR + key + SIREN)", {"value": compact, "reason": reason})]
        if siren and compact[4:] != siren and compact[4:7] != "000":
            return [Problem("vat_siren_mismatch", field, f"VAT number {compact} does not embed the SIREN {siren}",
                            {"value": compact, "siren": siren})]
        return []
    if compact[:2] in EU_PREFIXES:
        reason = _failure(eu_vat.validate, compact)
        if reason:
            return [Problem("invalid_vat_number", field, f"VAT number {compact} fails its country's {reason} check",
                            {"value": compact, "reason": reason})]
    return []


def _failure(validate, number: str) -> str | None:
    """None when valid, else "checksum" (a wrong key: a misread digit) or "format" (length, characters)."""
    try:
        validate(number)
    except InvalidChecksum:
        return "checksum"
    except ValidationError:
        return "format"
    return None


def _check_iban(iban: str | None, role: str) -> list[Problem]:
    if not iban:
        return []
    try:
        IBAN(iban)
    except SchwiftyException as error:
        reason = "checksum" if isinstance(error, InvalidChecksumDigits) else "format"
        return [Problem("invalid_iban", f"{role}.iban", f"IBAN {iban} is not valid ({error})",
                        {"value": iban, "reason": reason})]
    return []


def _check_bic(bic: str | None, role: str) -> list[Problem]:
    if not bic:
        return []
    try:
        BIC(bic)
    except SchwiftyException as error:
        return [Problem("invalid_bic", f"{role}.bic", f"BIC {bic} is not valid ({error})", {"value": bic})]
    return []
