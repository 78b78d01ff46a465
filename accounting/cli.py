"""The `export` command: a period's entries in the file format of the accountant's software."""

from datetime import date
from pathlib import Path

from rich.console import Console

from accounting.exports import FORMATS, export_period
from accounting.formats import ExportError

console = Console(highlight=False)


def parse_day(text: str, option: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        console.print(f"[red]{option} : date invalide {text!r}, attendu AAAA-MM-JJ / invalid date, expected YYYY-MM-DD[/red]")
        return None


def run_export(config, format_name: str, start_text: str, end_text: str, output: Path) -> int:
    """Exit status: 0 written, 2 bad arguments, 1 entries this format cannot hold."""
    from gateway.app import open_gateway

    if format_name not in FORMATS:
        console.print(f"[red]--format : {format_name!r} inconnu, choisir parmi / unknown, choose among "
                      f"{', '.join(FORMATS)}[/red]")
        return 2
    start, end = parse_day(start_text, "--from"), parse_day(end_text, "--to")
    if start is None or end is None:
        return 2
    if start > end:
        console.print(f"[red]--from {start} est après --to {end} / --from is after --to[/red]")
        return 2
    gateway = open_gateway(config)
    try:
        summary = export_period(gateway.database, config, format_name, start, end, output)
    except ExportError as error:
        console.print(f"[red]{error}[/red]")
        return 1
    finally:
        gateway.close()
    console.print(f"{summary.entries} écritures, {summary.lines} lignes écrites dans {summary.path} "
                  f"/ {summary.entries} entries, {summary.lines} lines written ({format_name})")
    if summary.skipped:
        console.print(f"{summary.skipped} écritures hors achats non incluses ({format_name} : factures fournisseurs "
                      f"seulement, --format quickbooks les porte toutes) / {summary.skipped} non-purchase entries left out")
    return 0
