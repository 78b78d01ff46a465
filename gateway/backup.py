"""The `backup` and `restore` commands: one portable file of the whole database, and back.

The format is in gateway/backup_format.py, writing in backup_write.py, reading in backup_read.py
and loading in backup_restore.py; docs/operations.md explains them to the operator.
"""

import time
from pathlib import Path

from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from gateway.backup_format import BackupError
from gateway.backup_read import read_manifest, verify_members
from gateway.backup_restore import RestoreReport, check_target, load_backup, migrate_to
from gateway.backup_write import write_backup
from gateway.config import Config
from gateway.db import Database

console = Console(highlight=False, soft_wrap=True)


def run_backup(config: Config, output: Path) -> int:
    """Write the configured database into `output`; 0 when written, 1 with the reason otherwise."""
    started = time.monotonic()
    missing = _missing_sqlite_file(config.database_url)
    if missing:
        console.print(f"[red]Sauvegarde impossible / backup failed[/red] : no database at {missing}")
        return 1
    database = Database(config.database_url, config.storage.busy_timeout_ms)
    try:
        manifest = write_backup(database, Path(output))
    except (BackupError, OSError, SQLAlchemyError) as error:
        console.print(f"[red]Sauvegarde impossible / backup failed[/red] : {error}")
        return 1
    finally:
        database.dispose()
    rows = ", ".join(f"{entry['name']} {entry['rows']}" for entry in manifest["tables"])
    console.print(f"Sauvegarde écrite / backup written : {output} (schéma {manifest['schema_revision']}, "
                  f"{Path(output).stat().st_size} octets, {time.monotonic() - started:.1f} s)")
    console.print(f"Lignes / rows : {rows}")
    if manifest["archive_head"]:
        console.print(f"Tête de l'archive / archive head : {manifest['archive_head']['seq']} {manifest['archive_head']['hash']}")
    return 0


def run_restore(config: Config, archive: Path) -> int:
    """Load a backup into the configured empty database, then verify the archive chain.

    0 only when every table holds the backup's rows and the chain verifies; 1 otherwise, with the
    reason. There is no way to restore over data: that would delete issued invoices.
    """
    database = Database(config.database_url, config.storage.busy_timeout_ms)
    try:
        return _restore(database, Path(archive))
    except (BackupError, OSError, SQLAlchemyError) as error:
        console.print(f"[red]Restauration refusée / restore refused[/red] : {error}")
        return 1
    finally:
        database.dispose()


def _restore(database: Database, archive: Path) -> int:
    from invoicing.archive import verify_chain

    started = time.monotonic()
    # Every checksum is checked before the target is touched at all.
    manifest = read_manifest(archive)
    verify_members(archive, manifest)
    check_target(database, manifest["schema_revision"])
    migrate_to(database, manifest["schema_revision"])
    report = load_backup(database, archive, manifest)
    # A backup from an older gateway is loaded at its own schema, then migrated like any database.
    database.migrate()
    _print_report(report, manifest, time.monotonic() - started)
    alteration = verify_chain(database)
    if alteration is not None:
        where = f"document {alteration.number}" if alteration.number else "fin de chaîne / end of chain"
        console.print(f"[red]Archive altérée / archive altered[/red] : {where} (maillon {alteration.seq}) : {alteration.reason}")
        return 1
    console.print("[green]Archive intacte / archive intact[/green]")
    return 0


def _missing_sqlite_file(url: str) -> str:
    # Opening a SQLite path that does not exist would create an empty database there.
    path = url.split("///", 1)[1] if url.startswith("sqlite") and "///" in url else ""
    return path if path and path != ":memory:" and not Path(path).exists() else ""


def _print_report(report: RestoreReport, manifest: dict, seconds: float) -> None:
    rows = ", ".join(f"{name} {count}" for name, count in report.rows.items())
    console.print(f"Sauvegarde du {manifest['created_at']} restaurée / restored (schéma {report.revision}, {seconds:.1f} s)")
    console.print(f"Lignes / rows : {rows}")
