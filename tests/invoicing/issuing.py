"""Helpers of the invoicing tests: the documented example request, issuing without a PDF, tampering."""

import json
from datetime import date

from sqlalchemy import text

from tests.helpers import ROOT

EXAMPLE = ROOT / "config" / "examples" / "invoice.json"
SQLITE_GUARDS = ("invoices_fixed", "invoices_kept", "archive_entries_update", "archive_entries_delete")


def example_request(**changes):
    from invoicing.request import parse_request

    return parse_request({**json.loads(EXAMPLE.read_text(encoding="utf-8")), **changes})


def issue_without_pdf(gateway, day: date = date(2026, 11, 26), **changes) -> str:
    """What the issue transaction commits, as left by a crash just before rendering."""
    from invoicing.issue import issue_request

    return issue_request(gateway.database, gateway.config, example_request(**changes), today=day)


def tamper(database, sql: str, **parameters) -> None:
    """Change stored rows behind the application's back, as someone with database access could."""
    with database.engine.begin() as connection:
        if database.is_sqlite:
            # SQLite cannot switch triggers off; the intruder drops them.
            for trigger in SQLITE_GUARDS:
                connection.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
        else:
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text(sql), parameters)


def flip_one_byte(data: bytes, position: int) -> bytes:
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1:]
