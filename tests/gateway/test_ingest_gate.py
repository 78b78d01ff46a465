"""The ingest gate: the worker beside serve steps aside during a burst of incoming mail, not at a steady pace."""

import multiprocessing
import threading
import time

from gateway.ingest_gate import QUIET_SECONDS, IngestGate


def new_gate() -> IngestGate:
    return IngestGate(multiprocessing.Value("d", 0.0, lock=False), multiprocessing.Value("d", 1.0, lock=False))


def test_mail_at_a_steady_pace_below_a_burst_does_not_hold_the_worker():
    gate = new_gate()
    for _ in range(10):
        gate.mark()
        time.sleep(0.02)  # 50 mails/s
    gate.mark()
    assert not gate.in_burst()
    assert gate.wait() < 0.01


def test_during_a_burst_the_worker_waits_for_the_pause_after_it():
    gate = new_gate()
    for _ in range(30):
        gate.mark()  # as fast as the ingress stores
    assert gate.in_burst()
    # The burst goes on for a while, then stops; the worker goes ahead only after the pause.
    burst_ends = time.monotonic() + 0.2

    def keep_storing():
        while time.monotonic() < burst_ends:
            gate.mark()
            time.sleep(0.002)

    storing = threading.Thread(target=keep_storing)
    storing.start()
    waited = gate.wait()
    storing.join()
    assert waited >= 0.2
    assert time.monotonic() - gate.last_stored.value >= QUIET_SECONDS * 0.9


def test_without_a_measured_pace_any_recent_mail_counts_as_a_burst():
    gate = IngestGate(multiprocessing.Value("d", 0.0, lock=False))
    gate.mark()
    assert gate.in_burst()
    time.sleep(QUIET_SECONDS)
    assert not gate.in_burst()
