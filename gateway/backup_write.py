"""Writing a backup: every table read in one consistent snapshot, streamed into one tar file."""

import contextlib
import gzip
import io
import os
import tarfile
import tempfile
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Table, select, text
from sqlalchemy.engine import Connection

from gateway.backup_format import (
    FORMAT_NAME, FORMAT_VERSION, MANIFEST, MANIFEST_CHECKSUM, BackupError, HashingWriter, encode_row,
    gateway_tables, manifest_bytes, member_name, sha256_hex,
)
from gateway.db import Database

ROWS_PER_FETCH = 100
# Mail is mostly text: level 6 gains little over 1 and costs twice the time.
GZIP_LEVEL = 1


def write_backup(database: Database, output: Path) -> dict:
    """Write the whole database into `output` (written aside, synced, then renamed); return the manifest."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as folder:
        with snapshot(database) as connection:
            manifest = dump_tables(connection, Path(folder), database.engine.dialect.name)
        partial = Path(folder) / "backup.tar"
        write_tar(partial, manifest, Path(folder))
        os.replace(partial, output)
    _sync_folder(output.parent)
    return manifest


@contextlib.contextmanager
def snapshot(database: Database) -> Iterator[Connection]:
    """One read transaction: every table as it stood at one instant, without blocking writers."""
    if database.is_sqlite:
        # In WAL mode an open read transaction keeps seeing the database as at its first read.
        with database.read_engine.connect() as connection, connection.begin():
            yield connection
        return
    options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with database.engine.connect().execution_options(**options) as connection, connection.begin():
        yield connection


def dump_tables(connection: Connection, folder: Path, dialect: str) -> dict:
    revision = _schema_revision(connection)
    tables = [dump_table(connection, table, folder) for table in gateway_tables(connection)]
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "schema_revision": revision,
        "created_at": datetime.now(timezone.utc).isoformat(),
        "source": dialect,
        "archive_head": _archive_head(connection),
        "tables": tables,
    }


def dump_table(connection: Connection, table: Table, folder: Path) -> dict:
    """Stream one table's rows, in primary-key order, into a gzipped JSON-lines file."""
    path = folder / member_name(table.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    order = list(table.primary_key.columns) or list(table.columns)
    rows = 0
    with open(path, "wb") as raw:
        hashing = HashingWriter(raw)
        with gzip.GzipFile(fileobj=hashing, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as packed:
            result = connection.execution_options(stream_results=True, yield_per=ROWS_PER_FETCH).execute(
                select(table).order_by(*order)
            )
            for row in result:
                packed.write(encode_row(row))
                rows += 1
    return {
        "name": table.name, "member": member_name(table.name), "columns": [column.name for column in table.columns],
        "rows": rows, "bytes": hashing.size, "sha256": hashing.hash.hexdigest(),
    }


def write_tar(path: Path, manifest: dict, folder: Path) -> None:
    """The manifest and its checksum first, so a reader checks them before any table."""
    mtime = int(datetime.fromisoformat(manifest["created_at"]).timestamp())
    data = manifest_bytes(manifest)
    with open(path, "wb") as file:
        with tarfile.open(fileobj=file, mode="w", format=tarfile.PAX_FORMAT) as tar:
            _add_bytes(tar, MANIFEST, data, mtime)
            _add_bytes(tar, MANIFEST_CHECKSUM, f"{sha256_hex(data)}  {MANIFEST}\n".encode(), mtime)
            for entry in manifest["tables"]:
                info = tar.gettarinfo(str(folder / entry["member"]), arcname=entry["member"])
                info.mtime, info.mode, info.uid, info.gid, info.uname, info.gname = mtime, 0o600, 0, 0, "", ""
                with open(folder / entry["member"], "rb") as member:
                    tar.addfile(info, member)
        file.flush()
        os.fsync(file.fileno())
    # A backup holds every mail received: readable by its owner only.
    os.chmod(path, 0o600)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: int) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), mtime, 0o600
    tar.addfile(info, io.BytesIO(data))


def _schema_revision(connection: Connection) -> str:
    try:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    except Exception as error:  # noqa: BLE001 - any failure means this is no gateway database
        raise BackupError(f"the database has no gateway schema (alembic_version unreadable: {error})") from None


def _archive_head(connection: Connection) -> dict | None:
    # Printed by restore and compared with the restored head: the chain's fingerprint at backup time.
    if not connection.dialect.has_table(connection, "archive_head"):
        return None
    row = connection.execute(text("SELECT last_seq, last_hash FROM archive_head WHERE id = 1")).first()
    return {"seq": row.last_seq, "hash": row.last_hash} if row else None


def _sync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
