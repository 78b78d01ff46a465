"""Shared fixtures: a configured gateway on SQLite or on the machine's PostgreSQL."""


import pytest
from sqlalchemy import create_engine, text

from gateway.app import Gateway, open_gateway
from gateway.config import Config
from tests.helpers import fresh_postgres_database, make_config


@pytest.fixture(scope="session")
def postgres_url():
    """A database of its own on the machine's PostgreSQL for this test session."""
    with fresh_postgres_database("gateway_test") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'var' / 'gateway.db'}"
    url = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
        if "mails" in tables:
            connection.execute(text("TRUNCATE mails, outbox, imap_ledger, reply_tokens, decisions RESTART IDENTITY CASCADE"))
        if "invoices" in tables:
            # Every test starts its series at FA…-0001 and its archive chain from the genesis hash.
            from tests.invoicing.conftest import empty_invoicing_tables_on

            empty_invoicing_tables_on(connection)
    engine.dispose()
    return url


@pytest.fixture
def config(tmp_path) -> Config:
    return make_config(tmp_path / "var")


@pytest.fixture
def gateway(config) -> Gateway:
    opened = open_gateway(config)
    yield opened
    opened.close()


@pytest.fixture
def any_db_gateway(tmp_path, database_url) -> Gateway:
    """The same gateway on SQLite and on PostgreSQL."""
    opened = open_gateway(make_config(tmp_path / "var", database_url))
    yield opened
    opened.close()


