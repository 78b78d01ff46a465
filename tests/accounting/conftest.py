"""Fixtures of the accounting tests: a gateway whose journal starts empty on both databases."""

import pytest
from sqlalchemy import text


@pytest.fixture
def journal_gateway(any_db_gateway):
    """The gateway on SQLite and on PostgreSQL; the session's PostgreSQL database is shared, so it is emptied."""
    database = any_db_gateway.database
    if not database.is_sqlite:
        with database.engine.begin() as connection:
            connection.execute(text("TRUNCATE journal_lines, journal_entries RESTART IDENTITY CASCADE"))
    return any_db_gateway
