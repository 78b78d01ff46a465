"""The corpus's expected values and how an extracted bill is compared with them, field by field."""

import json
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "invoices"
AMOUNT_FIELDS = ("total_excl_tax", "total_tax", "total_incl_tax", "amount_due")
PLAIN_FIELDS = ("number", "issue_date", "due_date", "currency")
PARTY_FIELDS = {"supplier": ("name", "siren", "siret", "vat_number", "iban"), "buyer": ("name", "vat_number")}


def corpus_files(folder: str, suffixes=(".pdf", ".xml")) -> list[tuple[Path, dict]]:
    """Each file of a corpus folder with its expected JSON (files without one are skipped)."""
    pairs = []
    for path in sorted((CORPUS / folder).iterdir()):
        if path.suffix not in suffixes:
            continue
        expected = path.with_name(path.stem + ".expected.json")
        if expected.exists():
            pairs.append((path, json.loads(expected.read_text(encoding="utf-8"))))
    return pairs


def compare(found: dict, expected: dict) -> dict[str, bool]:
    """Field → right or wrong, for every field the expected JSON states (null means untested)."""
    results = {}
    for name in PLAIN_FIELDS:
        if expected.get(name) is not None:
            results[name] = _text(found.get(name)) == _text(expected[name])
    for name in AMOUNT_FIELDS:
        if expected.get(name) is not None:
            results[name] = _amount(found.get(name)) == _amount(expected[name])
    for party, names in PARTY_FIELDS.items():
        for name in names:
            wanted = (expected.get(party) or {}).get(name)
            if wanted is not None:
                got = (found.get(party) or {}).get(name)
                same = _text if name == "name" else _identifier
                results[f"{party}.{name}"] = same(got) == same(wanted)
    if expected.get("tax_lines"):
        results["tax_lines"] = _tax_lines(found.get("tax_lines") or []) == _tax_lines(expected["tax_lines"])
    return results


def _text(value) -> str | None:
    """Names and identifiers compare without case, accents' composition or spacing differences."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value)).casefold()
    return " ".join(text.replace("\u00a0", " ").split())


def _identifier(value) -> str | None:
    """SIREN, VAT numbers and IBANs are the same whatever their grouping: FR 05 987… = FR05987…"""
    return None if value is None else "".join(c for c in str(value).upper() if c.isalnum())


def _amount(value) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value)).normalize()
    except InvalidOperation:
        return None


def _tax_lines(lines: list[dict]) -> list[tuple]:
    return sorted((_amount(line.get("rate")), _amount(line.get("base")), _amount(line.get("amount"))) for line in lines)
