"""`invoice-gateway clients import FILE.csv`: fill or update the client directory from a client list."""

from pathlib import Path

import typer

from invoicing.cli_support import console, fail, open_database

clients_app = typer.Typer(help="The client directory that orders fill and invoices read.", no_args_is_help=True)


@clients_app.command("import")
def import_file(file: Path = typer.Argument(..., help="A CSV file, `;` or `,` separated, UTF-8 or Windows-1252 "
                                             "(columns in docs/orders-conversation.md).")):
    """Create or update one client per row; rows with a mistake are listed and left out (exit code 1)."""
    from clients.csv_import import BadFile, read_clients
    from clients.importing import import_clients

    try:
        clients, errors, ignored = read_clients(file.read_bytes())
    except FileNotFoundError:
        fail(f"Fichier introuvable / no such file: {file}")
    except (OSError, BadFile) as error:
        fail(f"Fichier illisible / cannot read {file}: {error}")
    config, database = open_database()
    with database.transaction() as session:
        summary = import_clients(session, clients)
    for name in ignored:
        console.print(f"colonne ignorée / column ignored: {name}")
    for error in errors:
        console.print(f"[red]ligne {error.line} refusée / row refused:[/red] {error.reason}")
    for line, change in summary.changes:
        console.print(f"ligne {line} : {change.label} « {change.before} » → « {change.after} »")
    console.print(f"{summary.created} créé(s) / created, {summary.updated} mis à jour / updated, "
                  f"{summary.unchanged} inchangé(s) / unchanged, {len(errors)} refusé(s) / refused")
    raise typer.Exit(1 if errors else 0)
