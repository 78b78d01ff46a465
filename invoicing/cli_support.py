"""What the invoicing commands share: opening the database, reading arguments, printing results."""

import contextlib
import json
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer
from rich.console import Console

# Soft wrap: long messages stay on one line, so they read whole in logs and scripts.
console = Console(highlight=False, soft_wrap=True)


def open_database():
    """The configuration (`--config`, environment) and the migrated database, as other commands do."""
    from gateway.app import open_gateway
    from gateway.cli import state

    config = state.config()
    return config, open_gateway(config).database


def fail(message: str, code: int = 2) -> None:
    console.print(f"[red]{message}[/red]")
    raise typer.Exit(code)


@contextlib.contextmanager
def user_errors():
    """Mistakes in what the user asked end with their reason and exit code 2, not a traceback."""
    from invoicing.numbering import IssueDateError
    from invoicing.request import RequestError
    from invoicing.stored import IssueError

    try:
        yield
    except (RequestError, IssueError, IssueDateError) as error:
        fail(str(error))


def read_json(file: Path) -> dict:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"Fichier introuvable / no such file: {file}")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"Lecture impossible / cannot read {file}: {error}")
    except json.JSONDecodeError as error:
        fail(f"JSON invalide / invalid JSON in {file}, line {error.lineno} column {error.colno}: {error.msg}")
    if not isinstance(data, dict):
        fail(f"{file} : un objet JSON est attendu / a JSON object is expected at the top level")
    return data


def parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"Date invalide / invalid date {text!r}: expected YYYY-MM-DD")


def parse_amount(text: str | None) -> Decimal | None:
    """An amount as people type it: "120", "120.50", "1 234,56"."""
    if text is None:
        return None
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        fail(f"Montant invalide / invalid amount {text!r}")
    if not amount.is_finite() or amount <= 0:
        fail(f"Montant invalide / invalid amount {text!r}: a positive amount is expected")
    return amount


def print_issued(issued, as_json: bool) -> None:
    """The number alone on the first line (scripts read it), then the details."""
    if as_json:
        print(json.dumps({
            "number": issued.number, "kind": issued.kind, "issue_date": issued.issue_date.isoformat(),
            "total_incl_tax": str(issued.total_incl_tax), "amount_due": str(issued.amount_due),
            "status": issued.status, "pdf": str(issued.pdf_path) if issued.pdf_path else None,
            "render_error": issued.render_error, "warnings": list(issued.warnings),
        }, indent=2, ensure_ascii=False))
        return
    print(issued.number)
    console.print(f"date : {issued.issue_date.isoformat()} — total TTC : {issued.total_incl_tax} — à payer : {issued.amount_due}")
    if issued.pdf_path:
        console.print(f"PDF : {issued.pdf_path}")
    else:
        console.print(f"[yellow]PDF pas encore produit, réessayé par `invoice render` / PDF not rendered yet: {issued.render_error}[/yellow]")
    for warning in issued.warnings:
        console.print(f"[yellow]! {warning}[/yellow]")
