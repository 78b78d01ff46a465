"""The one way in: SMTP and IMAP hand raw bytes to `receive`, which stores them and commits."""

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

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
    sha256 = hashlib.sha256(raw).hexdigest()
    message_id = message_id_of(raw)
    row = {
        "message_id": message_id,
        "sha256": sha256,
        "raw": raw,
        "size": len(raw),
        "source": source,
        "envelope_from": envelope_from,
        "envelope_to": [recipient.lower() for recipient in recipients],
        "peer": peer,
        "received_at": utcnow(),
        "auth_verdict": trust.verdict,
        "auth_detail": trust.detail,
        "helo": helo[:255],
        "status": "pending",
        "reason": "",
        "route": "",
        "sender": "",
        "subject": "",
        "attempts": 0,
    }
    try:
        with database.engine.begin() as connection:
            result = connection.execute(insert(Mail).values(**row).returning(Mail.id))
            return Received(result.scalar_one(), True)
    except IntegrityError:
        with database.engine.begin() as connection:
            existing = connection.execute(
                select(Mail.id).where(Mail.message_id == message_id, Mail.sha256 == sha256)
            ).scalar_one()
        return Received(existing, False)
