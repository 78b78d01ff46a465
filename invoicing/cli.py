"""The `invoice` and `archive` commands (placeholder until the invoicing CLI lands)."""

import typer

invoice_app = typer.Typer(help="Issue invoices and credit notes without mail.", no_args_is_help=True)
archive_app = typer.Typer(help="Verify and export the tamper-evident archive.", no_args_is_help=True)
