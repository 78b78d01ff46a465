"""The tesseract command line: words with boxes and confidence (TSV), and page orientation (OSD)."""

import os
import re
import subprocess

from PIL import Image

from extraction.images import to_pgm
from extraction.model import ExtractionError

# A backstop only: the pool's own time limit normally ends a long job first.
TESSERACT_TIMEOUT_SECONDS = 300
# Orientation guesses below this confidence are noise (tesseract's own advice is about 2).
MIN_ROTATION_CONFIDENCE = 2.0
_LANGUAGES = re.compile(r"^[A-Za-z_]+(\+[A-Za-z_]+)*$")
# Page segmentation "sparse text" (11): every piece of text wherever it stands, in no particular
# order. Bills are grids of boxed labels and values that the default (3, whole page layout) skips
# now and then; our rules read positions, not order. Measured on corpus pages at the same speed,
# it found 2-7 % more of the words of the text layer.
SPARSE_TEXT = 11
# One thread per tesseract: the pool runs one process per core, and OpenMP threads would fight.
_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}

# (text, left, top, width, height, confidence 0..1), in pixels of the image given.
OcrWord = tuple[str, int, int, int, int, float]


def tesseract_words(image: Image.Image, dpi: float, languages: str, psm: int = SPARSE_TEXT) -> list[OcrWord]:
    """The words tesseract finds, in its reading order."""
    if not _LANGUAGES.match(languages or ""):
        raise ExtractionError(f"invalid OCR languages {languages!r} (expected e.g. fra+eng)")
    output = _run(["-l", languages, "--psm", str(psm), "--dpi", str(round(dpi)), "tsv"], image)
    return parse_tsv(output)


def parse_tsv(output: str) -> list[OcrWord]:
    words = []
    for line in output.splitlines()[1:]:
        fields = line.split("\t")
        # Level 5 rows are words; the others are pages, blocks, paragraphs and lines.
        if len(fields) < 12 or fields[0] != "5":
            continue
        text = fields[11].strip()
        if not text:
            continue
        left, top, width, height = (int(value) for value in fields[6:10])
        confidence = max(0.0, min(1.0, float(fields[10]) / 100))
        words.append((text, left, top, width, height, confidence))
    return words


def detect_rotation(image: Image.Image, dpi: float) -> int:
    """Degrees (clockwise) to turn the image upright, 0 when upright or unsure."""
    try:
        output = _run(["--psm", "0", "--dpi", str(round(dpi))], image)
    except ExtractionError:
        # Pages with too little text have no orientation: tesseract then fails, which is no error.
        return 0
    rotate = re.search(r"^Rotate: (\d+)", output, re.MULTILINE)
    confidence = re.search(r"^Orientation confidence: ([\d.]+)", output, re.MULTILINE)
    if not rotate or not confidence or float(confidence.group(1)) < MIN_ROTATION_CONFIDENCE:
        return 0
    return int(rotate.group(1)) % 360


def _run(arguments: list[str], image: Image.Image) -> str:
    command = ["tesseract", "stdin", "stdout", *arguments]
    try:
        completed = subprocess.run(command, input=to_pgm(image), capture_output=True, env=_ENV,
                                   timeout=TESSERACT_TIMEOUT_SECONDS, check=False)
    except FileNotFoundError:
        raise ExtractionError("tesseract is not installed (Debian package tesseract-ocr)") from None
    except subprocess.TimeoutExpired:
        raise ExtractionError(f"tesseract took more than {TESSERACT_TIMEOUT_SECONDS} s") from None
    if completed.returncode != 0:
        detail = completed.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise ExtractionError(f"tesseract failed (exit {completed.returncode}): {detail[0][:200]}")
    return completed.stdout.decode("utf-8", "replace")
