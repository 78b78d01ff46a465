"""Storage in a child process of `serve`, so that the SMTP loop keeps a CPU and its interpreter lock.

Hashing 85 KB, inserting it and syncing the disk cost the SMTP process about as much CPU as
aiosmtpd itself; in a process of its own that work runs on the other core. The SMTP process only
hands the bytes over a pipe and waits for the answer: its `250` still follows the commit.
"""

import logging
import multiprocessing
import threading
from multiprocessing.connection import Connection

from gateway.config_sections import Observability
from gateway.db import Database
from gateway.ingress import Incoming, Received, receive_many
from gateway.logs import setup_logging

log = logging.getLogger(__name__)

CHECKPOINT = "checkpoint"


class StorageUnavailable(Exception):
    """The storage process failed or died; the SMTP client is answered 451 and retries."""


class StorageProcess:
    def __init__(self, database_url: str, busy_timeout_ms: int, observability: Observability | None = None):
        self.database_url = database_url
        self.busy_timeout_ms = busy_timeout_ms
        # A spawned child starts with no logging: it sets up the same format as its parent.
        self.observability = observability
        self.context = multiprocessing.get_context("spawn")
        self.lock = threading.Lock()
        self.process = None
        self.connection: Connection | None = None
        self._start()

    def store(self, messages: list[Incoming]) -> list[Received]:
        reply = self._ask(messages)
        if isinstance(reply, str):
            raise StorageUnavailable(reply)
        return reply

    def checkpoint(self) -> None:
        self._ask(CHECKPOINT)

    def close(self) -> None:
        with self.lock:
            if self.connection is not None:
                self.connection.close()
        if self.process is not None:
            self.process.join(timeout=10)
            if self.process.is_alive():
                self.process.terminate()

    def _ask(self, request):
        with self.lock:
            try:
                self.connection.send(request)
                return self.connection.recv()
            except (EOFError, OSError) as error:
                # The child died (killed, out of memory): start another for the next batch.
                log.error("storage process lost (%s); starting a new one", error)
                self._start()
                raise StorageUnavailable(f"storage process lost: {error}") from error

    def _start(self) -> None:
        parent, child = self.context.Pipe(duplex=True)
        self.process = self.context.Process(
            target=serve_storage, args=(child, self.database_url, self.busy_timeout_ms, self.observability),
            name="gateway-storage", daemon=True,
        )
        self.process.start()
        child.close()
        self.connection = parent


def serve_storage(connection: Connection, database_url: str, busy_timeout_ms: int,
                  observability: Observability | None = None) -> None:
    """The child: store each batch it is sent and answer with the rows, or with the error's text."""
    setup_logging(observability)
    database = Database(database_url, busy_timeout_ms, auto_checkpoint=False)
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return  # `serve` is gone.
        try:
            if request == CHECKPOINT:
                database.checkpoint()
                connection.send(None)
            else:
                connection.send(receive_many(database, request))
        except Exception as error:  # noqa: BLE001 - the parent answers 451 with this reason
            connection.send(f"{type(error).__name__}: {error}")
