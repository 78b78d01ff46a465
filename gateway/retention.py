"""Retention: ignored mail deleted after `retention.ignored_days` (GDPR), the rest after `bill_years`.

Only stored mail is ever purged; issued invoices and the archive are never touched (the database
refuses it anyway). A mail is kept, whatever its age, while a row of a table other than the mail
plumbing below refers to it (a decision, and tomorrow a bill or an order): those records outlive
the mail, and the mail is their evidence. Deletion runs in batches of short transactions, so the
ingress never waits long for the write lock, and the log says how many, never what.
"""

import logging
from datetime import datetime, timedelta, timezone

from sqlalchemy import MetaData, and_, delete, exists, select, update
from sqlalchemy.engine import Connection

from gateway.db import Database
from gateway.models import Mail

log = logging.getLogger(__name__)
BATCH = 1000
MAILS = Mail.__table__
# Rows that only record how a mail came or went: they stay, and forget the mail. The IMAP ledger
# row must stay, or the poller would fetch a purged message again from a folder that still has it.
UNLINKED_ON_PURGE = {("outbox", "mail_id"), ("imap_ledger", "mail_id"), ("reply_tokens", "used_by_mail_id")}
# Never "pending" or "processing": a mail not yet handled is not old news, whatever its age.
EXPIRING_STATES = ("processed", "ignored", "quarantined", "failed")


def purge_ignored(database: Database, now: datetime, ignored_days: int, batch: int = BATCH) -> int:
    """Delete mails in state "ignored" received more than `ignored_days` days before `now`."""
    cutoff = _utc(now) - timedelta(days=ignored_days)
    count = _purge(database, (MAILS.c.status == "ignored", MAILS.c.received_at < cutoff), batch)
    log.info("retention: %d ignored mails received before %s deleted", count, cutoff.isoformat())
    return count


def purge_expired(database: Database, now: datetime, bill_years: int, batch: int = BATCH) -> int:
    """Delete finished mails (bills' originals included) received more than `bill_years` years before `now`."""
    cutoff = years_before(_utc(now), bill_years)
    count = _purge(database, (MAILS.c.status.in_(EXPIRING_STATES), MAILS.c.received_at < cutoff), batch)
    log.info("retention: %d mails received before %s deleted (kept %d years)", count, cutoff.isoformat(), bill_years)
    return count


def years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        # 29 February in a year without one: the day before is still a full count of years.
        return moment.replace(year=moment.year - years, day=28)


def _purge(database: Database, conditions: tuple, batch: int) -> int:
    links = _links_of(database)
    keeping = [exists().where(column == MAILS.c.id) for column in links["keeping"]]
    query = select(MAILS.c.id).where(and_(*conditions), *[~reference for reference in keeping]).order_by(MAILS.c.id).limit(batch)
    total = 0
    while True:
        # One short transaction per batch: the write lock is held for one batch, not the whole purge.
        with database.transaction() as session:
            connection = session.connection()
            ids = list(connection.execute(query).scalars())
            if not ids:
                return total
            for column in links["unlinked"]:
                connection.execute(update(column.table).where(column.in_(ids)).values({column.name: None}))
            total += connection.execute(delete(MAILS).where(MAILS.c.id.in_(ids))).rowcount


# The schema only changes by migrations at start-up: read once per database, not at every tick.
_LINKS: dict[str, dict[str, list]] = {}


def _links_of(database: Database) -> dict[str, list]:
    if database.url not in _LINKS:
        with database.engine.connect() as connection:
            _LINKS[database.url] = mail_links(connection)
    return _LINKS[database.url]


def mail_links(connection: Connection) -> dict[str, list]:
    """Every column of the database that refers to a mail: those that forget it, and those that keep it."""
    metadata = MetaData()
    metadata.reflect(bind=connection)
    links: dict[str, list] = {"unlinked": [], "keeping": []}
    for table in metadata.tables.values():
        for key in table.foreign_keys:
            if key.column.table.name != MAILS.name or table.name == MAILS.name:
                continue
            column = key.parent
            nullable_plumbing = (table.name, column.name) in UNLINKED_ON_PURGE and column.nullable
            links["unlinked" if nullable_plumbing else "keeping"].append(column)
    return links


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("retention needs a timezone-aware time")
    return moment.astimezone(timezone.utc)
