"""The `invoice` and `archive` commands: issue, credit, show and list documents; verify and export the archive."""

import json
from pathlib import Path
from typing import Optional

import typer

from invoicing.cli_support import console, fail, open_database, parse_amount, parse_date, print_issued, read_json, user_errors

invoice_app = typer.Typer(help="Issue invoices and credit notes without mail.", no_args_is_help=True)
archive_app = typer.Typer(help="Verify and export the tamper-evident archive.", no_args_is_help=True)
DATE_HELP = "Issue date YYYY-MM-DD (default: today in the configured time zone)."


@invoice_app.command("issue")
def issue(
    file: Path = typer.Argument(..., help="The request, JSON (docs/invoicing.md; config/examples/invoice.json)."),
    issue_date: Optional[str] = typer.Option(None, "--date", help=DATE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Issue an invoice (or a deposit invoice) from a JSON request; print its number and write its PDF."""
    from invoicing.issue import issue_invoice
    from invoicing.request import parse_request

    config, database = open_database()
    with user_errors():
        request = parse_request(read_json(file))
        issued = issue_invoice(database, config, request, today=parse_date(issue_date))
    print_issued(issued, as_json)


@invoice_app.command("credit")
def credit(
    number: str = typer.Argument(..., help="The invoice to correct, e.g. FA2026-0001."),
    amount: Optional[str] = typer.Option(None, "--amount", help="Credit only this amount (default: the whole invoice)."),
    basis: str = typer.Option("TTC", "--basis", help="Whether --amount is HT (excluding tax) or TTC (including tax)."),
    reason: str = typer.Option("", "--reason", help="Why the invoice is corrected (printed on the credit note)."),
    issue_date: Optional[str] = typer.Option(None, "--date", help=DATE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Issue a credit note citing an invoice, in full or for part of it."""
    from invoicing.credit import credit_invoice

    config, database = open_database()
    with user_errors():
        issued = credit_invoice(
            database, config, number, amount=parse_amount(amount), basis=basis.upper(),
            reason=reason, today=parse_date(issue_date),
        )
    print_issued(issued, as_json)


@invoice_app.command("show")
def show(
    number: str = typer.Argument(..., help="A document number."),
    pdf: Optional[Path] = typer.Option(None, "--pdf", help="Also write the stored PDF to this file."),
    as_json: bool = typer.Option(False, "--json", help="Print the issued document's JSON snapshot."),
):
    """One issued document: its state, totals and PDF."""
    from invoicing.listing import describe_invoice

    _, database = open_database()
    with user_errors():
        details, snapshot, pdf_bytes = describe_invoice(database, number)
    if pdf is not None:
        if pdf_bytes is None:
            fail(f"{number} : PDF pas encore produit / its PDF is not rendered yet")
        pdf.write_bytes(pdf_bytes)
    if as_json:
        print(json.dumps(json.loads(snapshot), indent=2, ensure_ascii=False))
        return
    for key, value in details.items():
        console.print(f"[bold]{key}[/bold]: {value}")


@invoice_app.command("list")
def list_documents(
    kind: Optional[str] = typer.Option(None, "--kind", help="invoice, credit_note or deposit."),
    limit: int = typer.Option(50, "--limit", help="How many, latest first."),
):
    """The latest issued documents, one a line: number, kind, date, total, state, transmission, buyer."""
    from invoicing.listing import latest_invoices

    from invoicing.document import KINDS

    if kind is not None and kind not in KINDS:
        fail(f"--kind : {kind!r} inconnu / unknown; expected one of {', '.join(KINDS)}")
    _, database = open_database()
    for row in latest_invoices(database, kind, limit):
        console.print(
            f"{row['number']:<16} {row['kind']:<11} {row['issue_date'].isoformat()} {row['total_incl_tax']:>12} "
            f"{row['status']:<8} {row['transmission']:<8} {row['buyer']}"
        )


@invoice_app.command("render")
def render():
    """Render the PDFs still owed (after a failure or a crash); numbers never change."""
    from invoicing.issue import render_pending

    config, database = open_database()
    rendered = render_pending(database, config)
    if not rendered:
        console.print("Aucun PDF en attente / no PDF left to render")
    for issued in rendered:
        state = issued.pdf_path if issued.status == "rendered" else f"échec / failed: {issued.render_error}"
        console.print(f"{issued.number}: {state}")


@archive_app.command("verify")
def verify():
    """Recompute the archive's hash chain; name the first altered document."""
    from invoicing.archive import verify_chain

    _, database = open_database()
    alteration = verify_chain(database)
    if alteration is None:
        console.print("[green]Archive intacte / archive intact[/green]")
        return
    where = f"document {alteration.number}" if alteration.number else "fin de chaîne / end of chain"
    console.print(f"[red]Archive altérée / archive altered[/red] : {where} (maillon {alteration.seq}) : {alteration.reason}")
    raise typer.Exit(1)


@archive_app.command("export")
def export(output: Path = typer.Option(..., "--output", help="The zip file to write.")):
    """Write every sealed document and PDF with manifest.json (hashes and chain) into a zip."""
    from invoicing.archive import export_zip

    _, database = open_database()
    manifest = export_zip(database, output)
    console.print(f"{output} : {len(manifest['entries'])} maillons / links, tête / head {manifest['head']['hash']}")
    if not manifest["intact"]:
        console.print(f"[red]Attention : archive altérée / warning: archive altered[/red] : {manifest['first_alteration']}")
        raise typer.Exit(1)

