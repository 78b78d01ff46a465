"""The monthly mail's tick job and the `accounting send` command."""

from datetime import date, datetime

from rich.console import Console
from sqlalchemy import select

from accounting.backfill import book_missing
from accounting.models import AccountingPeriod
from accounting.monthly_mail import write_monthly_mail
from accounting.periods import month_of, month_text, parse_month, period_for, previous_month
from gateway.config import Config
from gateway.db import Database
from gateway.templating import EmailTemplates
from invoicing.issue import render_pending

console = Console(highlight=False)


def due_month(config: Config, now: datetime) -> date | None:
    """The month whose mail is due at `now`: the previous one, from the configured day of the month on."""
    if not config.mail.accountant or config.accounting.monthly_day <= 0:
        return None
    today = now.astimezone(config.timezone).date()
    return previous_month(month_of(today)) if today.day >= config.accounting.monthly_day else None


def send_monthly(database: Database, config: Config, now: datetime) -> int:
    """Tick job: write the previous month's mail once; return the number of mails written."""
    month = due_month(config, now)
    if month is None:
        return 0
    # A plain read first: every tick of the month after the mail stops here, before rendering PDFs and
    # opening a writing transaction; send_month checks again under the month's lock.
    with database.sessions() as session:
        already = session.execute(select(AccountingPeriod.mails_sent).where(AccountingPeriod.month == month)).scalar()
    if already:
        return 0
    return send_month(database, config, month, now, again=False)


def send_month(database: Database, config: Config, month: date, now: datetime, again: bool = True) -> int:
    """Write the month's mail; without `again`, only when no mail for that month was written yet."""
    # The documents' PDFs go in the zip: those not rendered yet (a failure, a crash) are rendered first.
    render_pending(database, config)
    with database.transaction() as session:
        # Documents and payments recorded before the journals existed are booked first.
        book_missing(session, config)
        period = period_for(session, month, lock=True)
        if period.mails_sent and not again:
            return 0
        return len(write_monthly_mail(session, config, EmailTemplates(config.mail.language), period, now))


def run_send(config: Config, month_written: str | None, now: datetime) -> int:
    """`accounting send [--month YYYY-MM]`: exit 0 written, 2 bad month or no accountant."""
    from gateway.tick import hand_over_outbox

    if not config.mail.accountant:
        console.print("[red]mail.accountant n'est pas configuré / no accountant configured[/red]")
        return 2
    try:
        month = parse_month(month_written) if month_written else previous_month(month_of(now.astimezone(config.timezone).date()))
    except ValueError:
        console.print(f"[red]--month : mois invalide {month_written!r}, attendu AAAA-MM / invalid month, expected YYYY-MM[/red]")
        return 2
    database = Database(config.database_url, config.storage.busy_timeout_ms)
    try:
        database.migrate()
        written = send_month(database, config, month, now)
    finally:
        database.dispose()
    console.print(f"{month_text(month)} : {written} courriel(s) écrit(s) pour {config.mail.accountant} "
                  f"/ {written} mail(s) written")
    console.print(f"outbox : {hand_over_outbox(config)} courriels remis à l'envoi / messages handed to delivery")
    return 0
