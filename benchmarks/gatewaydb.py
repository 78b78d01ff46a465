"""Reads the gateway's database directly, beside the running gateway: SQLite under var/, or PostgreSQL."""

import sqlite3
from pathlib import Path

TERMINAL_STATES = ("processed", "ignored", "quarantined", "failed")


def query(where: Path | str, sql: str, parameters: tuple = ()) -> list[tuple]:
    """Run one read, `?` placeholders; `where` is the var folder (SQLite) or a PostgreSQL URL."""
    if isinstance(where, str):
        return _query_postgres(where, sql, parameters)
    connection = sqlite3.connect(where / "gateway.db", timeout=30)
    try:
        connection.execute("PRAGMA query_only=ON")
        return connection.execute(sql, parameters).fetchall()
    finally:
        connection.close()


def _query_postgres(url: str, sql: str, parameters: tuple) -> list[tuple]:
    import psycopg

    # psycopg takes the plain libpq URL, without SQLAlchemy's "+psycopg" driver name.
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as connection:
        return [tuple(row) for row in connection.execute(sql.replace("?", "%s"), parameters).fetchall()]


def mail_states(where: Path | str, like: str = "%") -> dict[str, int]:
    """Mails per status whose Message-ID matches the SQL pattern `like`."""
    return dict(query(where, "SELECT status, count(*) FROM mails WHERE message_id LIKE ? GROUP BY status", (like,)))


def outbox_states(where: Path | str) -> dict[str, int]:
    return dict(query(where, "SELECT status, count(*) FROM outbox GROUP BY status"))


def unfinished(where: Path | str, like: str = "%") -> int:
    """Mails not yet terminal plus outgoing mail not yet sent: what the workers still owe."""
    mails = sum(n for state, n in mail_states(where, like).items() if state not in TERMINAL_STATES)
    return mails + outbox_states(where).get("pending", 0)
