"""The periodic tick: the jobs that run on a schedule (reminders, the accountant's month, retention), one tick at a time.

A tick takes one lock for its whole run: PostgreSQL's session advisory lock (shared by every
machine using the database), or on SQLite an exclusive lock on a file beside the database (SQLite
lives on one machine). A second tick that finds the lock taken does nothing and says so. Each job
is idempotent as well: what a job deleted is gone, so running it again finds nothing to do.
"""

import contextlib
import fcntl
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from rich.console import Console
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from accounting.monthly_tick import send_monthly
from gateway.app import open_gateway
from gateway.config import Config
from gateway.db import Database
from gateway.delivery import RetryLater, deliver
from gateway.models import Outbox
from gateway.queue import JobQueue
from gateway.retention import purge_expired, purge_ignored
from receivables.sending import resume_paused, send_due_reminders

console = Console(highlight=False, soft_wrap=True)
log = logging.getLogger(__name__)
# Any fixed number works: it only has to be the same in every gateway process.
TICK_LOCK = 7_340_401


@dataclass(frozen=True)
class Job:
    name: str
    summary: str                      # French first; {count} is what the job did
    run: Callable[[Database, Config, datetime], int]


JOBS = (
    Job("reminders.resume", "{count} factures reprises après une pause / invoices resumed after a pause",
        resume_paused),
    Job("reminders.send", "{count} relances et alertes écrites / reminders and alerts written", send_due_reminders),
    Job("accounting.monthly", "{count} courriels mensuels au comptable écrits / monthly accountant mails written",
        lambda database, config, now: send_monthly(database, config, now)),
    Job("retention.ignored", "{count} courriels ignorés supprimés / ignored mails deleted",
        lambda database, config, now: purge_ignored(database, now, config.retention.ignored_days)),
    Job("retention.expired", "{count} courriels de plus de {years} ans supprimés / mails past retention deleted",
        lambda database, config, now: purge_expired(database, now, config.retention.bill_years)),
)


def run_tick(config: Config, now: str | None) -> int:
    """Run every job once, as at `now` (ISO date-time; default: the current time); print one line per job."""
    try:
        moment = parse_now(now, config)
    except ValueError as error:
        console.print(f"[red]--now invalide / invalid --now[/red] : {error}")
        return 2
    database = Database(config.database_url, config.storage.busy_timeout_ms)
    try:
        database.migrate()
        results = tick(database, config, moment)
    except SQLAlchemyError as error:
        # The next tick tries again: every job is safe to run again after a failure half-way.
        console.print(f"[red]tick interrompu / tick failed[/red] : {error.__class__.__name__}: {str(error).splitlines()[0]}")
        return 1
    finally:
        database.dispose()
    if results is None:
        console.print("tick : un autre tick est en cours, rien à faire / another tick is running: nothing to do")
        return 0
    for job in JOBS:
        console.print(f"{job.name} : " + job.summary.format(count=results[job.name], years=config.retention.bill_years))
    sent = hand_over_outbox(config)
    console.print(f"outbox : {sent} courriels remis à l'envoi / messages handed to delivery")
    return 0


def hand_over_outbox(config: Config) -> int:
    """Deliver what the jobs wrote: here on the embedded queue (no worker may be running), through
    the broker otherwise. Rows left pending are found by the next rescan of any worker anyway."""
    gateway = open_gateway(config, migrate=False)
    try:
        with gateway.database.sessions() as session:
            pending = session.scalars(select(Outbox.id).where(Outbox.status == "pending",
                                                              Outbox.next_attempt_at.is_(None)).order_by(Outbox.id)).all()
        if config.queue.broker_url:
            queue = JobQueue(gateway)
            for outbox_id in pending:
                queue.deliver.send(outbox_id)
            return len(pending)
        for outbox_id in pending:
            try:
                deliver(gateway, outbox_id)
            except RetryLater:
                continue  # The row keeps its next attempt; a worker's rescan sends it then.
        return len(pending)
    finally:
        gateway.close()


def start_scheduler(config: Config, stop: threading.Event) -> threading.Thread | None:
    """The tick inside `serve`, every `reminders.tick_seconds` (0: none; cron runs `tick` instead)."""
    if config.reminders.tick_seconds <= 0:
        return None
    thread = threading.Thread(target=_schedule, args=(config, stop), name="scheduler", daemon=True)
    thread.start()
    return thread


def _schedule(config: Config, stop: threading.Event) -> None:
    database = Database(config.database_url, config.storage.busy_timeout_ms)
    try:
        while not stop.wait(config.reminders.tick_seconds):
            try:
                if tick(database, config, datetime.now(config.timezone)) is not None:
                    hand_over_outbox(config)
            except Exception:  # noqa: BLE001 - the next tick tries again; serve must not die of it
                log.exception("scheduled tick failed; the next one tries again")
    finally:
        database.dispose()


def tick(database: Database, config: Config, now: datetime) -> dict[str, int] | None:
    """The count of each job's work, or None when another tick holds the lock."""
    with tick_lock(database) as held:
        if not held:
            return None
        return {job.name: job.run(database, config, now) for job in JOBS}


def parse_now(value: str | None, config: Config) -> datetime:
    """`--now` as an aware time: an ISO date-time, read in the company's time zone when it has none."""
    if not value:
        return datetime.now(config.timezone)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO date-time (e.g. 2026-11-26T03:00:00+01:00)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=config.timezone)


@contextlib.contextmanager
def tick_lock(database: Database) -> Iterator[bool]:
    if database.is_sqlite:
        with _file_lock(database) as held:
            yield held
        return
    # A session lock on a connection of its own: held across the jobs' many short transactions.
    with database.engine.connect() as connection:
        held = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": TICK_LOCK}).scalar()
        connection.commit()
        try:
            yield bool(held)
        finally:
            if held:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": TICK_LOCK})
                connection.commit()


@contextlib.contextmanager
def _file_lock(database: Database) -> Iterator[bool]:
    path = database.url.split("///", 1)[1] if "///" in database.url else ""
    if not path or path == ":memory:":
        yield True
        return
    with open(path + ".tick.lock", "w") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
