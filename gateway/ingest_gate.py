"""Ingest first: under a burst, the worker beside `serve` waits for a pause in incoming mail before it writes."""

import time

# A pause this long in incoming mail lets the worker take the database's write lock.
QUIET_SECONDS = 0.05
# Under a burst that never pauses, a job still goes ahead after this wait.
MAX_WAIT_SECONDS = 2.0
# Mail arriving less often than this (on average) is no burst: the worker goes ahead at once.
# 10 ms is 100 mails/s, a third of what the ingress stores with the worker idle.
BURST_GAP_SECONDS = 0.01
# The weight of the newest gap in the running average of gaps between stored mails.
SMOOTHING = 0.2


class IngestGate:
    """Reads when `serve` last stored a mail, and how often, from memory shared with the worker.

    On SQLite the SMTP ingress and the worker share one write lock; a worker holding it makes the
    ingress wait, and every `250` with it. During a burst the worker's writes are deferred, which
    keeps the answers fast; the mail is safe on disk meanwhile and processed as soon as the burst
    pauses. At a steady pace below a burst the worker does not wait: a store then waits at most
    for one short worker transaction, and mail is answered within a second.
    """

    def __init__(self, last_stored, average_gap=None):
        self.last_stored = last_stored  # a multiprocessing.Value("d") of time.monotonic()
        self.average_gap = average_gap  # a multiprocessing.Value("d"): seconds between stored mails

    def mark(self) -> None:
        """Called by `serve`'s one writer thread after each stored mail."""
        now = time.monotonic()
        if self.average_gap is not None:
            gap = min(now - self.last_stored.value, 1.0)
            self.average_gap.value = (1 - SMOOTHING) * self.average_gap.value + SMOOTHING * gap
        self.last_stored.value = now

    def in_burst(self) -> bool:
        recent = time.monotonic() - self.last_stored.value < QUIET_SECONDS
        return recent and (self.average_gap is None or self.average_gap.value < BURST_GAP_SECONDS)

    def wait(self) -> float:
        """During a burst, sleep until incoming mail pauses (or the maximum wait passes); return the time waited."""
        start = time.monotonic()
        while self.in_burst():
            if time.monotonic() - start >= MAX_WAIT_SECONDS:
                break
            time.sleep(QUIET_SECONDS)
        return time.monotonic() - start
