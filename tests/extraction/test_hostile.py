"""Hostile files end within the time limit with a result or a reason, and the parent stays small."""

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest

from extraction.model import ExtractionError, TextDocument
from extraction.ocr import needs_ocr
from extraction.pool import ExtractionPool
from tests.extraction.hostile_files import CORPUS, corpus_hostile, generated

TIME_LIMIT_SECONDS = 30
PARENT_RSS_LIMIT = 500 * 1024 * 1024
LANGUAGES = "fra+eng"
# Hazards of rendering (bombs, nesting, absurd pages) are OCR'd even when their text layer says not to.
RENDER_HAZARDS = ("bomb-", "nested-", "page-", "pages-")
IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG", b"II*\x00", b"MM\x00*", b"GIF8")


@pytest.fixture(scope="module")
def pool():
    workers = os.cpu_count() or 1
    with ExtractionPool(size=workers, timeout_seconds=TIME_LIMIT_SECONDS, memory_mib=1024) as pool:
        yield pool


class PeakMemory:
    """Samples the test process's resident memory while the files are read."""

    def __init__(self):
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()

    def _sample(self):
        me = psutil.Process()
        while not self._stop.is_set():
            self.peak = max(self.peak, me.memory_info().rss)
            self._stop.wait(0.05)


def read_like_the_engine(pool, name: str, data: bytes) -> list[tuple[str, float, str]]:
    """Every job the file's claimed type or its content leads to: (job, seconds, outcome)."""
    outcomes = []

    def attempt(job: str, *args):
        started = time.monotonic()
        try:
            result = pool.run(job, data, *args)
            outcome = f"ok {type(result).__name__}"
        except ExtractionError as error:
            result, outcome = None, f"{type(error).__name__}: {error}"
        outcomes.append((job, time.monotonic() - started, outcome))
        return result

    extension = name.rsplit(".", 1)[-1]
    if extension == "pdf" or b"%PDF" in data[:1024]:
        attempt("facturx_bill")
        document = attempt("pdf_text")
        if (isinstance(document, TextDocument) and needs_ocr(document)) or name.startswith(RENDER_HAZARDS):
            attempt("ocr_pdf", LANGUAGES, 150, 2)
    if extension in ("png", "jpg", "tiff", "gif") or data.startswith(IMAGE_SIGNATURES):
        attempt("ocr_image", LANGUAGES, 2)
    if not outcomes:
        attempt("pdf_text")
        attempt("ocr_image", LANGUAGES)
    return outcomes


def read_all(pool, files: list[tuple[str, bytes]]) -> dict[str, list[tuple[str, float, str]]]:
    with ThreadPoolExecutor(max_workers=pool.size) as executor:
        results = executor.map(lambda item: read_like_the_engine(pool, *item), files)
        return dict(zip((name for name, _ in files), results))


def assert_all_ended_with_a_reason(outcomes: dict) -> None:
    for name, jobs in outcomes.items():
        assert jobs, name
        for job, seconds, outcome in jobs:
            assert seconds < TIME_LIMIT_SECONDS + 2, (name, job, seconds)
            assert outcome.startswith("ok") or len(outcome.split(": ", 1)[-1]) > 5, (name, job, outcome)


def test_corpus_hostile_files_end_with_a_reason(pool):
    outcomes = read_all(pool, corpus_hostile())
    assert len(outcomes) == 8
    assert_all_ended_with_a_reason(outcomes)
    too_small = outcomes["Mustang-CLI_src_test_resources_corrupt-factur-x-waytoosmall.pdf"]
    assert all(outcome.startswith("ExtractionError") for _, _, outcome in too_small)


def test_generated_hostile_files_end_in_time_and_the_parent_stays_small(pool):
    files = generated()
    assert len(files) >= 200
    with PeakMemory() as memory:
        outcomes = read_all(pool, files)
    assert_all_ended_with_a_reason(outcomes)
    assert memory.peak < PARENT_RSS_LIMIT, memory.peak
    # Bombs and crashes cost children, never the pool: it still reads a good file afterwards.
    good = (CORPUS / "facturx" / "library_src_test_resources_EN16931_Einfach.pdf").read_bytes()
    assert pool.run("facturx_bill", good)[0].number


def test_specific_hostile_files_get_the_expected_reasons(pool):
    files = dict(generated())
    expectations = {
        "encrypted-AES-256-secret.pdf": ("pdf_text", "password"),
        "huge-png-header.png": ("ocr_image", "too large"),
        "huge-png-bomb.png": ("ocr_image", "too large"),
        "huge-jpeg.jpg": ("ocr_image", "too large"),
        "huge-tiff.tiff": ("ocr_image", "too large"),
        "pdf-as.jpg": ("ocr_image", "not an image"),
        "empty.pdf": ("pdf_text", "not a PDF"),
        "bomb-attachment.pdf": ("facturx_bill", "cannot be read"),
    }
    for name, (job, reason) in expectations.items():
        with pytest.raises(ExtractionError, match=reason):
            pool.run(job, files[name], *((LANGUAGES,) if job == "ocr_image" else ()))
    # An XML bomb inside a PDF is never expanded: the attachment is no usable invoice.
    assert pool.run("facturx_bill", files["xml-bomb-laughs.pdf"])[0] is None
