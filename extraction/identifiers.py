"""Company and bank identifiers in text: SIREN, SIRET, VAT numbers, IBAN, BIC, with their check digits."""

import re
from dataclasses import dataclass

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.eu import vat
from stdnum.fr import siren, siret

_VAT = re.compile(
    r"(?<![A-Z0-9])(?:"
    r"FR[ .]?[0-9A-Z]{2}(?:[ .]?\d){9}"
    r"|NL(?:[ .]?\d){9}[ .]?B[ .]?\d{2}"
    r"|(?:AT[ ]?U|BE[ ]?0?|DE|DK|EE|EL|ES[ ]?[0-9A-Z]|FI|GB|HR|HU|IE|IT|LT|LU|LV|MT|PL|PT|RO|SE|SI|SK|CY|CZ|BG)"
    r"(?:[ .]?\d){7,12}[A-Z]?"
    r")(?![0-9A-Za-z])"
)
_OCR_DIGITS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_COMPANY_NUMBER = re.compile(r"(?<![\d])(\d{3}[ .]?\d{3}[ .]?\d{3}(?:[ .]?\d{5})?)(?![\d])")
_COMPANY_LABEL = re.compile(r"(?<![a-z])(?:siren|siret|r\.?\s?c\.?\s?s\.?|rsc|registre)(?![a-z])")
# The check digits may come out of OCR as letters (« NLSO » for « NL50 »): repaired before checking.
_IBAN = re.compile(r"(?<![A-Z0-9])([A-Z]{2}[0-9OSIB]{2}(?:[ ]?[A-Z0-9]{1,4}){2,8})(?![A-Z0-9])")
_CHECK_DIGITS = str.maketrans({"O": "0", "S": "5", "I": "1", "B": "8"})
_IBAN_LABEL = re.compile(r"(?<![a-z])iban(?![a-z])")
_BIC = re.compile(r"(?<![A-Za-z0-9])([A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)(?![A-Za-z0-9])")
_BIC_LABEL = re.compile(r"(?<![a-z])(?:bic|swift)(?![a-z])")


@dataclass(frozen=True)
class Identifier:
    """One identifier found in a line: kind, compact value, offsets, check digits right or not."""

    kind: str  # "vat", "siren", "siret", "iban", "bic"
    value: str
    start: int
    end: int
    valid: bool


def compact(text: str) -> str:
    return re.sub(r"[ .\-\u00a0]", "", text).upper()


def find_identifiers(text: str, folded: str) -> list[Identifier]:
    """Every identifier on one line; `folded` is the same line folded (see text_lines.fold)."""
    candidates = (_iban_numbers(text, folded) + _vat_numbers(text) + _bic_codes(text, folded)
                  + _company_numbers(text, folded))
    # Where two readings overlap (« DE34 7007 0010 … » is an IBAN, not a VAT number), the checked
    # one wins, then the longer.
    found: list[Identifier] = []
    for item in sorted(candidates, key=lambda item: (not item.valid, item.start - item.end)):
        if not any(other.start < item.end and item.start < other.end for other in found):
            found.append(item)
    return sorted(found, key=lambda item: item.start)


def _vat_numbers(text: str) -> list[Identifier]:
    found = []
    for match in _VAT.finditer(text):
        value = compact(match[0])
        if not vat.is_valid(value):
            # OCR reads 0 as O and 1 as I in the number part; keep the repair only if it checks out.
            repaired = value[:2] + value[2:].translate(_OCR_DIGITS)
            value = repaired if vat.is_valid(repaired) else value
        found.append(Identifier("vat", value, match.start(), match.end(), vat.is_valid(value)))
    return found


def _company_numbers(text: str, folded: str) -> list[Identifier]:
    """SIREN (9 digits) and SIRET (14) after a SIREN, SIRET or RCS label on the same line."""
    label = _COMPANY_LABEL.search(folded)
    if not label:
        return []
    found = []
    for match in _COMPANY_NUMBER.finditer(text, label.end()):
        digits = compact(match[1])
        if len(digits) == 14:
            found.append(Identifier("siret", digits, match.start(), match.end(), siret.is_valid(digits)))
        else:
            found.append(Identifier("siren", digits, match.start(), match.end(), siren.is_valid(digits)))
    return found


def _iban_numbers(text: str, folded: str) -> list[Identifier]:
    labelled = _IBAN_LABEL.search(folded) is not None
    found = []
    for match in _IBAN.finditer(text):
        value = _checked_iban(match[1])
        if value:
            found.append(Identifier("iban", value, match.start(), match.end(), True))
            continue
        # Unchecked, kept only after an « IBAN » label, without a trailing word (« … 698 BIC »).
        groups = match[1].split()
        while len(groups) > 1 and groups[-1].isalpha():
            groups.pop()
        value = compact(" ".join(groups))
        if labelled and len(value) >= 14 and value[2:4].isdigit() and not _VAT.fullmatch(match[1]):
            found.append(Identifier("iban", value, match.start(), match.end(), False))
    return found


def _checked_iban(written: str) -> str | None:
    """The longest run of the written groups that is a valid IBAN (text may follow it on the line)."""
    groups = written.split()
    for count in range(len(groups), 0, -1):
        value = compact(" ".join(groups[:count]))
        value = value[:2] + value[2:4].translate(_CHECK_DIGITS) + value[4:]
        if len(value) >= 14 and _is_iban(value):
            return value
    return None


def _is_iban(value: str) -> bool:
    try:
        IBAN(value)
    except (SchwiftyException, ValueError):
        return False
    return True


def _bic_codes(text: str, folded: str) -> list[Identifier]:
    label = _BIC_LABEL.search(folded)
    if not label:
        return []
    match = _BIC.search(text, label.end())
    if not match:
        return []
    try:
        BIC(match[1])
    except (SchwiftyException, ValueError):
        return []
    return [Identifier("bic", match[1], match.start(), match.end(), True)]


def siren_of_vat(number: str) -> str | None:
    """The SIREN inside a French VAT number (FR + 2 key characters + SIREN)."""
    if number.startswith("FR") and len(number) == 13 and number[4:].isdigit():
        return number[4:]
    return None


_VAT_HEAD = re.compile(r"(?<![A-Z0-9])FR[ .]?[0-9A-Z]{2}(?:[ .]?\d){0,8}\s*$")
_DIGITS_HEAD = re.compile(r"^\s*(\d(?:[ .]?\d){0,8})(?![\d])")


def wrapped_vat(line_text: str, next_text: str) -> Identifier | None:
    """A French VAT number cut by a line wrap (« … TVA : FR35 » / « 822636767 »), kept when it checks out.

    Offsets are those of its first part on the first line.
    """
    head = _VAT_HEAD.search(line_text)
    tail = _DIGITS_HEAD.match(next_text)
    if not head or not tail:
        return None
    value = compact(head[0] + tail[1])
    if len(value) != 13 or not vat.is_valid(value):
        return None
    return Identifier("vat", value, head.start(), len(line_text.rstrip()), True)
