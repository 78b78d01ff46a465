"""Fixtures of the invoicing tests: a gateway whose invoicing tables start empty on both databases."""

import pytest
from sqlalchemy import text

from invoicing.archive import GENESIS_HASH

INVOICING_TABLES = "invoice_counters, invoices, archive_entries"


def empty_invoicing_tables(database) -> None:
    """The session's PostgreSQL database is shared by the tests: start each one from nothing."""
    if database.is_sqlite:
        return
    with database.engine.begin() as connection:
        empty_invoicing_tables_on(connection)


def empty_invoicing_tables_on(connection) -> None:
    connection.execute(text(f"TRUNCATE {INVOICING_TABLES} RESTART IDENTITY CASCADE"))
    connection.execute(text("UPDATE archive_head SET last_seq = 0, last_hash = :genesis"), {"genesis": GENESIS_HASH})


@pytest.fixture
def invoicing_gateway(any_db_gateway):
    """The gateway on SQLite and on PostgreSQL, with no document issued yet."""
    empty_invoicing_tables(any_db_gateway.database)
    return any_db_gateway
