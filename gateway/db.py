"""Opens the database (SQLite by default, PostgreSQL by URL) and brings its schema up to date."""

import contextlib
import fcntl
import threading
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
PAGE_SIZE = 16384
# Any fixed number works: it only has to be the same in every gateway process.
POSTGRES_MIGRATION_LOCK = 7_340_211


class Database:
    """The engines and session factories of one process, shared by its threads.

    `transaction()` is for work that writes; `sessions()` for reading. On SQLite they differ: a
    writing transaction takes the single write lock up front, a reading one takes no lock at all
    (WAL readers never block writers), so reports and look-ups never queue behind the ingress.
    """

    def __init__(self, url: str, busy_timeout_ms: int = 5000, auto_checkpoint: bool = True):
        self.url = _normalise_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        self.busy_timeout_ms = busy_timeout_ms
        self._writer = threading.RLock()
        if self.is_sqlite:
            _ensure_sqlite_folder(self.url)
            self.engine = _sqlite_engine(self.url, busy_timeout_ms, "BEGIN IMMEDIATE", auto_checkpoint)
            self.read_engine = _sqlite_engine(self.url, busy_timeout_ms, "BEGIN", auto_checkpoint)
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True, pool_size=8, max_overflow=8)
            self.read_engine = self.engine
        self.write_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.sessions = sessionmaker(self.read_engine, expire_on_commit=False)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session inside one writing transaction: committed on success, rolled back on error."""
        with self._writer_turn(), self.write_sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def _writer_turn(self) -> Iterator[None]:
        # SQLite has one write lock, and a writer that finds it taken sleeps and polls (1, 2, 5…
        # up to 100 ms between tries) even when it is free again a millisecond later. The threads
        # of one process therefore queue here and hand the lock on at once; only other processes
        # are left to SQLite's polling. Reentrant: a nested transaction fails in SQLite as before.
        if not self.is_sqlite:
            yield
            return
        if not self._writer.acquire(timeout=self.busy_timeout_ms / 1000):
            raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked (writer queue)"))
        try:
            yield
        finally:
            self._writer.release()

    def migrate(self) -> None:
        """Run the Alembic migrations; safe when several processes start at once."""
        with self._migration_lock(), self.engine.begin() as connection:
            if not self.is_sqlite:
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_MIGRATION_LOCK})
            alembic_config = AlembicConfig()
            alembic_config.set_main_option("script_location", str(MIGRATIONS_DIR))
            alembic_config.attributes["connection"] = connection
            command.upgrade(alembic_config, "heads")

    @contextlib.contextmanager
    def _migration_lock(self) -> Iterator[None]:
        # SQLite has no advisory lock; a lock file beside the database plays that part.
        if not self.is_sqlite or self.url.endswith(":memory:"):
            yield
            return
        lock_path = Path(self.url.split("///", 1)[1] + ".migrate.lock")
        with open(lock_path, "w") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            yield

    def checkpoint(self) -> None:
        """Copy the SQLite write-ahead log into the database file, without blocking anyone."""
        if not self.is_sqlite:
            return
        connection = self.engine.raw_connection()
        try:
            connection.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            connection.close()

    def dispose(self) -> None:
        self.engine.dispose()
        self.read_engine.dispose()


def _normalise_url(url: str) -> str:
    # psycopg 3 is the driver we ship; plain postgresql:// URLs would ask for psycopg2.
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _ensure_sqlite_folder(url: str) -> None:
    path = url.split("///", 1)[1] if "///" in url else ""
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_engine(url: str, busy_timeout_ms: int, begin: str, auto_checkpoint: bool) -> Engine:
    engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})
    _tune_sqlite(engine, busy_timeout_ms, begin, auto_checkpoint)
    return engine


def _tune_sqlite(engine: Engine, busy_timeout_ms: int, begin: str, auto_checkpoint: bool) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # Mails of tens of kilobytes fill fewer, larger pages: a commit writes a third fewer WAL
        # frames than with 4 KB pages. It applies to a new database only (before its first table).
        cursor.execute(f"PRAGMA page_size={PAGE_SIZE}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        if not auto_checkpoint:
            # The ingress checkpoints when mail pauses instead of inside a commit that a client awaits.
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # A writing transaction takes the write lock up front ("BEGIN IMMEDIATE"): a deferred
        # one that later writes can fail at once with "database is locked" instead of waiting.
        connection.exec_driver_sql(begin)
