"""The one way in: SMTP and IMAP hand raw bytes to `receive`, which stores them and commits."""

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from gateway.db import Database
from gateway.models import Mail, utcnow
from gateway.trust import TrustVerdict

# Only the Message-ID is read at the edge, from the header block, to recognise a second delivery.
MESSAGE_ID_PATTERN = re.compile(rb"^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.IGNORECASE | re.MULTILINE)
HEADER_END_PATTERN = re.compile(rb"\r?\n\r?\n")


@dataclass(frozen=True)
class Received:
    mail_id: int
    created: bool  # False when the same message was already stored


def message_id_of(raw: bytes) -> str:
    end = HEADER_END_PATTERN.search(raw)
    header_block = raw[: end.start()] if end else raw[:65536]
    match = MESSAGE_ID_PATTERN.search(header_block)
    if not match:
        return ""
    value = b" ".join(match.group(1).split()).decode("ascii", "replace")
    return value[:998]


@dataclass(frozen=True)
class Incoming:
    """One message as an ingress hands it over, before anything reads its content."""

    raw: bytes
    recipients: list[str]
    source: str
    envelope_from: str | None
    peer: str
    trust: TrustVerdict
    helo: str = ""


def receive(
    database: Database,
    raw: bytes,
    recipients: list[str],
    source: str,
    envelope_from: str | None,
    peer: str,
    trust: TrustVerdict,
    helo: str = "",
) -> Received:
    """Store one message and commit; a message already stored is acknowledged, not stored twice."""
    [received] = receive_many(database, [Incoming(raw, recipients, source, envelope_from, peer, trust, helo)])
    return received


def _insert_statement(dialect_insert):
    # Built once: the row's values come as parameters, so SQLAlchemy compiles it once per process.
    # A second delivery of the same bytes with the same Message-ID inserts nothing.
    return dialect_insert(Mail).on_conflict_do_nothing(index_elements=["message_id", "sha256"]).returning(Mail.id)


INSERT = {"sqlite": _insert_statement(sqlite_insert), "postgresql": _insert_statement(postgresql_insert)}


def receive_many(database: Database, messages: list[Incoming]) -> list[Received]:
    """Store several messages in one transaction (one commit, one disk sync), in order."""
    statement = INSERT["sqlite" if database.is_sqlite else "postgresql"]
    with database.engine.begin() as connection:
        return [_store_one(connection, statement, _row(message)) for message in messages]


def _store_one(connection, statement, row: dict) -> Received:
    created = connection.execute(statement, row).scalar_one_or_none()
    if created is not None:
        return Received(created, True)
    existing = connection.execute(
        select(Mail.id).where(Mail.message_id == row["message_id"], Mail.sha256 == row["sha256"])
    ).scalar_one()
    return Received(existing, False)


def _row(message: Incoming) -> dict:
    return {
        "message_id": message_id_of(message.raw),
        "sha256": hashlib.sha256(message.raw).hexdigest(),
        "raw": message.raw,
        "size": len(message.raw),
        "source": message.source,
        "envelope_from": message.envelope_from,
        "envelope_to": [recipient.lower() for recipient in message.recipients],
        "peer": message.peer,
        "received_at": utcnow(),
        "auth_verdict": message.trust.verdict,
        "auth_detail": message.trust.detail,
        "helo": message.helo[:255],
        "status": "pending",
        "reason": "",
        "route": "",
        "sender": "",
        "subject": "",
        "attempts": 0,
    }
