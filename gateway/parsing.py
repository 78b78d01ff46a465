"""Turns the raw bytes of a mail into the ParsedMail that routing and every handler read."""

import email
import logging
import re
from datetime import timezone
from email.message import Message
from email.utils import getaddresses

import mailparser

from gateway.config import Parsing
from gateway.forwards import inline_forwards, reply_text
from gateway.mime_parts import Content, check_limits, collect
from gateway.mime_text import header_date, header_text, unescape_8bit
from gateway.parsed import MalformedMail, ParsedMail

# A mail has at least one of these; bytes with none of them (an Outlook .msg, a PDF) are not a mail.
MAIL_HEADERS = {"from", "sender", "to", "cc", "subject", "date", "message-id", "received", "return-path",
                "mime-version", "content-type", "delivered-to"}
MESSAGE_ID = re.compile(r"<[^<>]+>")
# mail-parser exposes each address header as an attribute, first occurrence only.
ADDRESS_HEADERS = {"from": "from_", "to": "to", "cc": "cc", "reply-to": "reply_to"}

# mail-parser logs every part it does not sort itself (images, delivery reports) and every header it
# cannot decode; this module sorts those parts and records those defects as problems, so the
# library's lines would only flood the worker's log.
logging.getLogger("mailparser").setLevel(logging.CRITICAL)


def parse_mail(raw: bytes, envelope_from: str | None, envelope_to: list[str], limits: Parsing) -> ParsedMail:
    """Read one mail; anything unreadable or over a limit raises MalformedMail with a one-line reason."""
    try:
        message = read_message(raw)
        check_limits(message, limits)
        return _parse(message, envelope_from, envelope_to, limits)
    except MalformedMail:
        raise
    except RecursionError:
        raise MalformedMail("MIME structure nested too deeply to read") from None
    except Exception as error:
        # Hostile input must not crash the worker: the mail is quarantined with the library's reason.
        reason = " ".join(str(error).split())[:200]
        raise MalformedMail(f"unreadable mail: {type(error).__name__}: {reason}") from error


def read_message(raw: bytes) -> Message:
    """The stdlib tree of the mail, or MalformedMail when the bytes hold no mail header at all."""
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        raise MalformedMail(f"expected the raw bytes of a mail, got {type(raw).__name__}")
    # Blank lines before the headers (left by some scripts and MTAs) would end the header block.
    raw = bytes(raw).lstrip(b"\r\n")
    if not raw.strip():
        raise MalformedMail("empty message")
    message = email.message_from_bytes(raw)
    names = {name.lower() for name in message.keys()}
    if not names:
        raise MalformedMail("no header at all: not a mail")
    if not names & MAIL_HEADERS:
        raise MalformedMail("none of the usual mail headers (From, To, Subject, Date...): not a mail")
    return message


def _parse(message: Message, envelope_from: str | None, envelope_to: list[str], limits: Parsing) -> ParsedMail:
    problems: list[str] = []
    addresses = _read_addresses(message, problems)
    sender_name, sender = (addresses["from"] or [("", "")])[0]
    date = header_date(message.get("Date"), problems)
    subject = header_text(message.get("Subject"), problems)
    content = Content()
    collect(message, False, content, limits, problems)
    html, text = "\n".join(content.html), content.text()
    return ParsedMail(
        message_id=_message_id(message.get("Message-ID")),
        sender=sender.lower(),
        sender_name=sender_name,
        reply_to=[address.lower() for _, address in addresses["reply-to"]],
        to=[address.lower() for _, address in addresses["to"]],
        cc=[address.lower() for _, address in addresses["cc"]],
        # None (mail fetched over IMAP) is not the null sender "": the envelope is unknown.
        envelope_from=envelope_from.strip().lower() if envelope_from is not None else None,
        envelope_to=[address.strip().lower() for address in envelope_to or []],
        subject=subject,
        date=date,
        in_reply_to=_message_ids(message.get_all("In-Reply-To")),
        references=_message_ids(message.get_all("References")),
        text=text,
        html=html,
        reply_text=reply_text(text),
        attachments=content.attachments,
        forwarded=content.forwarded + inline_forwards(text, subject, date.tzinfo if date else timezone.utc),
        headers=message,
        problems=list(dict.fromkeys(problems + _defects(message))),
    )


def _read_addresses(message: Message, problems: list[str]) -> dict[str, list[tuple[str, str]]]:
    """From, To, Cc and Reply-To as (decoded name, address) pairs."""
    try:
        # This is what mailparser.parse_from_bytes does, minus a second parse of the same bytes.
        parsed = mailparser.MailParser(message)
        return {name: getattr(parsed, attribute) for name, attribute in ADDRESS_HEADERS.items()}
    except Exception as error:
        # After the headers mail-parser reads every part, and some broken multiparts (an inner
        # boundary never closed, as in some bounces) crash it; the stdlib still reads addresses.
        problems.append(f"mail-parser failed ({type(error).__name__}: {error}), addresses read by stdlib")
    return {
        name: [
            (header_text(display, []), address)
            for display, address in getaddresses([unescape_8bit(message.get(name, ""))])
            if address
        ]
        for name in ADDRESS_HEADERS
    }


def _message_id(value: object) -> str:
    """The <id> of the Message-ID header; a header without brackets is kept as written."""
    text = unescape_8bit(value).strip() if value is not None else ""
    match = MESSAGE_ID.search(text)
    return "".join(match.group(0).split()) if match else text


def _message_ids(values: list | None) -> list[str]:
    """Every <id> of In-Reply-To or References, in order; folding inside an id is removed."""
    found = [found for value in values or [] for found in MESSAGE_ID.findall(unescape_8bit(value))]
    return list(dict.fromkeys("".join(message_id.split()) for message_id in found))


def _defects(message: Message) -> list[str]:
    """The stdlib's defects of each part in words: "part 3 (application/pdf): invalid base64 padding"."""
    lines = []
    for index, part in enumerate(message.walk()):
        for defect in part.defects:
            words = re.sub(r"(?<!^)(?=[A-Z])", " ", type(defect).__name__.removesuffix("Defect")).lower()
            lines.append(f"part {index} ({part.get_content_type()}): {words}")
    return lines
