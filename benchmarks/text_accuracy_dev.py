"""Per-field accuracy and confidence calibration of the visual (text) reader on the corpus PDFs.

Usage: .venv/bin/python benchmarks/text_accuracy_dev.py [-v]
"""

import json
import re
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extraction.pdf_text import read_pdf_text  # noqa: E402
from extraction.text_rules import read_bill  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "invoices"
FIELDS = (
    "number", "issue_date", "due_date", "currency", "total_excl_tax", "total_tax", "total_incl_tax",
    "amount_due", "supplier.name", "supplier.siren", "supplier.siret", "supplier.vat_number",
    "supplier.iban", "buyer.name", "buyer.vat_number",
)
AMOUNTS = ("total_excl_tax", "total_tax", "total_incl_tax", "amount_due")


def corpus_files() -> list[Path]:
    return sorted((CORPUS / "facturx").glob("*.pdf")) + sorted((CORPUS / "pdf-text").glob("*.pdf"))


def expected_value(expected: dict, name: str):
    if "." in name:
        party, key = name.split(".")
        return (expected.get(party) or {}).get(key)
    return expected.get(name)


def same(name: str, got, want) -> bool:
    if got is None:
        return False
    if name in AMOUNTS:
        return Decimal(str(got)) == Decimal(str(want))
    if name.endswith(("vat_number", "iban", "siren", "siret")):
        return re.sub(r"\s", "", str(got)).upper() == re.sub(r"\s", "", str(want)).upper()
    if name.endswith("name"):
        return str(got).strip().lower() == str(want).strip().lower()
    return str(got) == str(want)


def _tax_key(line: dict) -> tuple:
    return tuple(Decimal(line[key]) if line[key] is not None else None for key in ("rate", "base", "amount"))


def measure(verbose: bool = False) -> dict:
    """{field: [(right, confidence or None, file)]} over the corpus."""
    results = defaultdict(list)
    for path in corpus_files():
        expected = json.loads(path.with_suffix(".expected.json").read_text())
        started = time.perf_counter()
        document = read_pdf_text(path.read_bytes())
        bill = read_bill(document, path.name)
        elapsed = (time.perf_counter() - started) * 1000
        got_json = bill.to_json()
        if verbose:
            print(f"-- {path.name} ({len(document.pages)} p, {elapsed:.1f} ms)")
        if expected.get("tax_lines"):
            want_taxes = sorted(_tax_key(line) for line in expected["tax_lines"])
            got_taxes = sorted(_tax_key(line) for line in got_json["tax_lines"])
            right = want_taxes == got_taxes
            results["tax_lines"].append((right, bill.confidence.get("tax_lines") if got_taxes else None, path.name))
            if verbose and not right:
                print(f"   tax_lines: got {got_taxes} want {want_taxes}")
        for name in FIELDS:
            want = expected_value(expected, name)
            if want is None:
                continue
            got = expected_value(got_json, name)
            right = same(name, got, want)
            results[name].append((right, bill.confidence.get(name) if got is not None else None, path.name))
            if verbose and not right:
                print(f"   {name}: got {got!r} want {want!r} conf {bill.confidence.get(name)}")
    return results


def report(results: dict) -> None:
    print(f"{'field':22} {'right':>7} {'acc':>6}")
    buckets = defaultdict(lambda: [0, 0])
    for name in FIELDS + ("tax_lines",):
        rows = results.get(name, [])
        if not rows:
            continue
        right = sum(1 for ok, _, _ in rows if ok)
        print(f"{name:22} {right:>3}/{len(rows):<3} {right / len(rows):6.0%}")
        for ok, confidence, _ in rows:
            if confidence is None:
                continue
            bucket = "≥0.9" if confidence >= 0.9 else "0.5–0.9" if confidence >= 0.5 else "<0.5"
            buckets[bucket][0 if ok else 1] += 1
    print("\nconfidence bucket    right  wrong")
    for bucket in ("≥0.9", "0.5–0.9", "<0.5"):
        right, wrong = buckets[bucket]
        print(f"{bucket:18} {right:>7} {wrong:>6}")


if __name__ == "__main__":
    report(measure(verbose="-v" in sys.argv))
