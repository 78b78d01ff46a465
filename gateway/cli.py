"""The command line: `python -m gateway <command>`, also installed as `invoice-gateway`."""

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from gateway.config import Config, ConfigError, load_config
from gateway.logs import setup_logging

app = typer.Typer(help="Passerelle factures : le courriel comme seule interface.", no_args_is_help=True, add_completion=False)
mail_app = typer.Typer(help="Inspect one stored mail.", no_args_is_help=True)
app.add_typer(mail_app, name="mail")
# Imported for their sub-commands; each command opens the configuration through `state`.
from clients.cli import clients_app  # noqa: E402
from invoicing.cli import archive_app, invoice_app  # noqa: E402

app.add_typer(invoice_app, name="invoice")
app.add_typer(archive_app, name="archive")
app.add_typer(clients_app, name="clients")
accounting_app = typer.Typer(help="The accountant's monthly mail.", no_args_is_help=True)
app.add_typer(accounting_app, name="accounting")
console = Console()


class State:
    config_path: Optional[Path] = None

    def config(self) -> Config:
        try:
            return load_config(self.config_path)
        except ConfigError as error:
            console.print(f"[red]configuration error:[/red] {error}", highlight=False)
            raise typer.Exit(2) from None


state = State()


@app.callback()
def main_options(config: Optional[Path] = typer.Option(None, "--config", help="A TOML file laid over config/gateway.toml.")):
    state.config_path = config


@app.command()
def serve(no_worker: bool = typer.Option(False, "--no-worker", help="Only receive mail; workers run elsewhere.")):
    """Receive mail over SMTP and process it (a worker process runs beside it)."""
    from gateway.serve import serve as run_serve

    config = state.config()
    setup_logging(config.observability)
    run_serve(config, with_worker=not no_worker)


@app.command()
def worker():
    """Process stored mail and deliver the outbox (the broker's, or the database's backlog)."""
    from gateway.worker import run_worker

    run_worker(state.config(), migrate=True)


