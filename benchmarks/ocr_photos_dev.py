"""OCR robustness on phone photos and poor scans: random French bills, degraded, read by the engine.

A development aid. Each bill of benchmarks/french_layouts.py is printed by WeasyPrint, its pages
rendered at 200-300 dpi with pypdfium2, then degraded in one seeded random way (turned with or
without an EXIF tag, skewed, low-dpi JPEG, blurred, grey and unevenly lit, lying on a dark table,
or all of a phone photo's faults at once). Each image goes through the engine (an Extractor over an
ExtractionPool), and raw tesseract reads the same image for the time ratio. Prints per degradation
the target fields' accuracy, the time ratio, and the confidence buckets. Usage:
    .venv/bin/python benchmarks/ocr_photos_dev.py [COUNT] [SEED] [-v] [--only KIND] [--save]
(--save writes each degraded image to /tmp/ocr_photos_INDEX_KIND.jpg)
"""

import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

from corpus_truth import compare  # noqa: E402
from french_layouts import make_french_bill  # noqa: E402
from text_synthetic_dev import TARGETS, TODAY  # noqa: E402

from extraction.engine import Extractor, Options  # noqa: E402
from extraction.pool import ExtractionPool  # noqa: E402
from gateway.config import load_config  # noqa: E402

KINDS = ("clean", "turned_exif", "turned", "skewed", "low_dpi_jpeg", "blurred", "grey_uneven", "dark_border",
         "phone")
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def render_pages(html: str, dpi: int) -> list[Image.Image]:
    import pypdfium2
    from weasyprint import HTML

    document = pypdfium2.PdfDocument(HTML(string=html).write_pdf())
    try:
        return [document[index].render(scale=dpi / 72).to_pil().convert("RGB") for index in range(len(document))]
    finally:
        document.close()


def skew(image: Image.Image, rng: random.Random, fill=(255, 255, 255)) -> Image.Image:
    angle = rng.choice([-1, 1]) * rng.uniform(1, 4)
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)


def uneven_light(image: Image.Image, rng: random.Random) -> Image.Image:
    """Paper grey and lit from one side: a gradient multiplies the page."""
    width, height = image.size
    low, high = rng.randint(120, 170), rng.randint(200, 235)
    gradient = Image.linear_gradient("L").resize((width, height)).rotate(rng.choice([0, 90, 180, 270]))
    shade = Image.eval(gradient, lambda value: low + (high - low) * value // 255)
    return _multiply(image, shade)


def _multiply(image: Image.Image, shade: Image.Image) -> Image.Image:
    from PIL import ImageChops

    return ImageChops.multiply(image, Image.merge("RGB", [shade] * 3))


def on_table(image: Image.Image, rng: random.Random) -> Image.Image:
    """The page lies on a dark table, a margin of it showing on every side."""
    margin = [rng.randint(20, 160) for _ in range(4)]
    tone = rng.randint(25, 80)
    table = Image.new("RGB", (image.width + margin[0] + margin[2], image.height + margin[1] + margin[3]),
                      (tone, tone - 5, tone - 10))
    table.paste(image, (margin[0], margin[1]))
    draw = ImageDraw.Draw(table)
    # A few grains of the table's wood, so that the border is no flat colour.
    for _ in range(40):
        y = rng.randint(0, table.height - 1)
        draw.line([(0, y), (margin[0] // 2, y + rng.randint(-5, 5))], fill=(tone + 20,) * 3)
    return table


def downscale(image: Image.Image, dpi: int, rng: random.Random) -> tuple[Image.Image, int]:
    target = rng.randint(120, 150)
    factor = target / dpi
    return image.resize((round(image.width * factor), round(image.height * factor)), Image.Resampling.BILINEAR), target


def degrade(image: Image.Image, dpi: int, kind: str, rng: random.Random) -> bytes:
    """The page image as the file a phone or a poor scanner would send."""
    exif, quality, file_dpi = None, 95, dpi
    if kind == "turned_exif":
        turn = rng.choice([(90, 6), (270, 8), (180, 3)])
        image, exif = image.rotate(turn[0], expand=True), Image.Exif()
        exif[0x0112] = turn[1]
    elif kind == "turned":
        image = image.rotate(rng.choice([90, 180, 270]), expand=True)
    elif kind == "skewed":
        image = skew(image, rng)
    elif kind == "low_dpi_jpeg":
        image, file_dpi = downscale(image, dpi, rng)
        quality = rng.randint(30, 60)
    elif kind == "blurred":
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 1.8)))
    elif kind == "grey_uneven":
        image = uneven_light(image, rng)
    elif kind == "dark_border":
        image = on_table(skew(image, rng), rng)
    elif kind == "phone":
        image = on_table(uneven_light(skew(image, rng), rng), rng)
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.2)))
        quality, file_dpi = rng.randint(30, 60), None
    buffer = io.BytesIO()
    options = {"quality": quality} if kind != "clean" else {}
    if exif is not None:
        options["exif"] = exif
    if file_dpi:
        options["dpi"] = (file_dpi, file_dpi)
    image.save(buffer, format="PNG" if kind == "clean" else "JPEG", **options)
    return buffer.getvalue()


