"""The text rules on OCR output: render PDFs to images, run tesseract, read the words as source "ocr".

A development aid for the visual reader's OCR tolerance (the product's OCR module is another one).
Usage: .venv/bin/python benchmarks/text_ocr_dev.py FILE.pdf [...]
"""

import csv
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extraction.model import Page, TextDocument, Word  # noqa: E402
from extraction.text_rules import read_bill  # noqa: E402

DPI = 200


def ocr_document(pdf: Path, language: str = "fra+eng") -> TextDocument:
    pages = []
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), f"{folder}/page"], check=True)
        for number, image in enumerate(sorted(Path(folder).glob("page*.png")), start=1):
            tsv = subprocess.run(
                ["tesseract", str(image), "-", "-l", language, "tsv"],
                check=True, capture_output=True, text=True, env={"OMP_THREAD_LIMIT": "1"},
            ).stdout
            pages.append(_page(number, tsv))
    return TextDocument(pages=pages, source="ocr")


def _page(number: int, tsv: str) -> Page:
    scale = 72 / DPI
    words, width, height = [], 0.0, 0.0
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row["level"] == "1":
            width, height = int(row["width"]) * scale, int(row["height"]) * scale
        text = (row.get("text") or "").strip()
        if row["level"] != "5" or not text:
            continue
        left, top = int(row["left"]) * scale, int(row["top"]) * scale
        x1, y1 = left + int(row["width"]) * scale, top + int(row["height"]) * scale
        words.append(Word(text, left, top, x1, y1, confidence=max(float(row["conf"]), 0) / 100))
    return Page(number=number, width=width, height=height, words=words)


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        bill = read_bill(ocr_document(Path(argument)), Path(argument).name)
        data = bill.to_json()
        print(json.dumps({key: data[key] for key in (
            "number", "issue_date", "due_date", "total_excl_tax", "total_tax", "total_incl_tax", "amount_due",
            "tax_lines", "supplier", "buyer", "confidence")}, ensure_ascii=False, indent=1))
