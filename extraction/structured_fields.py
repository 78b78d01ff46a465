"""Helpers shared by the CII and UBL readers: namespace-free lookups, values, codes and IDs."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from lxml import etree
from stdnum.fr import siren, siret

from extraction.model import FIELDS, Bill
from extraction.type_codes import kind_of_type_code

# ISO 6523 ICD codes of the French registry: 0002 is SIRENE (SIREN, sometimes a SIRET is
# written there), 0009 is SIRET.
SIREN_SCHEME = "0002"
SIRET_SCHEME = "0009"


@lru_cache(maxsize=256)
def _any_namespace(path: str) -> str:
    # "A/B" becomes "{*}A/{*}B": CII D16B/D22B and ZUGFeRD 1.0 differ only by namespace URIs.
    return "/".join(part if part in (".", "..") else "{*}" + part for part in path.split("/"))


def find(node, path: str):
    """The first element at `path` (local names, any namespace), or None."""
    return None if node is None else node.find(_any_namespace(path))


def find_all(node, path: str) -> list:
    return [] if node is None else node.findall(_any_namespace(path))


def text(node, path: str = ".") -> str | None:
    """The stripped text at `path`, None when absent or empty."""
    element = node if path == "." else find(node, path)
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def local_name(element) -> str:
    return etree.QName(element).localname


def to_decimal(raw: str | None, label: str, warnings: list[str]) -> Decimal | None:
    """The amount exactly as written ("473.00" stays "473.00"); a warning when it is not a number."""
    if raw is None:
        return None
    try:
        value = Decimal(raw.replace(" ", ""))
    except InvalidOperation:
        warnings.append(f"{label}: {raw!r} is not a number")
        return None
    if not value.is_finite():
        warnings.append(f"{label}: {raw!r} is not a finite number")
        return None
    return value


def to_date(raw: str | None, label: str, warnings: list[str], date_format: str | None = None) -> date | None:
    """A date from CII format 102 (yyyymmdd) or ISO 8601 (yyyy-mm-dd, UBL), else a warning."""
    if raw is None:
        return None
    if date_format not in (None, "102"):
        warnings.append(f"{label}: date format {date_format} ({raw!r}) is not a day")
        return None
    match = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*|Z|[+-]\d{2}:\d{2})?", raw.strip())
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    warnings.append(f"{label}: {raw!r} is not a date")
    return None


def kind_for_type_code(type_code: str | None, default: str) -> str:
    """invoice, credit_note or quote from a UNTDID 1001 code; `default` (from the root) otherwise."""
    return kind_of_type_code(type_code) or default


def french_ids(identifiers: list[tuple[str | None, str | None]]) -> tuple[str | None, str | None]:
    """(siren, siret) from (schemeID, value) pairs, most authoritative first.

    A 14-digit value under the SIREN scheme is a SIRET written in the wrong place: it gives the
    SIRET and, from its first nine digits, the SIREN."""
    found_siren = found_siret = None
    for scheme, value in identifiers:
        digits = (value or "").replace(" ", "")
        if scheme not in (SIREN_SCHEME, SIRET_SCHEME) or not digits.isdigit():
            continue
        if len(digits) == 14:
            found_siret = found_siret or digits
            found_siren = found_siren or digits[:9]
        elif len(digits) == 9 and scheme == SIREN_SCHEME:
            found_siren = found_siren or digits
    return found_siren, found_siret


def legal_id_scheme(scheme: str | None, value: str | None, country: str | None) -> str | None:
    """The scheme of a legal registration ID (BT-30), which EN 16931 lets the seller omit.

    A French party's unschemed ID that is a valid SIREN or SIRET (check digit) is read as one."""
    digits = (value or "").replace(" ", "")
    if scheme or country != "FR" or not digits.isdigit():
        return scheme
    if (len(digits) == 9 and siren.is_valid(digits)) or (len(digits) == 14 and siret.is_valid(digits)):
        return SIREN_SCHEME
    return scheme


def join_address(parts: list[str | None]) -> str | None:
    """One line: the non-empty parts joined by commas."""
    kept = [part for part in parts if part]
    return ", ".join(kept) or None


def fill_confidence(bill: Bill) -> None:
    """Structured data is exact: every field found gets 1.0, a missing one stays absent."""
    for name in FIELDS:
        owner, _, attribute = name.rpartition(".")
        holder = getattr(bill, owner) if owner else bill
        value = getattr(holder, attribute)
        if value not in (None, "", []):
            bill.confidence[name] = 1.0


def warn_negative_invoice(bill: Bill) -> None:
    """An invoice code with a negative total is a credit in disguise: say so, keep the signs."""
    total = bill.total_incl_tax if bill.total_incl_tax is not None else bill.amount_due
    if bill.kind == "invoice" and total is not None and total < 0:
        bill.warnings.append(
            f"type code {bill.type_code or 'absent'} says invoice but the total is negative: "
            "probably a credit note; amounts kept as written"
        )
