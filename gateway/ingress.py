"""The one way in: SMTP and IMAP hand raw bytes to `receive`, which stores them and commits."""

import hashlib
import logging
import queue
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from gateway.db import Database
from gateway.models import Mail, utcnow
from gateway.trust import TrustVerdict

log = logging.getLogger(__name__)

# Only the Message-ID is read at the edge, from the header block, to recognise a second delivery.
MESSAGE_ID_PATTERN = re.compile(rb"^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.IGNORECASE | re.MULTILINE)
HEADER_END_PATTERN = re.compile(rb"\r?\n\r?\n")


@dataclass(frozen=True)
class Received:
    mail_id: int
    created: bool  # False when the same message was already stored


def message_id_of(raw: bytes) -> str:
    end = HEADER_END_PATTERN.search(raw)
    header_block = raw[: end.start()] if end else raw[:65536]
    match = MESSAGE_ID_PATTERN.search(header_block)
    if not match:
        return ""
    value = b" ".join(match.group(1).split()).decode("ascii", "replace")
    return value[:998]


@dataclass(frozen=True)
class Incoming:
    """One message as an ingress hands it over, before anything reads its content."""

    raw: bytes
    recipients: list[str]
    source: str
    envelope_from: str | None
    peer: str
    trust: TrustVerdict
    helo: str = ""


def receive(
    database: Database,
    raw: bytes,
    recipients: list[str],
    source: str,
    envelope_from: str | None,
    peer: str,
    trust: TrustVerdict,
    helo: str = "",
) -> Received:
    """Store one message and commit; a message already stored is acknowledged, not stored twice."""
    [received] = receive_many(database, [Incoming(raw, recipients, source, envelope_from, peer, trust, helo)])
    return received


def _insert_statement(dialect_insert):
    # Built once: the row's values come as parameters, so SQLAlchemy compiles it once per process.
    # A second delivery of the same bytes with the same Message-ID inserts nothing.
    return dialect_insert(Mail).on_conflict_do_nothing(index_elements=["message_id", "sha256"]).returning(Mail.id)


INSERT = {"sqlite": _insert_statement(sqlite_insert), "postgresql": _insert_statement(postgresql_insert)}


def receive_many(database: Database, messages: list[Incoming]) -> list[Received]:
    """Store several messages in one transaction (one commit, one disk sync), in order."""
    statement = INSERT["sqlite" if database.is_sqlite else "postgresql"]
    with database.engine.begin() as connection:
        return [_store_one(connection, statement, _row(message)) for message in messages]


def _store_one(connection, statement, row: dict) -> Received:
    created = connection.execute(statement, row).scalar_one_or_none()
    if created is not None:
        return Received(created, True)
    existing = connection.execute(
        select(Mail.id).where(Mail.message_id == row["message_id"], Mail.sha256 == row["sha256"])
    ).scalar_one()
    return Received(existing, False)


def _row(message: Incoming) -> dict:
    return {
        "message_id": message_id_of(message.raw),
        "sha256": hashlib.sha256(message.raw).hexdigest(),
        "raw": message.raw,
        "size": len(message.raw),
        "source": message.source,
        "envelope_from": message.envelope_from,
        "envelope_to": [recipient.lower() for recipient in message.recipients],
        "peer": message.peer,
        "received_at": utcnow(),
        "auth_verdict": message.trust.verdict,
        "auth_detail": message.trust.detail,
        "helo": message.helo[:255],
        "status": "pending",
        "reason": "",
        "route": "",
        "sender": "",
        "subject": "",
        "attempts": 0,
    }


# The writer checkpoints SQLite after this long without mail, or after this many mails at the most.
IDLE_SECONDS = 0.2
CHECKPOINT_EVERY = 2000


class IngressWriter:
    """One storage thread for the SMTP sessions: what arrives together is committed together.

    With eight clients sending at once, eight mails share one commit and one disk sync instead of
    queueing for SQLite's single write lock one by one. Each caller still gets its answer only
    after the commit that holds its mail.
    """

    def __init__(self, database: Database, on_stored: Callable[[int], None], max_batch: int = 32):
        self.database = database
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
            self.database.checkpoint()
        except Exception:  # noqa: BLE001 - a missed checkpoint only lets the log grow until the next
            log.exception("checkpoint of the database failed")

    def _store(self, batch: list[tuple[Incoming, Future]]) -> None:
        try:
            results = receive_many(self.database, [message for message, _ in batch])
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
