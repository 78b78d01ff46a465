"""Rows for the tick benchmark: invoices at every stage of the reminder ladder, as daily ticks left them."""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import text
from sqlalchemy.engine import Engine

from clients.directory import client_key
from gateway.config import Config
from invoicing.models import Invoice
from orders.model import ClientDetails
from receivables.ladder import ladder_for, opening_steps, step_date
from receivables.ledger import schedule_next
from receivables.models import ReceivableEvent, ReceivableMail, Receivable, ReminderSend, Settlement

# Due dates fall this many days around `today`: some invoices are not due yet, others are past J+30.
DUE_FROM, DUE_UNTIL = -90, 30
# Each invoice's fate, cumulative out of 100: fully paid, paused by an answer, disputed, stopped,
# partly paid (and still open); the rest is open with nothing paid.
FATES = ((20, "paid"), (25, "paused"), (27, "disputed"), (28, "stopped"), (33, "partial"), (100, "open"))
INSERT_BATCH = 5000
CENT = Decimal("0.01")


@dataclass
class Rows:
    invoices: list = field(default_factory=list)
    receivables: list = field(default_factory=list)
    settlements: list = field(default_factory=list)
    sends: list = field(default_factory=list)
    events: list = field(default_factory=list)
    mails: list = field(default_factory=list)
    fates: Counter = field(default_factory=Counter)


def build_rows(config: Config, today: date, count: int, clients: int, seed: int) -> Rows:
    """`count` invoices of `clients` clients; the ladder stands where a tick run every business day up to yesterday left it."""
    rng, rows, stamp = random.Random(seed), Rows(), datetime.now(timezone.utc)
    yesterday = today - timedelta(days=1)
    for index in range(1, count + 1):
        due = today + timedelta(days=rng.randint(DUE_FROM, DUE_UNTIL))
        amount = Decimal(rng.randint(5_000, 500_000)) / 100
        roll = rng.randrange(100)
        fate = next(name for limit, name in FATES if roll < limit)
        receivable = _receivable(index, rng.randrange(clients), due, amount, stamp)
        if fate == "paid":
            # Paid some day between issue and yesterday; the ladder stopped there for good.
            paid_on = min(max(due + timedelta(days=rng.randint(-15, 25)), receivable.issue_date), yesterday)
            _progress(config, receivable, paid_on - timedelta(days=1), rows)
            _settle(receivable, amount, paid_on, rows)
            receivable.state, receivable.next_step, receivable.next_on = "paid", "", None
        elif fate == "paused":
            # Paused some days ago by an answer; a step may have fallen due since. Some pauses end today.
            paused_on = max(today - timedelta(days=rng.randint(1, 10)), receivable.issue_date)
            _progress(config, receivable, paused_on - timedelta(days=1), rows)
            receivable.state, receivable.paused_until = "paused", today + timedelta(days=rng.randint(0, 10))
        else:
            _progress(config, receivable, yesterday, rows)
            if fate == "partial":
                part = (amount * Decimal(rng.randint(20, 80)) / 100).quantize(CENT)
                paid_on = min(receivable.issue_date + timedelta(days=rng.randint(0, 29)), today)
                _settle(receivable, part, paid_on, rows)
            elif fate in ("disputed", "stopped"):
                receivable.state = fate
        rows.fates[fate] += 1
        rows.invoices.append(_invoice(receivable, amount, stamp))
        rows.receivables.append(vars(receivable))
    return rows


def _receivable(index: int, client: int, due: date, amount: Decimal, stamp: datetime) -> SimpleNamespace:
    # One client in ten is a consumer (no SIREN, other penalties); the others are companies.
    consumer = client % 10 == 0
    siren = "" if consumer else f"{client:09d}"
    email = f"client{client}@particulier.example" if consumer else f"compta@client{client}.example"
    name = f"Client {client}"
    return SimpleNamespace(
        id=index, invoice_id=index, number=f"FA2026-{index:06d}", consumer=consumer,
        client_key=client_key(ClientDetails(name=name, siren=siren, siret="", email=email)),
        client_name=name, client_email=email, client_siren=siren, salesperson="",
        issue_date=due - timedelta(days=30), due_date=due, amount_due=str(amount), paid="0.00", credited="0.00",
        outstanding=str(amount), state="open", paused_until=None, next_step="", next_on=None, last_step="",
        last_sent_on=None, escalated_on=None, thread_message_id=f"<invoice.{index}@exemple.test>",
        created_at=stamp, updated_at=stamp,
    )


