"""One worker per mail at a time: a set in this process and, on PostgreSQL, a session advisory lock.

A broker may hand the same mail to several workers at once: a rescan queues again a mail that is
still waiting in the broker, Redis hands out again the messages of a worker it believes dead,
RabbitMQ redelivers what a lost connection had not acknowledged. Processing is safe to repeat,
but each start counts an attempt, and three starts quarantine the mail: copies running side by
side would quarantine a healthy mail. A copy that finds the mail held by another worker is
therefore dropped. If that worker dies, its database session ends with it, the lock is released,
and the mail (still `processing`) comes back through the broker's redelivery or the rescan.
"""

import contextlib
import logging
import threading
from collections.abc import Iterator

from sqlalchemy import text
from sqlalchemy.engine import Connection

from gateway.db import Database

log = logging.getLogger(__name__)

# The first key of PostgreSQL's two-key advisory locks: any fixed number, the same in every process.
MAIL_LOCK_SPACE = 7_340_212
INT4_KEYS = 2**31


class MailLocks:
    """Held while a job processes one mail; `hold(mail_id)` yields False when someone else has it."""

    def __init__(self, database: Database):
        self.database = database
        self.held: set[int] = set()
        self.guard = threading.Lock()

    @contextlib.contextmanager
    def hold(self, mail_id: int) -> Iterator[bool]:
        if not self._take_here(mail_id):
            yield False
            return
        try:
            if self.database.is_sqlite:
                # SQLite serves one machine and one worker process: the set above is enough.
                yield True
            else:
                with self._advisory(mail_id % INT4_KEYS) as taken:
                    yield taken
        finally:
            with self.guard:
                self.held.discard(mail_id)

    def _take_here(self, mail_id: int) -> bool:
        with self.guard:
            if mail_id in self.held:
                return False
            self.held.add(mail_id)
            return True

    @contextlib.contextmanager
    def _advisory(self, key: int) -> Iterator[bool]:
        connection = self.database.engine.connect()
        try:
            taken = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:space, :key)"), {"space": MAIL_LOCK_SPACE, "key": key}))
            # The lock belongs to the session, not the transaction: end the transaction at once so
            # that the connection does not sit idle in a transaction while the mail is processed.
            connection.commit()
        except Exception:
            _discard(connection)
            raise
        try:
            yield taken
        finally:
            if taken:
                _unlock(connection, key)
            connection.close()


def _unlock(connection: Connection, key: int) -> None:
    try:
        connection.execute(text("SELECT pg_advisory_unlock(:space, :key)"), {"space": MAIL_LOCK_SPACE, "key": key})
        connection.commit()
    except Exception as error:  # noqa: BLE001 - closing the session below releases the lock just as well
        log.warning("advisory lock %s not released (%s); its connection is closed instead", key, error)
        _discard(connection)


def _discard(connection: Connection) -> None:
    """Close the server session for good: a pooled connection must never keep a lock."""
    try:
        connection.invalidate()
    finally:
        connection.close()
