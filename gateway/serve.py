"""`serve`: the SMTP ingress (and IMAP intake when enabled) in this process, and a worker process beside it."""

import asyncio
import logging
import multiprocessing
import signal
import threading

from gateway.app import Gateway, open_gateway
from gateway.config import Config
from gateway.imap import account_of, run_poller
from gateway.metrics_server import start_metrics_server
from gateway.ingest_gate import IngestGate
from gateway.queue import JobQueue
from gateway.smtp import IngressHandler, start_smtp_server
from gateway.storage_process import StorageProcess
from gateway.tick import start_scheduler
from gateway.worker import run_worker

log = logging.getLogger(__name__)


def start_up_warnings(config: Config) -> list[str]:
    warnings = []
    if config.company.example:
        warnings.append(
            "the example company identity is in use (company.example = true): replace [company] in your config"
        )
    if config.auth.trusted_networks:
        warnings.append(
            "mail received over SMTP from " + ", ".join(config.auth.trusted_networks)
            + " counts as authenticated (auth.trusted_networks)"
        )
    else:
        warnings.append("no trusted network: only DKIM/DMARC-authenticated mail will be answered")
    imap = config.imap
    if imap.enabled and imap.security == "none" and imap.host not in ("127.0.0.1", "::1", "localhost"):
        warnings.append(f"imap.security = none: the IMAP password crosses the network to {imap.host} in clear")
    return warnings


class WorkerProcess:
    """The worker beside `serve`: restarted if it dies; told of each stored mail over a pipe."""

    def __init__(self, config: Config, context, gate: IngestGate | None, share: tuple[int, int] = (0, 1)):
        self.config = config
        self.context = context
        self.lock = threading.Lock()
        self.process = None
        self.sender = None
        self.gate = gate
        self.share = share

    def start(self) -> None:
        receiver, sender = self.context.Pipe(duplex=False)
        process = self.context.Process(
            target=run_worker,
            args=(self.config, receiver),
            kwargs={"nice": self.config.queue.worker_nice, "gate": self.gate, "share": self.share},
            name=f"gateway-worker-{self.share[0]}",
            # Not a daemon: a daemonic process may not start children, and the worker starts the
            # extraction readers. It stops by itself when serve goes (its pipe ends), and `stop`
            # joins or terminates it.
            daemon=False,
        )
        process.start()
        receiver.close()
        with self.lock:
            self.process, self.sender = process, sender

    def notify(self, mail_id: int) -> None:
        with self.lock:
            try:
                self.sender.send(mail_id)
            except (OSError, ValueError):
                # The worker is being restarted; it queues every unfinished mail when it starts.
                log.warning("worker unreachable; mail %s waits for its restart", mail_id)

    def keep_alive(self) -> None:
        if self.process is not None and not self.process.is_alive():
            log.error("worker process exited with code %s; restarting it", self.process.exitcode)
            self.start()

    def stop(self) -> None:
        with self.lock:
            if self.sender is not None:
                self.sender.close()
        if self.process is not None:
            self.process.join(timeout=15)
            if self.process.is_alive():
                self.process.terminate()


class EmbeddedWorkers:
    """The worker processes beside `serve` on the embedded queue; each takes its share of the mail.

    Mail number n goes to worker n mod count, and each worker's rescans look at its own share
    only, so that two workers never start the same mail (on SQLite nothing else would stop them).
    """

    def __init__(self, config: Config, count: int):
        context = multiprocessing.get_context("spawn")
        # Shared with the workers: when mail was last stored, and how often (SQLite only needs it).
        self.gate = None
        if config.database_url.startswith("sqlite"):
            self.gate = IngestGate(context.Value("d", 0.0, lock=False), context.Value("d", 1.0, lock=False))
        self.workers = [WorkerProcess(config, context, self.gate, (index, count)) for index in range(count)]

    def start(self) -> None:
        for worker in self.workers:
            worker.start()

    def notify(self, mail_id: int) -> None:
        if self.gate:
            self.gate.mark()
        self.workers[mail_id % len(self.workers)].notify(mail_id)

    def keep_alive(self) -> None:
        for worker in self.workers:
            worker.keep_alive()

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()


def serve(config: Config, with_worker: bool = True) -> None:
    gateway = open_gateway(config)
    for warning in start_up_warnings(config):
        log.warning(warning)
    # With a broker the queue shares the work out: one worker process beside serve is enough.
    count = config.queue.embedded_workers if not config.queue.broker_url else 1
    worker = EmbeddedWorkers(config, count) if with_worker else None
    if worker is not None and not config.queue.broker_url:
        worker.start()
        on_stored = worker.notify
    else:
        if worker is not None:
            worker.start()
        on_stored = JobQueue(gateway).enqueue_mail
    stopping = threading.Event()
    imap_thread = start_imap_intake(gateway, on_stored, stopping)
    # Reminders and retention run from here too; the tick's lock keeps two machines from running it at once.
    start_scheduler(config, stopping)
    # The counters live where mail is processed: the worker process serves them when there is one.
    metrics = None if with_worker else start_metrics_server(config, gateway.database)
    try:
        asyncio.run(_serve_smtp(gateway, on_stored, worker))
    finally:
        stopping.set()
        if imap_thread is not None:
            imap_thread.join(timeout=15)
        if worker is not None:
            worker.stop()
        if metrics is not None:
            metrics.close()
        gateway.close()


def start_imap_intake(gateway: Gateway, on_stored, stop: threading.Event) -> threading.Thread | None:
    """Start the IMAP poller in a thread of its own when [imap] is enabled; it ends once `stop` is set."""
    settings = gateway.config.imap
    if not settings.enabled:
        return None
    thread = threading.Thread(
        target=run_poller, args=(gateway.config, gateway.database, on_stored, stop), name="imap-intake", daemon=True
    )
    thread.start()
    log.info("IMAP intake from %s, folder %s", account_of(settings), settings.folder)
    return thread


async def _serve_smtp(gateway: Gateway, on_stored, worker: EmbeddedWorkers | None) -> None:
    storage = StorageProcess(gateway.config.database_url, gateway.config.storage.busy_timeout_ms, gateway.config.observability)
    handler = IngressHandler(gateway.config, storage, on_stored)
    server = await start_smtp_server(gateway.config, handler)
    log.info("SMTP listening on %s for %s", gateway.config.smtp.listen, ", ".join(gateway.config.mail.domains))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=1.0)
        except asyncio.TimeoutError:
            if worker is not None:
                worker.keep_alive()
    log.info("stopping")
    server.close()
    await server.wait_closed()
    handler.close()
    storage.close()
