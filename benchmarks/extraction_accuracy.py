"""Extraction accuracy on invoices nobody here wrote: per field and per path, time per page, calibration.

Paths: "xml" (Factur-X embedded XML and standalone CII/UBL), "visual" (the same Factur-X PDFs and
the ordinary PDFs read from their text, embedded XML ignored), "ocr" (the same PDFs rasterised at
200 dpi with pdftoppm, then read as images), each through the engine as `extract` runs it.
Usage: .venv/bin/python benchmarks/extraction_accuracy.py [--no-ocr] [--pages N]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from corpus_truth import compare, corpus_files

from extraction.engine import OCR_MAX_PAGES, Extractor, Options
from extraction.pool import get_pool
from gateway.config import load_config

TARGET_FIELDS = ("number", "issue_date", "total_excl_tax", "total_tax", "total_incl_tax",
                 "supplier.siren", "supplier.vat_number")
BUCKETS = ((0.9, 1.01), (0.7, 0.9), (0.5, 0.7), (0.0, 0.5))


class PathResult:
    def __init__(self, name: str):
        self.name = name
        self.fields: dict[str, list[bool]] = defaultdict(list)
        self.seconds: list[float] = []
        self.pages = 0
        # (confidence, right) for every compared field, for the calibration table.
        self.scored: list[tuple[float, bool]] = []
        self.misses: list[str] = []

    def add(self, label: str, found: dict, expected: dict, seconds: float, pages: int) -> None:
        self.seconds.append(seconds)
        self.pages += max(pages, 1)
        for field, right in compare(found, expected).items():
            self.fields[field].append(right)
            confidence = found.get("confidence", {}).get(field)
            self.scored.append((0.0 if confidence is None else confidence, right))
            if not right:
                self.misses.append(f"{label}: {field}")


def run_xml(extractor: Extractor) -> PathResult:
    result = PathResult("xml")
    for path, expected in corpus_files("facturx") + corpus_files("xml"):
        _timed(result, extractor, path.read_bytes(), path.name, expected, Options())
    return result


def run_visual(extractor: Extractor) -> PathResult:
    result = PathResult("visual")
    for path, expected in corpus_files("facturx", (".pdf",)) + corpus_files("pdf-text", (".pdf",)):
        _timed(result, extractor, path.read_bytes(), path.name, expected, Options(use_embedded_xml=False))
    return result


def run_ocr(extractor: Extractor, max_pages: int) -> tuple[PathResult, list[float]]:
    """OCR of each PDF's pages at 200 dpi; also raw tesseract on the same pages, for the time ratio."""
    result, ratios = PathResult("ocr"), []
    environment = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory() as folder:
        for path, expected in corpus_files("facturx", (".pdf",)) + corpus_files("pdf-text", (".pdf",)):
            prefix = Path(folder) / path.stem
            subprocess.run(["pdftoppm", "-r", "200", "-png", "-l", str(max_pages), str(path), str(prefix)],
                           check=True, capture_output=True)
            pages = sorted(Path(folder).glob(f"{path.stem}-*.png"))
            started = time.perf_counter()
            for page in pages:
                subprocess.run(["tesseract", str(page), "stdout", "-l", "fra+eng"], env=environment,
                               capture_output=True, check=True)
            raw_seconds = time.perf_counter() - started
            # The engine reads one image per call: the first page carries the header, the last the totals.
            image = pages[0].read_bytes() if len(pages) == 1 else _stack(pages)
            seconds = _timed(result, extractor, image, path.name, expected, Options())
            ratios.append((path.name, seconds, raw_seconds))
    return result, ratios


def _stack(pages: list[Path]) -> bytes:
    """Several page images as one multi-page TIFF, which the OCR path reads page by page."""
    import io

    from PIL import Image

    images = [Image.open(page) for page in pages]
    buffer = io.BytesIO()
    images[0].save(buffer, format="TIFF", save_all=True, append_images=images[1:], dpi=(200, 200))
    return buffer.getvalue()


def _timed(result: PathResult, extractor: Extractor, data: bytes, name: str, expected: dict, options: Options) -> float:
    started = time.perf_counter()
    bill = extractor.extract(data, name, options)
    seconds = time.perf_counter() - started
    result.add(name, bill.to_json(), expected, seconds, bill.pages)
    return seconds


def print_paths(results: list[PathResult]) -> None:
    names = sorted({field for result in results for field in result.fields})
    print(f"{'field (* = target)':22}" + "".join(f"{result.name:>16}" for result in results))
    for field in names:
        cells = []
        for result in results:
            values = result.fields.get(field, [])
            cells.append(f"{100 * sum(values) / len(values):6.1f} % ({sum(values)}/{len(values)})" if values else "-")
        marker = " *" if field in TARGET_FIELDS else ""
        print(f"{field + marker:22}" + "".join(f"{cell:>16}" for cell in cells))
    for result in results:
        all_values = [v for values in result.fields.values() for v in values]
        target = [v for f in TARGET_FIELDS for v in result.fields.get(f, [])]
        per_page = sum(result.seconds) / max(result.pages, 1)
        print(f"{result.name}: all fields {100 * sum(all_values) / max(len(all_values), 1):.1f} %, "
              f"target fields (*) {100 * sum(target) / max(len(target), 1):.1f} %, "
              f"{len(result.seconds)} files, {1000 * per_page:.0f} ms per page "
              f"(median file {1000 * statistics.median(result.seconds):.0f} ms)")


def print_calibration(results: list[PathResult]) -> None:
    scored = [pair for result in results if result.name != "xml" for pair in result.scored]
    print("\ncalibration (visual + OCR fields): confidence bucket → share right")
    for low, high in BUCKETS:
        inside = [right for confidence, right in scored if low <= confidence < high]
        share = f"{100 * sum(inside) / len(inside):5.1f} % right" if inside else "    -"
        print(f"  [{low:.1f}, {min(high, 1.0):.1f}{']' if high > 1 else ')'}  {len(inside):4d} fields  {share}")
    print("  targets: ≥ 0.9 right ≥ 98 %; < 0.5 right < 50 %")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-ocr", action="store_true", help="Skip the OCR path (the slow one).")
    parser.add_argument("--pages", type=int, default=OCR_MAX_PAGES, help="Pages rasterised per PDF for OCR.")
    parser.add_argument("--misses", action="store_true", help="List every wrong field.")
    arguments = parser.parse_args()
    config = load_config(environ={})
    pool = get_pool(config.extraction)
    # The corpus's bills are addressed to many buyers, none of them ours: no known buyer.
    extractor = Extractor(config.extraction, pool)
    results = [run_xml(extractor), run_visual(extractor)]
    ratios = []
    if not arguments.no_ocr:
        ocr, ratios = run_ocr(extractor, arguments.pages)
        results.append(ocr)
    print_paths(results)
    if ratios:
        per_file = sorted((ours / raw, name) for name, ours, raw in ratios)
        overall = sum(ours for _, ours, _ in ratios) / sum(raw for _, _, raw in ratios)
        print(f"ocr time / raw tesseract on the same pages (target ≤ 1.2): all pages {overall:.2f}, "
              f"median file {statistics.median(r for r, _ in per_file):.2f}, "
              f"max {per_file[-1][0]:.2f} ({per_file[-1][1]})")
    print_calibration(results)
    if arguments.misses:
        for result in results:
            for miss in result.misses:
                print(f"  {result.name} miss: {miss}")
    pool.close()


if __name__ == "__main__":
    sys.exit(main())
