"""Prints how the classifier labels every corpus PDF, from plain text and from positioned words, and the score."""

import json
import sys
import time
from pathlib import Path

import pypdfium2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extraction.classify import classify, classify_document  # noqa: E402
from extraction.pdf_text import read_pdf_text  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "invoices"
EXPECTED = {"380": "invoice", "381": "credit_note"}


def plain_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        return "\f".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def main() -> None:
    right = total = 0
    started = time.perf_counter()
    for path in sorted([*(CORPUS / "facturx").glob("*.pdf"), *(CORPUS / "pdf-text").glob("*.pdf")]):
        data = path.read_bytes()
        wanted = EXPECTED.get(json.loads(path.with_suffix(".expected.json").read_text()).get("type_code"), "invoice")
        kinds = (classify(plain_text(data)), classify_document(read_pdf_text(data)))
        total += 2
        right += sum(kind == wanted for kind in kinds)
        print(f"{path.parent.name}/{path.name}: text={kinds[0]} positioned={kinds[1]} (expected {wanted})")
    print(f"{right}/{total} right in {time.perf_counter() - started:.2f} s (text extraction included)")


if __name__ == "__main__":
    main()
