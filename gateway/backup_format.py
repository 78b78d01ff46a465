"""The backup file's format: one tar with a manifest and one gzipped JSON-lines member per table.

A row is a JSON array in the manifest's column order. Values are written by their Python type
(bytes as base64, datetimes as ISO 8601 in UTC, dates ISO, Decimals as strings) and read back by
the target column's type, so a backup taken on SQLite loads into PostgreSQL and back.
"""

import base64
import hashlib
import json
from datetime import date, datetime, time, timezone
from decimal import Decimal

from sqlalchemy import Date, DateTime, Float, LargeBinary, MetaData, Numeric, Table, Time
from sqlalchemy.engine import Connection

FORMAT_NAME = "invoice-gateway-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# The manifest's own checksum: a changed byte anywhere in the manifest is caught too.
MANIFEST_CHECKSUM = "manifest.json.sha256"
SKIPPED_TABLES = {"alembic_version"}
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup that cannot be written or read, with the reason in English."""


def member_name(table: str) -> str:
    return f"tables/{table}.jsonl.gz"


def gateway_tables(connection: Connection) -> list[Table]:
    """Every table of the database (read from the database itself), parents before children."""
    metadata = MetaData()
    metadata.reflect(bind=connection)
    return [table for table in metadata.sorted_tables if table.name not in SKIPPED_TABLES]


def encode_value(value):
    """A column value as JSON: exact, and the same spelling from SQLite and PostgreSQL."""
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime):
        # SQLite hands stored times back without their zone, and the gateway stores UTC.
        aware = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value
        return aware.astimezone(timezone.utc).isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def decode_value(value, column_type):
    """A JSON value back into what the target column takes."""
    if value is None:
        return None
    if isinstance(column_type, LargeBinary):
        return base64.b64decode(value)
    if isinstance(column_type, DateTime):
        # Stored in UTC everywhere: SQLite keeps no zone, so the value must already be UTC.
        return datetime.fromisoformat(value).astimezone(timezone.utc)
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    if isinstance(column_type, Time):
        return time.fromisoformat(value)
    if isinstance(column_type, Numeric) and not isinstance(column_type, Float) and isinstance(value, str):
        return Decimal(value)
    # Text, numbers and JSON columns take the JSON value as it is.
    return value


def encode_row(row) -> bytes:
    values = [encode_value(value) for value in row]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def manifest_bytes(manifest: dict) -> bytes:
    return json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class HashingWriter:
    """A file wrapper that hashes and counts what is written through it."""

    def __init__(self, file):
        self.file = file
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data) -> int:
        self.hash.update(data)
        self.size += len(data)
        return self.file.write(data)

    def flush(self) -> None:
        self.file.flush()


class HashingReader:
    """A file wrapper that hashes what is read through it."""

    def __init__(self, file):
        self.file = file
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.hash.update(data)
        return data

    def readable(self) -> bool:
        return True
