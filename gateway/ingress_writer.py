"""The storage thread of the SMTP ingress: mails that arrive together are committed together."""

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Protocol

from gateway.db import Database
from gateway.ingress import Incoming, Received, receive_many

log = logging.getLogger(__name__)

# The writer checkpoints SQLite after this long without mail, or after this many mails at the most.
IDLE_SECONDS = 0.2
CHECKPOINT_EVERY = 2000


class Storage(Protocol):
    def store(self, messages: list[Incoming]) -> list[Received]: ...

    def checkpoint(self) -> None: ...


class LocalStorage:
    """Storage in this process, on the process's own database."""

    def __init__(self, database: Database):
        self.database = database

    def store(self, messages: list[Incoming]) -> list[Received]:
        return receive_many(self.database, messages)

    def checkpoint(self) -> None:
        self.database.checkpoint()


class IngressWriter:
    """One storage thread for the SMTP sessions: what arrives together is committed together.

    With eight clients sending at once, eight mails share one commit and one disk sync instead of
    queueing for SQLite's single write lock one by one. Each caller still gets its answer only
    after the commit that holds its mail.
    """

    def __init__(self, storage: Storage, on_stored: Callable[[int], None], max_batch: int = 32):
        self.storage = storage
        self.on_stored = on_stored
        self.max_batch = max_batch
        self.pending: queue.SimpleQueue = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="ingress-writer", daemon=True)
        self.thread.start()

    def submit(self, message: Incoming) -> Future:
        future: Future = Future()
        self.pending.put((message, future))
        return future

    def close(self) -> None:
        self.pending.put(None)
        self.thread.join(timeout=30)

    def _run(self) -> None:
        stored_since_checkpoint = 0
        while True:
            try:
                first = self.pending.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                # Mail has paused: the write-ahead log is copied into the database file now,
                # rather than inside a commit that SMTP clients are waiting for.
                if stored_since_checkpoint:
                    self._checkpoint()
                    stored_since_checkpoint = 0
                continue
            if first is None:
                return
            batch = [first]
            while len(batch) < self.max_batch and not self.pending.empty():
                item = self.pending.get()
                if item is None:
                    self.pending.put(None)
                    break
                batch.append(item)
            self._store(batch)
            stored_since_checkpoint += len(batch)
            if stored_since_checkpoint >= CHECKPOINT_EVERY:
                self._checkpoint()  # Mail never pauses: the log must not grow without end.
                stored_since_checkpoint = 0

    def _checkpoint(self) -> None:
        try:
            self.storage.checkpoint()
        except Exception:  # noqa: BLE001 - a missed checkpoint only lets the log grow until the next
            log.exception("checkpoint of the database failed")

    def _store(self, batch: list[tuple[Incoming, Future]]) -> None:
        try:
            results = self.storage.store([message for message, _ in batch])
        except Exception as error:  # noqa: BLE001 - every waiting session is told, none is lost silently
            log.exception("storing %s messages failed", len(batch))
            for _, future in batch:
                future.set_exception(error)
            return
        for (_, future), received in zip(batch, results):
            if received.created:
                self._notify(received.mail_id)
            future.set_result(received)

    def _notify(self, mail_id: int) -> None:
        try:
            self.on_stored(mail_id)
        except Exception:  # noqa: BLE001 - the mail is committed; a worker's rescan finds it
            log.exception("queueing mail %s failed; it waits for the next rescan", mail_id)
