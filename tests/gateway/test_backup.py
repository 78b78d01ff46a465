"""Backup and restore: a backup of SQLite restored into an empty PostgreSQL or SQLite verifies."""

import json
import sqlite3
import tarfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from gateway.app import open_gateway
from gateway.backup import run_backup, run_restore
from gateway.backup_format import MANIFEST
from gateway.backup_read import read_manifest, table_rows
from gateway.db import Database
from gateway.models import ImapLedger, Mail
from invoicing.archive import verify_chain
from invoicing.credit import credit_invoice
from invoicing.issue import issue_invoice
from tests.gateway.test_cli import run_cli
from tests.helpers import deliver, fresh_postgres_database, make_config, make_mail
from tests.invoicing.issuing import example_request, flip_one_byte

DAY = date(2026, 11, 26)
# Bytes that are not UTF-8 and line ends of both kinds: the raw mail must come back unchanged.
ODD_BYTES = b"\r\nX-Odd: \xff\xfe\x00\x80 caf\xe9\n\r\n"


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A SQLite gateway with processed, ignored and quarantined mail, an invoice and its credit note."""
    config = make_config(tmp_path_factory.mktemp("source") / "var")
    gateway = open_gateway(config)
    deliver(gateway, make_mail(subject="Question"))
    deliver(gateway, make_mail(sender="stranger@gmail.com"))
    deliver(gateway, b"\x00garbage")
    odd, _ = deliver(gateway, make_mail(subject="Octets", extra_headers="X-Test: 1\r\n") + ODD_BYTES)
    with gateway.database.transaction() as session:
        session.add(ImapLedger(account="u@imap.test", folder="INBOX", uidvalidity=2**40, uid=7, mail_id=odd.id))
    invoice = issue_invoice(gateway.database, config, example_request(), today=DAY)
    credit_invoice(gateway.database, config, invoice.number, amount=None, reason="Erreur", today=DAY)
    output = config.var_dir.parent / "gateway-backup.tar"
    assert run_backup(config, output) == 0
    yield config, output, odd.id
    gateway.close()


@pytest.fixture
def empty_postgres_url():
    """A brand-new PostgreSQL database, as an operator creates one to restore into."""
    with fresh_postgres_database("gateway_restore") as url:
        yield url


def row_counts(url: str) -> dict[str, int]:
    database = Database(url)
    with database.engine.connect() as connection:
        names = sorted(set(inspect(connection).get_table_names()) - {"alembic_version"})
        counts = {name: connection.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one() for name in names}
    database.dispose()
    return counts


def raw_of(url: str, mail_id: int) -> bytes:
    database = Database(url)
    with database.sessions() as session:
        raw = session.execute(select(Mail.raw).where(Mail.id == mail_id)).scalar_one()
    database.dispose()
    return raw


def restore_and_verify(source, target_url: str, tmp_path: Path, via_cli: bool = True):
    config, output, odd_id = source
    target = make_config(tmp_path / "target", target_url)
    if via_cli:
        restored = run_cli(target, "restore", str(output))
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert "Archive intacte" in restored.stdout
        verified = run_cli(target, "archive", "verify")
        assert verified.returncode == 0, verified.stdout + verified.stderr
    else:
        # The same commands in this process (the command-line path has the tests above).
        assert run_restore(target, output) == 0
        database = Database(target.database_url)
        assert verify_chain(database) is None
        database.dispose()
    assert row_counts(target.database_url) == row_counts(config.database_url)
    assert raw_of(target.database_url, odd_id) == raw_of(config.database_url, odd_id)
    assert raw_of(target.database_url, odd_id).endswith(ODD_BYTES)
    return target


def test_sqlite_backup_restored_into_an_empty_postgresql_verifies(source, empty_postgres_url, tmp_path):
    target = restore_and_verify(source, empty_postgres_url, tmp_path)
    # The sequences continue after the restored ids: the next mail gets a new id, not a collision.
    gateway = open_gateway(target)
    mail, _ = deliver(gateway, make_mail(subject="Après restauration"))
    gateway.close()
    assert mail.id == row_counts(source[0].database_url)["mails"] + 1


def test_sqlite_backup_restored_into_an_empty_sqlite_verifies(source, tmp_path):
    restore_and_verify(source, f"sqlite:///{tmp_path / 'restored' / 'gateway.db'}", tmp_path)


def test_postgresql_backup_round_trips_through_sqlite(source, empty_postgres_url, tmp_path):
    # Production back to a laptop: restore into PostgreSQL, back it up there, restore into SQLite.
    restore_and_verify(source, empty_postgres_url, tmp_path / "first", via_cli=False)
    postgres_config = make_config(tmp_path / "pg", empty_postgres_url)
    second = tmp_path / "from-postgres.tar"
    assert run_backup(postgres_config, second) == 0
    config, first, odd_id = source
    # Every value of every row reads back the same from PostgreSQL as it was written from SQLite.
    assert every_row(second) == every_row(first)
    restore_and_verify((config, second, odd_id), f"sqlite:///{tmp_path / 'back' / 'gateway.db'}", tmp_path / "second", via_cli=False)


def every_row(backup: Path) -> dict[str, list]:
    manifest = read_manifest(backup)
    return {entry["name"]: list(table_rows(backup, entry)) for entry in manifest["tables"]}


def test_manifest_names_schema_counts_and_checksums(source):
    config, output, _ = source
    with tarfile.open(output) as tar:
        manifest = json.loads(tar.extractfile(MANIFEST).read())
        names = tar.getnames()
    assert names[:2] == ["manifest.json", "manifest.json.sha256"]
    assert manifest["schema_revision"] == row_schema_revision(config.database_url)
    tables = {entry["name"]: entry for entry in manifest["tables"]}
    assert tables["mails"]["rows"] == 4 and tables["invoices"]["rows"] == 2
    assert {"outbox", "imap_ledger", "reply_tokens", "decisions", "archive_entries", "archive_head", "invoice_counters"} <= set(tables)
    assert all(len(entry["sha256"]) == 64 for entry in tables.values())
    assert manifest["archive_head"]["seq"] == 4


def row_schema_revision(url: str) -> str:
    database = Database(url)
    with database.engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    database.dispose()
    return revision


@pytest.mark.parametrize("where", ["table", "manifest"])
def test_one_changed_byte_is_refused_and_nothing_is_restored(source, tmp_path, capsys, where):
    _, output, _ = source
    data = output.read_bytes()
    with tarfile.open(output) as tar:
        member = tar.getmember("tables/mails.jsonl.gz" if where == "table" else MANIFEST)
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(flip_one_byte(data, member.offset_data + member.size // 2))
    target = make_config(tmp_path / "target", f"sqlite:///{tmp_path / 'target' / 'gateway.db'}")
    assert run_restore(target, damaged) == 1
    assert "damaged" in capsys.readouterr().out
    assert not (tmp_path / "target" / "gateway.db").exists() or not any(row_counts(target.database_url).values())


def test_a_database_that_holds_data_is_refused(source, tmp_path, capsys):
    _, output, _ = source
    target = make_config(tmp_path / "target")
    gateway = open_gateway(target)
    deliver(gateway, make_mail())
    gateway.close()
    assert run_restore(target, output) == 1
    assert "not empty (table mails has 1 rows)" in capsys.readouterr().out
    assert row_counts(target.database_url)["mails"] == 1


def test_a_freshly_migrated_database_counts_as_empty(source, tmp_path):
    # `serve` started once by mistake before the restore only created the schema: still empty.
    _, output, _ = source
    target = make_config(tmp_path / "target")
    open_gateway(target).close()
    assert run_restore(target, output) == 0


def test_a_backup_from_a_newer_schema_is_refused(source, tmp_path):
    _, output, _ = source
    newer = rewrite_manifest(output, tmp_path / "newer.tar", schema_revision="9999")
    target = make_config(tmp_path / "target")
    assert run_restore(target, newer) == 1


def rewrite_manifest(source_tar: Path, target_tar: Path, **changes) -> Path:
    """The same backup with manifest fields changed and its checksum made to match."""
    import hashlib
    import io

    with tarfile.open(source_tar) as tar, tarfile.open(target_tar, "w") as out:
        manifest = {**json.loads(tar.extractfile(MANIFEST).read()), **changes}
        data = json.dumps(manifest).encode()
        for member in tar.getmembers():
            content = tar.extractfile(member).read()
            if member.name == MANIFEST:
                content = data
            elif member.name == MANIFEST + ".sha256":
                content = f"{hashlib.sha256(data).hexdigest()}  {MANIFEST}\n".encode()
            member.size = len(content)
            out.addfile(member, io.BytesIO(content))
    return target_tar


def test_an_empty_gateway_backs_up_and_restores(tmp_path):
    config = make_config(tmp_path / "empty")
    open_gateway(config).close()
    assert run_backup(config, tmp_path / "empty.tar") == 0
    assert run_restore(make_config(tmp_path / "target"), tmp_path / "empty.tar") == 0


def test_backup_of_a_missing_or_foreign_database_says_why(tmp_path, capsys):
    config = make_config(tmp_path / "nothing")
    assert run_backup(config, tmp_path / "out.tar") == 1
    assert "no database at" in capsys.readouterr().out
    assert not config.var_dir.exists(), "a backup must not create the database it was asked to read"
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE notes (id INTEGER)")
    assert run_backup(make_config(tmp_path / "nothing", f"sqlite:///{foreign}"), tmp_path / "out.tar") == 1
    assert "no gateway schema" in capsys.readouterr().out
    assert not (tmp_path / "out.tar").exists()


def test_count_helper_sees_every_table(source):
    config, _, _ = source
    counts = row_counts(config.database_url)
    assert counts["mails"] == 4 and counts["archive_entries"] == 4 and counts["imap_ledger"] == 1



def test_a_backup_reads_every_table_as_at_one_moment(any_db_gateway, tmp_path):
    # Tables are read one after the other: an invoice committed meanwhile must not appear in some
    # tables and not in others (an invoice without its archive link would fail verify).
    from gateway.backup_write import dump_tables, snapshot
    from tests.invoicing.conftest import empty_invoicing_tables
    from tests.invoicing.issuing import issue_without_pdf

    empty_invoicing_tables(any_db_gateway.database)
    issue_without_pdf(any_db_gateway)
    database = any_db_gateway.database
    with snapshot(database) as connection:
        connection.execute(text("SELECT COUNT(*) FROM archive_entries")).scalar_one()
        issue_without_pdf(any_db_gateway)
        manifest = dump_tables(connection, tmp_path, database.engine.dialect.name)
    rows = {entry["name"]: entry["rows"] for entry in manifest["tables"]}
    assert (rows["invoices"], rows["archive_entries"], manifest["archive_head"]["seq"]) == (1, 1, 1)
