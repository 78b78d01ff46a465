"""The reminders part of the tick: resume paused invoices, send each due step once, escalate.

Cost follows the due steps: only rows with `next_on` today or earlier are read (an index on
(state, next_on)). Each batch is one transaction that claims a unique (invoice, step) row per
step before writing its mail, so two schedulers at once, or a tick run twice, send nothing twice.
After downtime only the latest due step of an invoice goes; the earlier ones are claimed as skipped.
"""

from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from gateway.config import Config
from gateway.db import Database
from gateway.models import utcnow
from gateway.outgoing import outbox_row
from gateway.templating import EmailTemplates
from receivables.business_days import within_hours
from receivables.escalation import escalate_clients
from receivables.ladder import Step, due_steps, ladder_for, remaining
from receivables.ledger import add_event, link_mail, resume, schedule_next
from receivables.models import ReminderSend, Receivable, Settlement
from receivables.views import invoice_view, penalty_view, rates_of

# Invoices handled per transaction: large enough to amortise a commit, small enough to keep locks short.
BATCH = 500
# The step a RELANCE asks for once the ladder is done: a reminder in the firmest tone, no escalation.
MANUAL = "R"


@lru_cache(maxsize=4)
def templates_for(language: str) -> EmailTemplates:
    return EmailTemplates(language)


def resume_paused(database: Database, config: Config, now: datetime) -> int:
    """Paused invoices whose pause has ended go back to their ladder (only the latest step due then goes)."""
    today = now.astimezone(config.timezone).date()
    with database.transaction() as session:
        rows = session.scalars(select(Receivable).where(Receivable.state == "paused",
                                                         Receivable.paused_until <= today)).all()
        for receivable in rows:
            resume(session, receivable, today, "Fin de la pause")
    return len(rows)


def send_due_reminders(database: Database, config: Config, now: datetime) -> int:
    """Write every reminder due at `now` (business day and hours only); return how many were written."""
    reminders = config.reminders
    start, end = time.fromisoformat(reminders.send_from), time.fromisoformat(reminders.send_until)
    if not reminders.enabled or not within_hours(now, start, end, config.timezone):
        return 0
    today = now.astimezone(config.timezone).date()
    written, after_id = 0, 0
    while True:
        with database.transaction() as session:
            batch = _due_batch(session, database, today, after_id)
            if not batch:
                break
            after_id = batch[-1].id
            sent, final = _send_batch(session, database, config, batch, today)
            # In the same transaction as the last reminders: no final step goes without its escalation.
            written += sent + escalate_clients(session, config, templates_for(config.mail.language), sorted(final),
                                               "final", today)
    return written


def _due_batch(session: Session, database: Database, today: date, after_id: int) -> list[Receivable]:
    query = (select(Receivable)
             .where(Receivable.state == "open", Receivable.next_on <= today, Receivable.id > after_id)
             .order_by(Receivable.id).limit(BATCH))
    if not database.is_sqlite:
        # Another scheduler working on the same rows skips them rather than waiting for them.
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def _send_batch(session: Session, database: Database, config: Config, batch: list[Receivable],
                today: date) -> tuple[int, set[str]]:
    plans = {receivable.id: _plan(config, receivable, today) for receivable in batch}
    claims = [(receivable_id, step.name, "sent" if step is plan[-1] else "skipped")
              for receivable_id, plan in plans.items() for step in plan]
    claimed = _claim(session, database, claims, today)
    settlements = _settlements_of(session, [r.id for r in batch if r.due_date < today])
    templates, rates = templates_for(config.mail.language), rates_of(config)
    sent, escalated, sends = 0, set(), []
    for receivable in batch:
        plan = plans[receivable.id]
        step = plan[-1] if plan else None
        if step is not None and (receivable.id, step.name) in claimed:
            row = _reminder_row(config, templates, rates, receivable, step, settlements.get(receivable.id, ()), today)
            session.add(row)
            sends.append((receivable, step, row))
        _advance(config, receivable, step, today)
    session.flush()
    for receivable, step, row in sends:
        link_mail(session, receivable, row.message_id)
        _record_sent(session, receivable, step, row.id, today)
        sent += 1
        if step.last:
            receivable.escalated_on = today
            escalated.add(receivable.client_key)
    return sent, escalated


def _plan(config: Config, receivable: Receivable, today: date) -> list[Step]:
    """The steps to claim: the skipped ones first, the one to send last; empty when nothing is due."""
    ladder = ladder_for(config.reminders, receivable.client_email, receivable.client_siren)
    due = list(due_steps(remaining(ladder, receivable.last_step), receivable.due_date, today))
    if due:
        return due
    # RELANCE brought the next step forward, or asked for one more after the ladder's end.
    forced = next((step for step in ladder if step.name == receivable.next_step), None)
    if forced is not None:
        return [forced]
    if receivable.next_step == MANUAL:
        return [Step(f"R{today:%Y-%m-%d}", 0, "final", last=False)]
    return []


def _claim(session: Session, database: Database, claims: list[tuple[int, str, str]], today: date) -> set[tuple[int, str]]:
    """Insert the (invoice, step) rows; a row that already exists was claimed by another tick: not ours."""
    if not claims:
        return set()
    insert = (sqlite_insert if database.is_sqlite else postgresql_insert)(ReminderSend.__table__)
    rows = [{"receivable_id": receivable_id, "step": step, "outcome": outcome, "sent_on": today, "created_at": utcnow()}
            for receivable_id, step, outcome in claims]
    statement = insert.on_conflict_do_nothing(index_elements=["receivable_id", "step"]).returning(
        ReminderSend.__table__.c.receivable_id, ReminderSend.__table__.c.step)
    return {(row.receivable_id, row.step) for row in session.execute(statement, rows)}


def _settlements_of(session: Session, ids: list[int]) -> dict[int, list[tuple[date, Decimal]]]:
    found = defaultdict(list)
    if ids:
        query = select(Settlement.receivable_id, Settlement.on, Settlement.amount).where(Settlement.receivable_id.in_(ids))
        for receivable_id, on, amount in session.execute(query):
            found[receivable_id].append((on, Decimal(amount)))
    return found


def _reminder_row(config, templates, rates, receivable: Receivable, step: Step, settlements, today: date):
    values = {
        "company": config.company, "invoice": invoice_view(receivable, today),
        "penalty": penalty_view(config, rates, receivable, settlements, today), "consumer": receivable.consumer,
        "iban": config.company.iban, "bic": config.company.bic, "mail": None,
    }
    thread = receivable.thread_message_id
    return outbox_row(config, templates, step.template, [receivable.client_email], values,
                      in_reply_to=thread, references=thread)


def _advance(config: Config, receivable: Receivable, step: Step | None, today: date) -> None:
    if step is not None and step.name.startswith("J"):
        receivable.last_step = step.name
    if step is not None and not step.name.startswith("J"):
        receivable.next_step = ""
        receivable.next_on = None
    else:
        schedule_next(config, receivable, today)
    receivable.updated_at = utcnow()


def _record_sent(session: Session, receivable: Receivable, step: Step, outbox_id: int, today: date) -> None:
    receivable.last_sent_on = today
    session.execute(ReminderSend.__table__.update()
                    .where(ReminderSend.receivable_id == receivable.id, ReminderSend.step == step.name)
                    .values(outbox_id=outbox_id))
    label = "Relance" if step.name.startswith("R") else f"Relance {step.name}"
    add_event(session, receivable, today, "reminder", f"{label} envoyée à {receivable.client_email}")
