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

from sqlalchemy import Select, bindparam, select
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
from receivables.ledger import add_events, add_mail_links, event_row, mail_link_row, reopen, schedule_next
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
            reopen(receivable, today)
        add_events(session, [event_row(receivable, today, "resume", "Fin de la pause : relances reprises")
                             for receivable in rows])
    return len(rows)


def send_due_reminders(database: Database, config: Config, now: datetime) -> int:
    """Write every reminder due at `now` (business day and hours only), then the manager's mail for
    each client whose last step went; return how many mails were written."""
    reminders = config.reminders
    start, end = time.fromisoformat(reminders.send_from), time.fromisoformat(reminders.send_until)
    if not reminders.enabled or not within_hours(now, start, end, config.timezone, reminders.holidays_subdivision):
        return 0
    today = now.astimezone(config.timezone).date()
    with database.sessions() as session:
        due_ids = list(session.scalars(due_ids_query(today)))
    written = 0
    for first in range(0, len(due_ids), BATCH):
        with database.transaction() as session:
            batch = _due_batch(session, database, today, sorted(due_ids[first:first + BATCH]))
            written += _send_batch(session, database, config, batch, today)
    return written + escalate_due(database, config, today)


def due_ids_query(today: date) -> Select:
    """The ids alone, through the (state, next_on) index: a tick with nothing due reads nothing else."""
    return select(Receivable.id).where(Receivable.state == "open", Receivable.next_on <= today)


def escalate_due(database: Database, config: Config, today: date) -> int:
    """One mail to the manager per client whose last step went (also a step sent before a crash)."""
    with database.transaction() as session:
        query = select(Receivable).where(Receivable.escalation_due.is_(True))
        if not database.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        flagged = list(session.scalars(query))
        if not flagged:
            return 0
        written = escalate_clients(session, config, templates_for(config.mail.language),
                                   sorted({receivable.client_key for receivable in flagged}), "final", today)
        for receivable in flagged:
            receivable.escalation_due = False
        return written


def _due_batch(session: Session, database: Database, today: date, ids: list[int]) -> list[Receivable]:
    # The state is read again under the lock: another scheduler may have sent the step meanwhile.
    query = (select(Receivable)
             .where(Receivable.id.in_(ids), Receivable.state == "open", Receivable.next_on <= today)
             .order_by(Receivable.id))
    if not database.is_sqlite:
        # Another scheduler working on the same rows skips them rather than waiting for them.
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def _send_batch(session: Session, database: Database, config: Config, batch: list[Receivable], today: date) -> int:
    plans = {receivable.id: _plan(config, receivable, today) for receivable in batch}
    claims = [(receivable_id, step.name, "sent" if step is plan[-1] else "skipped")
              for receivable_id, plan in plans.items() for step in plan]
    claimed = _claim(session, database, claims, today)
    settlements = _settlements_of(session, [r.id for r in batch if r.due_date < today])
    templates, rates = templates_for(config.mail.language), rates_of(config)
    sends = []
    for receivable in batch:
        plan = plans[receivable.id]
        step = plan[-1] if plan else None
        if step is not None and (receivable.id, step.name) in claimed:
            if receivable.client_email:
                row = _reminder_row(config, templates, rates, receivable, step, settlements.get(receivable.id, ()), today)
                session.add(row)
                sends.append((receivable, step, row))
            if step.last:
                receivable.escalated_on, receivable.escalation_due = today, True
        _advance(config, receivable, step, today)
    if not sends:
        return 0
    session.flush()  # The outbox rows get their ids.
    # Each kind of row in one statement for the whole batch, not a round trip per reminder.
    session.execute(ReminderSend.__table__.update()
                    .where(ReminderSend.receivable_id == bindparam("sent_receivable"),
                           ReminderSend.step == bindparam("sent_step"))
                    .values(outbox_id=bindparam("sent_outbox")),
                    [{"sent_receivable": r.id, "sent_step": step.name, "sent_outbox": row.id} for r, step, row in sends])
    add_mail_links(session, [mail_link_row(receivable, row.message_id) for receivable, _, row in sends])
    add_events(session, [event_row(receivable, today, "reminder", f"{_label(step)} envoyée à {receivable.client_email}")
                         for receivable, step, _ in sends])
    for receivable, _, _ in sends:
        receivable.last_sent_on = today
    return len(sends)


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


def _label(step: Step) -> str:
    return "Relance" if step.name.startswith(MANUAL) else f"Relance {step.name}"
