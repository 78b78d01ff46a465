"""Turns an outbox row into the bytes of a MIME message, the same bytes on every attempt."""

import hashlib
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from collections.abc import Sequence
from email.utils import format_datetime, parseaddr

from gateway.automated_signals import LOOP_HEADER
from gateway.models import Outbox


def build_message(row: Outbox, loop_marker: str, attachments: Sequence = ()) -> bytes:
    # The From was fixed when the row was written (`outbound.from_address`, or a token address
    # that the answer must come back to): it is sent as it is.
    # Lines may run to RFC 5322's 998 characters: at the default 78, the email package encodes a
    # long Message-ID (Outlook's, Gmail's) in In-Reply-To or References as an RFC 2047 word, and
    # the receiving client loses the thread.
    message = EmailMessage(policy=SMTP.clone(max_line_length=998))
    message["From"] = row.sender
    message["To"] = ", ".join(row.recipients)
    if row.cc:
        message["Cc"] = ", ".join(row.cc)
    message["Subject"] = row.subject
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = row.message_id
    if row.in_reply_to:
        message["In-Reply-To"] = row.in_reply_to
    if row.references:
        message["References"] = row.references
    # Replies say so; mail we start (invoices, reminders) is generated. Either way no
    # auto-responder should answer it, and our own loop header lets us recognise it coming back.
    message["Auto-Submitted"] = "auto-replied" if row.kind == "reply" else "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message[LOOP_HEADER] = loop_marker
    message.set_content(row.body_text)
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html")
    for file in attachments:
        maintype, _, subtype = file.content_type.partition("/")
        message.add_attachment(file.data, maintype=maintype, subtype=subtype or "octet-stream", filename=file.filename)
    _fix_boundaries(message, row.message_id)
    return message.as_bytes()


def _fix_boundaries(message: EmailMessage, message_id: str) -> None:
    # The email package draws random boundaries; ones derived from the Message-ID keep a resent
    # copy byte for byte the first. Nobody knows the id before the text is written, so the text
    # cannot contain them.
    seed = hashlib.sha256(message_id.encode()).hexdigest()[:40]
    for depth, part in enumerate(part for part in message.walk() if part.is_multipart()):
        part.set_boundary(f"=_gw{depth}_{seed}")


def sender_address(row: Outbox) -> str:
    """The bare address our mail is from, which is also its envelope sender (bounces come back to it)."""
    return parseaddr(row.sender)[1]


def format_sender(display_name: str, address: str) -> str:
    local_part, _, domain = address.partition("@")
    return str(Address(display_name=display_name, username=local_part, domain=domain))