def _progress(config: Config, receivable: SimpleNamespace, last_tick: date, rows: Rows) -> None:
    """Send, on its day, every step due up to `last_tick`, and schedule the next one as the tick does."""
    ladder = ladder_for(config.reminders, receivable.client_email, receivable.client_siren)
    due, issued = receivable.due_date, receivable.issue_date
    _event(rows, receivable, issued, "issued", f"Facture émise, échéance le {due:%d/%m/%Y}")
    rows.mails.append({"receivable_id": receivable.id, "message_id": receivable.thread_message_id})
    schedule_next(config, receivable, issued, opening=True)
    for step in opening_steps(ladder, issued, due):
        sent_on = step_date(step, due)
        if sent_on > last_tick:
            break
        receivable.last_step, receivable.last_sent_on = step.name, sent_on
        schedule_next(config, receivable, sent_on)
        rows.sends.append({"receivable_id": receivable.id, "step": step.name, "outcome": "sent", "outbox_id": None,
                           "sent_on": sent_on, "created_at": receivable.created_at})
        rows.mails.append({"receivable_id": receivable.id, "message_id": f"<reminder.{receivable.id}.{step.name}@exemple.test>"})
        _event(rows, receivable, sent_on, "reminder", f"Relance {step.name} envoyée à {receivable.client_email}")
        if step.last:
            receivable.escalated_on = sent_on
            _event(rows, receivable, sent_on, "escalation", "Dossier transmis à la direction")


def _settle(receivable: SimpleNamespace, amount: Decimal, on: date, rows: Rows) -> None:
    rows.settlements.append({"receivable_id": receivable.id, "kind": "payment", "amount": str(amount), "on": on,
                             "source": "statement", "reference": "", "actor": "", "mail_id": None,
                             "created_at": receivable.created_at})
    receivable.paid = str(amount)
    receivable.outstanding = str(Decimal(receivable.amount_due) - amount)
    _event(rows, receivable, on, "payment", f"Paiement reçu de {amount} €")


def _event(rows: Rows, receivable: SimpleNamespace, on: date, kind: str, text_: str) -> None:
    rows.events.append({"receivable_id": receivable.id, "on": on, "kind": kind, "text": text_, "mail_id": None,
                        "created_at": receivable.created_at})


def _invoice(receivable: SimpleNamespace, amount: Decimal, stamp: datetime) -> dict:
    # The tick never reads an invoice's document (only a formal notice does): a placeholder stands for it.
    excl = (amount / Decimal("1.2")).quantize(CENT)
    return {"id": receivable.id, "number": receivable.number, "kind": "invoice", "series": "FA2026-{seq:06d}",
            "seq": receivable.id, "issue_date": receivable.issue_date, "buyer_name": receivable.client_name,
            "buyer_email": receivable.client_email, "currency": "EUR", "total_excl_tax": str(excl),
            "total_tax": str(amount - excl), "total_incl_tax": str(amount), "amount_due": str(amount),
            "corrects_number": None, "document": '{"benchmark": true}', "status": "rendered", "transmission": "email",
            "transmission_status": "sent", "transmitted_at": stamp, "pdf": None, "pdf_sha256": "", "pdf_path": "",
            "render_attempts": 1, "render_error": "", "rendered_at": stamp, "created_at": stamp}


def insert_rows(engine: Engine, rows: Rows) -> None:
    """Bulk inserts in batches (executemany), then the id sequences moved past the given ids, then ANALYZE."""
    tables = ((Invoice, rows.invoices), (Receivable, rows.receivables), (Settlement, rows.settlements),
              (ReminderSend, rows.sends), (ReceivableEvent, rows.events), (ReceivableMail, rows.mails))
    with engine.begin() as connection:
        for model, values in tables:
            for start in range(0, len(values), INSERT_BATCH):
                connection.execute(model.__table__.insert(), values[start:start + INSERT_BATCH])
        for table in ("invoices", "receivables"):
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    # Statistics as autovacuum would have them on a database that has lived: the planner needs them.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
