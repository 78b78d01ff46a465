"""A worker process: runs the actors, and queues again whatever was left unfinished."""

import logging
import os
import signal
import threading
import time
from datetime import timedelta
from multiprocessing.connection import Connection

import dramatiq

from gateway.app import open_gateway
from gateway.config import Config
from gateway.ingest_gate import IngestGate
from gateway.logs import setup_logging
from gateway.queue import JobQueue

log = logging.getLogger(__name__)


def run_worker(config: Config, wakeups: Connection | None = None, migrate: bool = False, nice: int = 0,
               gate: IngestGate | None = None) -> None:
    """Serve jobs until stopped. `wakeups` carries the ids of mail that `serve` just stored;
    `gate` (beside `serve` on SQLite) holds the worker's writes back while mail keeps arriving."""
    setup_logging()
    if nice:
        os.nice(nice)
    gateway = open_gateway(config, migrate=migrate)
    queue = JobQueue(gateway, gate=gate)
    worker = dramatiq.Worker(queue.broker, worker_threads=config.queue.worker_threads, worker_timeout=100)
    worker.start()
    stopping = threading.Event()
    _stop_on_signals(stopping)
    queue.enqueue_unfinished()
    log.info("worker started (%s queue, %s threads)", "embedded" if queue.embedded else "broker", config.queue.worker_threads)
    try:
        _feed(queue, wakeups, stopping, config.queue.rescan_seconds)
    finally:
        worker.stop(timeout=10_000)
        gateway.close()


def _feed(queue: JobQueue, wakeups: Connection | None, stopping: threading.Event, rescan_seconds: int) -> None:
    rescan_every = timedelta(seconds=rescan_seconds)
    next_rescan = time.monotonic() + rescan_seconds
    while not stopping.is_set():
        wait = max(0.0, next_rescan - time.monotonic())
        if wakeups is not None:
            if wakeups.poll(min(wait, 1.0)):
                try:
                    queue.enqueue_mail(wakeups.recv())
                except (EOFError, OSError):
                    log.info("serve is gone; worker stops")
                    return
        else:
            stopping.wait(min(wait, 1.0))
        if time.monotonic() >= next_rescan:
            # In-process jobs still waiting are not lost, only late: rescan when the queue is idle.
            if queue.backlog() == 0:
                queue.enqueue_unfinished(older_than=rescan_every)
            next_rescan = time.monotonic() + rescan_seconds


def _stop_on_signals(stopping: threading.Event) -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
