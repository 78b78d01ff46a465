"""The extraction pool: limits in time and memory, crashes, recycling, many threads at once."""

import os
import threading
import time
from pathlib import Path

import psutil
import pytest

from extraction.model import ExtractionError, TextDocument
from extraction.pool import ExtractionPool, ReaderDied, ReaderOutOfMemory, ReaderTimeout, get_pool
from gateway.config_sections import Extraction

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "invoices"


@pytest.fixture(scope="module")
def pool():
    with ExtractionPool(size=2, timeout_seconds=2, memory_mib=512, recycle_after_jobs=1000) as pool:
        yield pool


def test_job_past_its_time_limit_fails_and_the_pool_serves_the_next(pool):
    started = time.monotonic()
    with pytest.raises(ReaderTimeout, match=r"timed out after 1 s"):
        pool.run("selftest_sleep", 30, timeout=1)
    assert time.monotonic() - started < 3
    assert pool.run("selftest_sleep", 0) == 0


def test_job_beyond_the_memory_limit_fails_with_the_memory_reason(pool):
    with pytest.raises(ReaderOutOfMemory, match=r"ran out of memory \(limit 512 MiB\)"):
        pool.run("selftest_allocate", 2048)
    assert pool.run("selftest_allocate", 16) == 16 * 1024 * 1024


def test_crashing_child_fails_with_died_and_is_replaced(pool):
    before = set(pool.child_pids())
    with pytest.raises(ReaderDied, match=r"reader process died \(signal 11"):
        pool.run("selftest_crash")
    after = set(pool.child_pids())
    assert len(after) == 2 and len(after - before) == 1
    assert pool.run("selftest_pid") in after


def test_reader_error_is_the_reason_and_keeps_the_child(pool):
    pids = set(pool.child_pids())
    with pytest.raises(ExtractionError, match="the file says no"):
        pool.run("selftest_fail", "the file says no")
    assert set(pool.child_pids()) == pids


def test_unknown_job_is_refused(pool):
    with pytest.raises(ValueError, match="unknown extraction job"):
        pool.run("os.system", "true")


def test_child_is_recycled_after_its_quota_of_jobs():
    with ExtractionPool(size=1, timeout_seconds=5, recycle_after_jobs=3) as pool:
        pids = [pool.run("selftest_pid") for _ in range(7)]
    assert pids[0] == pids[1] == pids[2]
    assert pids[3] == pids[4] == pids[5] != pids[0]
    assert pids[6] not in (pids[0], pids[3])


def test_concurrent_submissions_from_four_threads_all_complete(pool):
    results, errors = [], []

    def submit(thread_number: int) -> None:
        try:
            for job_number in range(5):
                results.append(pool.run("selftest_sleep", 0.05 * (thread_number + job_number) % 0.2))
        except Exception as error:  # noqa: BLE001 - collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=submit, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == [] and len(results) == 20


def test_jobs_read_a_real_factur_x_pdf(pool):
    data = (CORPUS / "facturx" / "library_src_test_resources_EN16931_Einfach.pdf").read_bytes()
    bill, warnings = pool.run("facturx_bill", data, "einfach.pdf")
    assert bill.source == "facturx" and bill.number and warnings == []
    document = pool.run("pdf_text", data)
    assert isinstance(document, TextDocument) and document.has_text
    assert pool.run("facturx_bill", (CORPUS / "pdf-text" / "saeco.pdf").read_bytes())[0] is None


def test_closed_pool_refuses_jobs():
    pool = ExtractionPool(size=1)
    pool.close()
    with pytest.raises(ExtractionError, match="closed"):
        pool.run("selftest_pid")


def test_process_shares_one_pool_built_from_the_settings():
    # The defaults: other tests of this process may use the same shared pool.
    settings = Extraction()
    shared = get_pool(settings)
    assert get_pool(settings) is shared
    assert (shared.timeout_seconds, shared.memory_mib) == (settings.job_timeout_seconds, settings.job_memory_mib)


def test_timed_out_ocr_leaves_no_tesseract_behind(pool):
    pdf = (CORPUS / "facturx" / "akretion_invoice_EN16931.pdf").read_bytes()
    pool.run("selftest_pid")
    child_pids = set(pool.child_pids())
    # Rendering takes a fraction of a second; tesseract is then busy for several seconds at 300 dpi.
    with pytest.raises(ReaderTimeout):
        pool.run("ocr_pdf", pdf, "fra+eng", 300, timeout=1.5)
    time.sleep(0.2)
    # The killed child led its own process group: its tesseract went down with it.
    # (A zombie is dead already; only a reaper that this machine's init may not be is missing.)
    assert not [process for process in psutil.process_iter(["name", "status"])
                if process.info["name"] == "tesseract" and process.info["status"] != psutil.STATUS_ZOMBIE
                and _group_of(process.pid) in child_pids]


def _group_of(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None
