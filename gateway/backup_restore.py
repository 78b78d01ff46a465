"""Restoring a backup into an empty database: schema first, then every row in one transaction."""

from dataclasses import dataclass, field
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from sqlalchemy import Integer, Table, func, inspect, select, text
from sqlalchemy.engine import Connection

from gateway.backup_format import BackupError, decode_value, gateway_tables
from gateway.backup_read import table_rows
from gateway.db import MIGRATIONS_DIR, POSTGRES_MIGRATION_LOCK, Database

ROWS_PER_INSERT = 500
# Rows the migrations themselves write into a new database; the restore replaces them.
SEEDED_ROWS = {"archive_head": "last_seq = 0"}


@dataclass
class RestoreReport:
    revision: str
    rows: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def alembic_config() -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def known_revisions() -> list[str]:
    """The schema revisions this gateway knows, oldest first (the history is one line)."""
    script = ScriptDirectory.from_config(alembic_config())
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def check_target(database: Database, backup_revision: str) -> None:
    """Refuse a backup from a newer gateway, and any target that already holds data."""
    revisions = known_revisions()
    if backup_revision not in revisions:
        raise BackupError(f"the backup comes from a newer gateway (schema {backup_revision}; this one knows up to "
                          f"{revisions[-1]}): upgrade the gateway first")
    with database.engine.connect() as connection:
        names = set(inspect(connection).get_table_names())
        current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar() if "alembic_version" in names else None
        if current is not None and (current not in revisions or revisions.index(current) > revisions.index(backup_revision)):
            raise BackupError(f"the target database is at schema {current}, newer than the backup's {backup_revision}: "
                              "restore into a new, empty database")
        _refuse_rows(connection, names - {"alembic_version"})


def migrate_to(database: Database, revision: str) -> None:
    """Create the schema exactly as it was when the backup was written."""
    with database.engine.begin() as connection:
        if not database.is_sqlite:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_MIGRATION_LOCK})
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def load_backup(database: Database, path: Path, manifest: dict) -> RestoreReport:
    """Insert every row in one transaction: a damaged table leaves the database as empty as it was."""
    report = RestoreReport(revision=manifest["schema_revision"])
    entries = {entry["name"]: entry for entry in manifest["tables"]}
    with database.transaction() as session:
        connection = session.connection()
        tables = {table.name: table for table in gateway_tables(connection)}
        _check_columns(tables, entries)
        # Checked again under the write lock: another process may have written since the first look.
        _refuse_rows(connection, tables)
        for name, condition in SEEDED_ROWS.items():
            if name in tables:
                connection.execute(text(f"DELETE FROM {name} WHERE {condition}"))
        for table in tables.values():
            if table.name in entries:
                report.rows[table.name] = load_table(connection, table, path, entries[table.name])
        if not database.is_sqlite:
            reset_sequences(connection, tables.values())
        report.problems = compare_counts(connection, tables, entries) + _compare_head(connection, manifest)
        if report.problems:
            raise BackupError("the restored rows differ from the backup: " + "; ".join(report.problems))
    return report


def load_table(connection: Connection, table: Table, path: Path, entry: dict) -> int:
    columns = [table.columns[name] for name in entry["columns"]]
    batch, count = [], 0
    for values in table_rows(path, entry):
        batch.append({column.name: decode_value(value, column.type) for column, value in zip(columns, values, strict=True)})
        if len(batch) >= ROWS_PER_INSERT:
            connection.execute(table.insert(), batch)
            count, batch = count + len(batch), []
    if batch:
        connection.execute(table.insert(), batch)
        count += len(batch)
    return count


def reset_sequences(connection: Connection, tables) -> None:
    """PostgreSQL's id sequences start after the restored ids, or the next insert would collide."""
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        name, key = table.name, keys[0].name
        # pg_get_serial_sequence gives NULL for a key without a sequence, and setval(NULL) does nothing.
        connection.execute(text(
            f'SELECT setval(pg_get_serial_sequence(:table, :key), COALESCE((SELECT MAX("{key}") FROM "{name}"), 0) + 1, false)'
        ), {"table": name, "key": key})


def compare_counts(connection: Connection, tables: dict[str, Table], entries: dict[str, dict]) -> list[str]:
    problems = []
    for name, entry in entries.items():
        rows = connection.execute(select(func.count()).select_from(tables[name])).scalar_one()
        if rows != entry["rows"]:
            problems.append(f"table {name}: {rows} rows restored, {entry['rows']} in the backup")
    return problems


def _compare_head(connection: Connection, manifest: dict) -> list[str]:
    head = manifest.get("archive_head")
    if not head:
        return []
    row = connection.execute(text("SELECT last_seq, last_hash FROM archive_head WHERE id = 1")).first()
    if row is None or (row.last_seq, row.last_hash) != (head["seq"], head["hash"]):
        return [f"the archive head is {tuple(row) if row else None}, the backup's is {head['seq']} {head['hash']}"]
    return []


def _check_columns(tables: dict[str, Table], entries: dict[str, dict]) -> None:
    for name, entry in entries.items():
        if name not in tables:
            raise BackupError(f"table {name} of the backup does not exist in the target's schema")
        expected = {column.name for column in tables[name].columns}
        if set(entry["columns"]) != expected:
            raise BackupError(f"table {name}: the backup's columns {sorted(entry['columns'])} differ from the schema's {sorted(expected)}")


def _refuse_rows(connection: Connection, names) -> None:
    for name in sorted(names):
        rows = _rows_not_seeded(connection, name)
        if rows:
            raise BackupError(f"the target database is not empty (table {name} has {rows} rows): "
                              "restore only into an empty database")


def _rows_not_seeded(connection: Connection, name: str) -> int:
    condition = f" WHERE NOT ({SEEDED_ROWS[name]})" if name in SEEDED_ROWS else ""
    return connection.execute(text(f'SELECT COUNT(*) FROM "{name}"{condition}')).scalar_one()
