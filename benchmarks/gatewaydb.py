"""Reads the gateway's SQLite database directly, beside the running gateway."""

import sqlite3
from pathlib import Path

TERMINAL_STATES = ("processed", "ignored", "quarantined", "failed")


def query(var_dir: Path, sql: str, parameters: tuple = ()) -> list[tuple]:
    """Run one read on the gateway's SQLite database, beside the running gateway."""
    connection = sqlite3.connect(var_dir / "gateway.db", timeout=30)
    try:
        connection.execute("PRAGMA query_only=ON")
        return connection.execute(sql, parameters).fetchall()
    finally:
        connection.close()


def mail_states(var_dir: Path, like: str = "%") -> dict[str, int]:
    """Mails per status whose Message-ID matches the SQL pattern `like`."""
    return dict(query(var_dir, "SELECT status, count(*) FROM mails WHERE message_id LIKE ? GROUP BY status", (like,)))


def outbox_states(var_dir: Path) -> dict[str, int]:
    return dict(query(var_dir, "SELECT status, count(*) FROM outbox GROUP BY status"))


def unfinished(var_dir: Path, like: str = "%") -> int:
    """Mails not yet terminal plus outgoing mail not yet sent: what the worker still owes."""
    mails = sum(n for state, n in mail_states(var_dir, like).items() if state not in TERMINAL_STATES)
    return mails + outbox_states(var_dir).get("pending", 0)
