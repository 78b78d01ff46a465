"""OCR speed: our path (through the pool) against bare tesseract on the same 200 dpi page images.

Usage: .venv/bin/python benchmarks/ocr_speed.py [PAGES] [ROUNDS]
Pages are the first pages of the corpus PDFs (Factur-X and plain-text ones) rasterised by
pdftoppm. Raw and ours alternate on each page, so that the machine's swinging CPU speed hits both
alike; the ratio per page is the median over the rounds. The issue's target is a median ≤ 1.2.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extraction.pool import ExtractionPool  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "invoices"
LANGUAGES = "fra+eng"
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def rasterise(pdf: Path, folder: Path) -> Path:
    prefix = folder / pdf.stem
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)],
                   check=True)
    return prefix.with_suffix(".png")


def time_raw(png: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["tesseract", str(png), "stdout", "-l", LANGUAGES], env=ENV, check=True,
                   capture_output=True)
    return time.perf_counter() - started


def time_ours(pool: ExtractionPool, png: Path) -> tuple[float, int]:
    started = time.perf_counter()
    document = pool.run("ocr_image", png.read_bytes(), LANGUAGES, timeout=120)
    return time.perf_counter() - started, sum(len(page.words) for page in document.pages)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    pdfs = sorted((CORPUS / "facturx").glob("*.pdf")) + sorted((CORPUS / "pdf-text").glob("*.pdf"))
    ratios = []
    with tempfile.TemporaryDirectory() as folder, ExtractionPool(size=1, timeout_seconds=120) as pool:
        pool.run("selftest_pid")  # started and warm before the first measurement
        print(f"{'page':55} {'raw s':>6} {'ours s':>6} {'ratio':>6} words")
        for pdf in pdfs[:: max(1, len(pdfs) // count)][:count]:
            png = rasterise(pdf, Path(folder))
            per_round = []
            for _ in range(rounds):
                raw = time_raw(png)
                ours, words = time_ours(pool, png)
                per_round.append((raw, ours))
            raw = statistics.median(r for r, _ in per_round)
            ours = statistics.median(o for _, o in per_round)
            ratio = statistics.median(o / r for r, o in per_round)
            ratios.append(ratio)
            print(f"{pdf.stem[:55]:55} {raw:6.2f} {ours:6.2f} {ratio:6.2f} {words}")
    print(f"median ratio ours/raw over {len(ratios)} pages: {statistics.median(ratios):.2f} "
          f"(min {min(ratios):.2f}, max {max(ratios):.2f})")


if __name__ == "__main__":
    main()
