"""A worker process: runs the actors, and queues again whatever was left unfinished."""

import logging
import os
import signal
import threading
import time
from datetime import timedelta
from multiprocessing.connection import Connection

import dramatiq
from sqlalchemy.exc import SQLAlchemyError

from gateway.app import open_gateway
from gateway.config import Config
from gateway.ingest_gate import IngestGate
from gateway.logs import setup_logging
from gateway.metrics_server import start_metrics_server
from gateway.queue import BROKER_ERRORS, JobQueue

log = logging.getLogger(__name__)


def run_worker(config: Config, wakeups: Connection | None = None, migrate: bool = False, nice: int = 0,
               gate: IngestGate | None = None, share: tuple[int, int] = (0, 1)) -> None:
    """Serve jobs until stopped. `wakeups` carries the ids of mail that `serve` just stored;
    `gate` (beside `serve` on SQLite) holds the worker's writes back while mail keeps arriving;
    `share` (index, count) is this worker's part of the rows its rescans queue again."""
    setup_logging(config.observability)
    if nice:
        os.nice(nice)
    gateway = open_gateway(config, migrate=migrate)
    queue = JobQueue(gateway, gate=gate, share=share)
    metrics = start_metrics_server(config, gateway.database)
    worker = dramatiq.Worker(queue.broker, worker_threads=config.queue.worker_threads, worker_timeout=100)
    worker.start()
    stopping = threading.Event()
    _stop_on_signals(stopping)
    # What the broker still holds will be served; queuing every unfinished mail again beside it
    # would only multiply the jobs (every worker starting does this), so wait for an idle queue.
    if queue.backlog() == 0:
        _rescan(queue)
    log.info("worker started (%s queue, %s threads)", "embedded" if queue.embedded else "broker", config.queue.worker_threads)
    try:
        _feed(queue, wakeups, stopping, config.queue.rescan_seconds)
    finally:
        _stop_consumers(worker)
        if metrics is not None:
            metrics.close()
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
                _rescan(queue, older_than=rescan_every)
            next_rescan = time.monotonic() + rescan_seconds


def _rescan(queue: JobQueue, older_than: timedelta = timedelta(0)) -> None:
    """Queue again what was left unfinished; a database or broker that is down only delays it."""
    try:
        queue.enqueue_unfinished(older_than=older_than)
    except (SQLAlchemyError, *BROKER_ERRORS) as error:
        # A restart of PostgreSQL or of the broker: the worker lives on and the next rescan tries again.
        log.warning("rescan of unfinished work failed, tried again at the next one: %s", str(error).splitlines()[0])


def _stop_consumers(worker: dramatiq.Worker) -> None:
    try:
        worker.stop(timeout=10_000)
    except BROKER_ERRORS as error:
        # The broker is down: the messages this worker held come back without it (RabbitMQ
        # requeues what was not acknowledged, Redis what a worker gone silent held).
        log.warning("broker unreachable while stopping; unfinished messages return from the broker: %s", error)


def _stop_on_signals(stopping: threading.Event) -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
