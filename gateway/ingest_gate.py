"""Ingest first: the worker beside `serve` waits for a pause in incoming mail before it writes."""

import time

# A pause this long in incoming mail lets the worker take the database's write lock.
QUIET_SECONDS = 0.05
# Under a burst that never pauses, a job still goes ahead after this wait.
MAX_WAIT_SECONDS = 2.0


class IngestGate:
    """Reads the moment `serve` last stored a mail, from memory shared with the worker process.

    On SQLite the SMTP ingress and the worker share one write lock; a worker holding it makes the
    ingress wait, and every `250` with it. Deferring the worker's writes during a burst keeps the
    answers fast; the mail is safe on disk meanwhile and processed as soon as the burst pauses.
    """

    def __init__(self, last_stored):
        self.last_stored = last_stored  # a multiprocessing.Value("d") of time.monotonic()

    def mark(self) -> None:
        self.last_stored.value = time.monotonic()

    def wait(self) -> float:
        """Sleep until incoming mail pauses (or the maximum wait passes); return the time waited."""
        start = time.monotonic()
        while time.monotonic() - self.last_stored.value < QUIET_SECONDS:
            if time.monotonic() - start >= MAX_WAIT_SECONDS:
                break
            time.sleep(QUIET_SECONDS)
        return time.monotonic() - start
