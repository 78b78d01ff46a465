"""Shared fixtures: a configured gateway on SQLite or on the machine's PostgreSQL."""


import pytest
from sqlalchemy import create_engine, text

from tests.helpers import RecordingServer

from gateway.app import Gateway, open_gateway
from gateway.config import Config
from tests.helpers import fresh_postgres_database, make_config


@pytest.fixture(scope="session")
def postgres_url():
    """A database of its own on the machine's PostgreSQL for this test session."""
    with fresh_postgres_database("gateway_test") as url:
        yield url


# Tables whose rows are set up by the migrations, not by the tests.
KEPT_TABLES = {"alembic_version", "archive_head"}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'var' / 'gateway.db'}"
    url = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    with engine.begin() as connection:
        # Every test starts from empty tables (the archive head back at the genesis hash), so that
        # series start at FA…-0001 and counts are the test's own.
        tables = connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
        emptied = [name for name in tables if name not in KEPT_TABLES]
        if emptied:
            connection.execute(text(f"TRUNCATE {', '.join(emptied)} RESTART IDENTITY CASCADE"))
        if "archive_head" in tables:
            from invoicing.archive import GENESIS_HASH

            connection.execute(text("UPDATE archive_head SET last_seq = 0, last_hash = :genesis"), {"genesis": GENESIS_HASH})
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




@pytest.fixture
def web_server():
    """A real local web server that records every request it gets: rendering must make none."""
    server = RecordingServer()
    yield server
    server.close()
