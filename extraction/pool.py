"""A warm pool of child processes that parse PDFs and run OCR, each job limited in time and memory.

pdfium is not thread-safe and hostile files can crash or exhaust any parser, so the reading happens
in pre-started children (forkserver: never a fork of a threaded worker). A child that times out,
dies or runs out of memory is replaced and only its job fails, with the reason. Any number of
threads may call run() at once; each takes one idle child for the length of its job.

As with any multiprocessing "forkserver"/"spawn" child, a script run as a file must start its work
under `if __name__ == "__main__":` (children import the main script); `python -m gateway`, the
installed command and pytest need nothing.
"""

import atexit
import multiprocessing
import os
import queue
import threading

from extraction import pool_jobs
from extraction.model import ExtractionError
from extraction.pool_child import WARM_MODULES, Child, ReaderDied, ReaderOutOfMemory, ReaderTimeout
from gateway.config_sections import Extraction

__all__ = ["ExtractionPool", "get_pool", "ReaderDied", "ReaderOutOfMemory", "ReaderTimeout"]


class _Slot:
    """A place in the pool, holding its current child (replaced when it fails or is recycled)."""

    def __init__(self):
        self.child: Child | None = None


class ExtractionPool:
    """ExtractionPool(config.extraction), or with explicit limits: ExtractionPool(size=2, timeout_seconds=5)."""

    def __init__(self, settings: Extraction | None = None, *, size: int | None = None,
                 timeout_seconds: float | None = None, memory_mib: int | None = None,
                 recycle_after_jobs: int | None = None, start_method: str = "forkserver"):
        settings = getattr(settings, "extraction", settings) or Extraction()
        size = settings.pool_size if size is None else size
        self.size = size if size > 0 else (os.cpu_count() or 1)
        self.timeout_seconds = timeout_seconds or settings.job_timeout_seconds
        self.memory_mib = memory_mib or settings.job_memory_mib
        self.recycle_after_jobs = recycle_after_jobs or settings.recycle_after_jobs
        self._context = multiprocessing.get_context(start_method)
        self._lock = threading.Lock()
        self._idle: queue.Queue[_Slot] = queue.Queue()
        self._slots: list[_Slot] = []
        self._closed = False

    def run(self, job_name: str, *args, timeout: float | None = None):
        """The result of pool_jobs.<job_name>(*args) run in a child; ExtractionError with the reason."""
        if job_name not in pool_jobs.JOBS:
            raise ValueError(f"unknown extraction job {job_name!r}")
        self._start()
        slot = self._idle.get()
        try:
            return self._run_in(slot, job_name, args, timeout or self.timeout_seconds)
        finally:
            self._idle.put(slot)

    def child_pids(self) -> list[int]:
        """The children's process ids (for status pages and tests)."""
        return [slot.child.pid for slot in self._slots if slot.child is not None]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for slot in self._slots:
                if slot.child is not None:
                    slot.child.stop()
                    slot.child = None

    def __enter__(self) -> "ExtractionPool":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _start(self) -> None:
        """Starts the children on first use, so that importing or configuring costs nothing."""
        with self._lock:
            if self._closed:
                raise ExtractionError("the extraction pool is closed")
            if self._slots:
                return
            if self._context.get_start_method() == "forkserver":
                self._context.set_forkserver_preload(WARM_MODULES)
            for _ in range(self.size):
                slot = _Slot()
                slot.child = self._new_child()
                self._slots.append(slot)
                self._idle.put(slot)

    def _run_in(self, slot: _Slot, job_name: str, args: tuple, timeout: float):
        # A child may have died while idle (killed from outside): the job never reached it.
        if slot.child is None or not slot.child.is_alive():
            self._replace(slot)
        try:
            result = slot.child.call(job_name, args, timeout)
        except (ReaderTimeout, ReaderDied, ReaderOutOfMemory):
            self._replace(slot)
            raise
        if slot.child.jobs >= self.recycle_after_jobs:
            # Long-lived readers grow (caches, fragmentation): a fresh child starts from the warm state.
            try:
                self._replace(slot)
            except ExtractionError:
                pass
        return result

    def _replace(self, slot: _Slot) -> None:
        if slot.child is not None:
            slot.child.stop()
        with self._lock:
            slot.child = None if self._closed else self._new_child()
        if slot.child is None:
            raise ExtractionError("the extraction pool is closed")

    def _new_child(self) -> Child:
        return Child(self._context, self.memory_mib)


_shared: ExtractionPool | None = None
_shared_pid: int | None = None
_shared_lock = threading.Lock()


def get_pool(settings) -> ExtractionPool:
    """The process's one pool, made from the [extraction] settings (or a whole Config) on first call."""
    global _shared, _shared_pid
    settings = getattr(settings, "extraction", settings)
    with _shared_lock:
        # A forked process must not share its parent's children: it gets its own pool.
        if _shared is None or _shared_pid != os.getpid():
            _shared = ExtractionPool(settings)
            _shared_pid = os.getpid()
            atexit.register(_shared.close)
        return _shared