@app.command()
def status(as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """Counts per state and the latest failures."""
    from gateway.app import open_gateway
    from gateway.status import gateway_status

    gateway = open_gateway(state.config())
    report = gateway_status(gateway)
    if as_json:
        print(json.dumps(report, indent=2, default=str))
        return
    table = Table(title="Mails")
    for column in ("state", "count"):
        table.add_column(column)
    for name, count in report["mails"].items():
        table.add_row(name, str(count))
    console.print(table)
    outbox = ", ".join(f"{name} {count}" for name, count in report["outbox"].items())
    console.print(f"Outbox: {outbox}")
    if report.get("bills") is not None:
        console.print("Bills: " + ", ".join(f"{name} {count}" for name, count in report["bills"].items()), highlight=False)
    _print_operations(report)
    if report["ignored_by_route"]:
        console.print("Ignored by route: " + ", ".join(f"{k or '-'} {v}" for k, v in report["ignored_by_route"].items()))
    for problem in report["latest_problems"]:
        console.print(f"  mail {problem['id']} {problem['status']}: {problem['reason']}", highlight=False)
    for failed in report["failed_outbox"]:
        console.print(f"  outbox {failed['id']} to {', '.join(failed['to'])} failed: {failed['error']}", highlight=False)


def _print_operations(report: dict) -> None:
    """Queue depth, last hour's latencies and failures, and the live counters: what /metrics shows."""
    console.print(f"Queue depth: {report['queue_depth']}")
    window = report["window_minutes"]
    for name, label in (("mail_seconds", "received → done"), ("delivery_seconds", "written → sent")):
        figures = report["latency"][name]
        if figures["count"]:
            console.print(f"Latency {label}, last {window} min: p50 {figures['p50']} s, p99 {figures['p99']} s, "
                          f"max {figures['max']} s ({figures['count']})", highlight=False)
    failures = ", ".join(f"{name} {count}" for name, count in report["failures"].items() if count is not None)
    console.print(f"Failures, last {window} min: {failures}", highlight=False)
    live = report["live"]
    if live is not None:
        if "error" in live:
            console.print(f"Live counters: {live['endpoint']} unreachable ({live['error']})", highlight=False)
        else:
            processed = ", ".join(f"{name} {count}" for name, count in live["mails_processed"].items())
            console.print(f"Live counters ({live['endpoint']}): {processed}; delivery failures "
                          f"{live['delivery_failures']}, extraction failures {live['extraction_failures']}", highlight=False)


@mail_app.command("show")
def mail_show(
    mail_id: int,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    raw: bool = typer.Option(False, "--raw", help="Print the stored bytes."),
):
    """Everything known of one mail: envelope, trust verdict, route, state, replies."""
    from gateway.app import open_gateway
    from gateway.status import mail_details, raw_mail

    gateway = open_gateway(state.config())
    if raw:
        data = raw_mail(gateway, mail_id)
        if data is None:
            _no_such_mail(mail_id)
        sys.stdout.buffer.write(data)
        return
    details = mail_details(gateway, mail_id)
    if details is None:
        _no_such_mail(mail_id)
    if as_json:
        print(json.dumps(details, indent=2, default=str))
        return
    for key, value in details.items():
        if key != "outbox":
            console.print(f"[bold]{key}[/bold]: {value}", highlight=False)
    for row in details["outbox"]:
        console.print(f"  outbox {row['id']} {row['status']} → {', '.join(row['to'])}: {row['subject']}", highlight=False)


@app.command()
def replay(mail_id: int):
    """Process a stored mail again from its raw bytes (after a fix, or to retry a failure)."""
    from gateway.app import open_gateway
    from gateway.delivery import RetryLater, deliver
    from gateway.processing import process_mail, reset_for_replay
    from gateway.queue import JobQueue

    config = state.config()
    gateway = open_gateway(config)
    previous = reset_for_replay(gateway, mail_id)
    if previous is None:
        _no_such_mail(mail_id)
    if config.queue.broker_url:
        JobQueue(gateway).enqueue_mail(mail_id)
        console.print(f"mail {mail_id} (was {previous}) queued again on the broker")
        return
    # Without a broker, the command does the work itself and shows the outcome.
    for outbox_id in process_mail(gateway, mail_id):
        try:
            deliver(gateway, outbox_id)
        except RetryLater as error:
            console.print(f"outbox {outbox_id}: delivery will be retried by the worker ({error})")
    from gateway.status import mail_details

    details = mail_details(gateway, mail_id)
    console.print(f"mail {mail_id}: {previous} → {details['status']} ({details['reason']})", highlight=False)


@app.command()
def doctor(as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
    """Check the domains' SPF, DKIM and DMARC records and the settings; say what to fix."""
    from dataclasses import asdict

    from gateway.app import open_gateway
    from gateway.doctor import run_doctor
    from gateway.resolver import system_resolver

    config = state.config()
    gateway = open_gateway(config)
    findings = run_doctor(config, system_resolver(config.auth.dns_timeout, config.auth.nameservers), gateway.database)
    if as_json:
        print(json.dumps([asdict(finding) for finding in findings], indent=2, ensure_ascii=False))
    else:
        marks = {"ok": "[green]✔[/green]", "warning": "[yellow]![/yellow]", "problem": "[red]✘[/red]"}
        for finding in findings:
            console.print(f"{marks[finding.level]} [bold]{finding.topic}[/bold] : {finding.message}", highlight=False)
            if finding.fix:
                console.print(f"    → {finding.fix}", highlight=False)
    if any(finding.level == "problem" for finding in findings):
        raise typer.Exit(1)


@app.command()
def extract(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A PDF, an XML e-invoice, an image or a .eml."),
    no_embedded_xml: bool = typer.Option(False, "--no-embedded-xml", help="Ignore Factur-X XML; read the PDF visually."),
    engine: Optional[str] = typer.Option(None, "--engine", help="auto, local or mindee; default: extraction.engine."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON of DESIGN.md."),
):
    """Read a supplier bill and print what was found, with confidence and checks."""
    from extraction.cli import run_extract

    config = state.config()
    raise typer.Exit(run_extract(config, file, no_embedded_xml=no_embedded_xml,
                                 engine=engine or config.extraction.engine, as_json=as_json))


@app.command()
def backup(output: Path = typer.Option(..., "--output", "-o", help="The backup file to write (.tar).")):
    """Save the database (mail, bills, invoices, archive) into one file."""
    from gateway.backup import run_backup

    raise typer.Exit(run_backup(state.config(), output))


@app.command()
def restore(archive: Path = typer.Argument(..., exists=True, dir_okay=False, help="A file written by `backup`.")):
    """Load a backup into the configured, empty database, then check the archive chain."""
    from gateway.backup import run_restore

    raise typer.Exit(run_restore(state.config(), archive))


@app.command()
def tick(now: Optional[str] = typer.Option(None, "--now", help="Run as if it were this ISO date-time (tests).")):
    """Periodic work (retention today; reminders and digests later); safe to run twice or on two machines."""
    from gateway.tick import run_tick

    raise typer.Exit(run_tick(state.config(), now))


@app.command()
def export(
    format_name: str = typer.Option(..., "--format", help="fec, sage, ciel, quickbooks or quickbooks-bills (docs/exports.md)."),
    start: str = typer.Option(..., "--from", help="First day, YYYY-MM-DD (entry date)."),
    end: str = typer.Option(..., "--to", help="Last day, YYYY-MM-DD, included."),
    output: Path = typer.Option(..., "--output", "-o", help="The file to write."),
):
    """Write the period's journal entries in the file format of the accountant's software."""
    from accounting.cli import run_export

    raise typer.Exit(run_export(state.config(), format_name, start, end, output))


@accounting_app.command("send")
def accounting_send(
    month: Optional[str] = typer.Option(None, "--month", help="YYYY-MM; default: the previous month."),
    now: Optional[str] = typer.Option(None, "--now", help="Run as if it were this ISO date-time (tests)."),
):
    """Write the month's mail to the accountant now (again if it was sent): entries, documents, summary."""
    from accounting.monthly_tick import run_send
    from gateway.tick import parse_now

    config = state.config()
    try:
        moment = parse_now(now, config)
    except ValueError as error:
        console.print(f"[red]--now invalide / invalid --now[/red] : {error}")
        raise typer.Exit(2) from None
    raise typer.Exit(run_send(config, month, moment))


def _no_such_mail(mail_id: int) -> None:
    console.print(f"[red]no mail {mail_id}[/red]")
    raise typer.Exit(1)


def main() -> None:
    app()
