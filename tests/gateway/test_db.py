"""Storage: migrations at start, SQLite tuned for durability, PostgreSQL by URL."""

from sqlalchemy import inspect, text

from gateway.db import Database
from tests.helpers import make_mail, store


def test_migrations_create_the_tables_on_both_databases(any_db_gateway):
    tables = set(inspect(any_db_gateway.database.engine).get_table_names())
    assert {"mails", "outbox", "alembic_version", "invoices", "invoice_counters", "archive_entries"} <= tables


def test_migrating_twice_changes_nothing(any_db_gateway):
    any_db_gateway.database.migrate()
    with any_db_gateway.database.engine.connect() as connection:
        versions = set(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    assert versions == set(migration_heads())


def migration_heads() -> list[str]:
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

    from gateway.db import MIGRATIONS_DIR

    alembic_config = AlembicConfig()
    alembic_config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(alembic_config).get_heads()


def test_the_migrations_form_one_line(tmp_path):
    # Every migration follows the one before it: two heads would let tables be created in any order.
    assert len(migration_heads()) == 1


def test_sqlite_runs_in_wal_with_full_sync_and_a_busy_timeout(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'var' / 'gateway.db'}", busy_timeout_ms=1234)
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
    database.dispose()


def test_plain_postgresql_url_uses_the_shipped_driver():
    database = Database("postgresql://user@localhost/db")
    assert database.engine.url.drivername == "postgresql+psycopg"
    database.dispose()


def test_duplicate_is_recognised_on_both_databases(any_db_gateway):
    raw = make_mail(message_id="<dup@x>")
    first, second = store(any_db_gateway, raw), store(any_db_gateway, raw)
    assert first.created and not second.created
    assert first.mail_id == second.mail_id


def test_mail_without_message_id_is_keyed_on_its_bytes(any_db_gateway):
    raw = make_mail().replace(b"Message-ID:", b"X-No-Id:")
    assert store(any_db_gateway, raw).created
    assert not store(any_db_gateway, raw).created
    assert store(any_db_gateway, raw + b"more\r\n").created