def raw_seconds(data: bytes, folder: str) -> float:
    path = Path(folder) / "raw.img"
    path.write_bytes(data)
    started = time.perf_counter()
    subprocess.run(["tesseract", str(path), "stdout", "-l", "fra+eng"], env=ENV, capture_output=True, check=True)
    return time.perf_counter() - started


def main(count: int, seed: int, verbose: bool, only: str | None) -> None:
    rng = random.Random(seed)
    kinds = [only] if only else list(KINDS)
    config = load_config(environ={})
    extractor = Extractor(config.extraction, None)
    fields, times, buckets = defaultdict(lambda: defaultdict(list)), defaultdict(list), defaultdict(list)
    with tempfile.TemporaryDirectory() as folder, ExtractionPool(size=1, timeout_seconds=300) as pool:
        extractor.pool = pool
        for index in range(count):
            html, expected, family = make_french_bill(rng)
            kind, dpi = kinds[index % len(kinds)], rng.choice([200, 250, 300])
            pages = render_pages(html, dpi)
            # One image per bill: the last page carries the totals, the first the header.
            page = pages[0] if len(pages) == 1 else _stacked(pages[0], pages[-1])
            data = degrade(page, dpi, kind, rng)
            if "--save" in sys.argv:
                Path(f"/tmp/ocr_photos_{index}_{kind}.jpg").write_bytes(data)
            raw = raw_seconds(data, folder)
            started = time.perf_counter()
            bill = extractor.extract(data, f"{index}.jpg", Options(today=TODAY))
            times[kind].append((time.perf_counter() - started) / raw)
            found = bill.to_json()
            for field, right in compare(found, expected).items():
                if field not in TARGETS:
                    continue
                confidence = found.get("confidence", {}).get(field) or 0.0
                fields[kind][field].append(right)
                buckets[_bucket(confidence)].append(right)
                if verbose and not right:
                    print(f"#{index} {kind} {family} {field}: got {_value(found, field)!r} "
                          f"want {_value(expected, field)!r} ({confidence:.2f})", flush=True)
    _print(fields, times, buckets)


def _stacked(first: Image.Image, last: Image.Image) -> Image.Image:
    """The header page above the totals' page: one tall image, like a long receipt photo."""
    both = Image.new("RGB", (first.width, first.height + last.height), "white")
    both.paste(first, (0, 0))
    both.paste(last, (0, first.height))
    return both


def _bucket(confidence: float) -> str:
    return ("[0.9, 1.0]" if confidence >= 0.9 else "[0.7, 0.9)" if confidence >= 0.7
            else "[0.5, 0.7)" if confidence >= 0.5 else "[0.0, 0.5)")


def _value(data: dict, field: str):
    if "." in field:
        party, key = field.split(".")
        return (data.get(party) or {}).get(key)
    return data.get(field)


def _print(fields, times, buckets) -> None:
    short = {"number": "num", "issue_date": "date", "total_excl_tax": "HT", "total_tax": "TVA",
             "total_incl_tax": "TTC", "supplier.siren": "SIREN", "supplier.vat_number": "VAT"}
    print(f"{'degradation':14}" + "".join(f"{name:>8}" for name in short.values()) + f"{'all':>8}{'time/raw':>10}")
    for kind in KINDS:
        if kind not in fields:
            continue
        cells, everything = [], []
        for field in short:
            values = fields[kind].get(field, [])
            everything += values
            cells.append(f"{sum(values)}/{len(values)}" if values else "-")
        ratio = statistics.median(times[kind])
        print(f"{kind:14}" + "".join(f"{cell:>8}" for cell in cells)
              + f"{100 * sum(everything) / max(len(everything), 1):7.0f}%{ratio:10.2f}")
    print("confidence bucket (target fields) → share right")
    for bucket in ("[0.9, 1.0]", "[0.7, 0.9)", "[0.5, 0.7)", "[0.0, 0.5)"):
        values = buckets.get(bucket, [])
        share = f"{100 * sum(values) / len(values):5.1f} % right" if values else "-"
        print(f"  {bucket:11} {len(values):4d} fields  {share}")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    only = arguments[arguments.index("--only") + 1] if "--only" in arguments else None
    numbers = [argument for argument in arguments if argument.isdigit()]
    main(int(numbers[0]) if numbers else 27, int(numbers[1]) if len(numbers) > 1 else 1, "-v" in arguments, only)
