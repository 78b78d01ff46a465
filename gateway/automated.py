"""Recognise mail that must never be answered: loops, abuse reports, bounces, auto-replies."""

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.header import decode_header, make_header
from email.message import Message
from email.utils import parseaddr

from gateway.automated_signals import (
    AUTO_REPLY_HEADERS,
    AUTO_REPLY_SUBJECT_PHRASES,
    AUTO_REPLY_SUBJECT_PREFIXES,
    BOUNCE_SUBJECT_PHRASES,
    BOUNCE_SUBJECT_PREFIXES,
    BOUNCE_TEXT_PHRASES,
    DAEMON_LOCAL_PARTS,
    FAILED_ADDRESS,
    FORWARD_PREFIX,
    LIST_HEADERS,
    LIST_PRECEDENCES,
    LOOP_HEADER,
    SMTP_FAILURE,
    TEXT_SCAN_LIMIT,
    VACATION_MAILERS,
    Words,
)


@dataclass(frozen=True)
class Automated:
    kind: str  # "loop", "feedback_report", "bounce", "auto_reply" or "mailing_list"
    reason: str  # one readable line, e.g. "bounce: X-Failed-Recipients header"


@dataclass(frozen=True)
class Incoming:
    """What the rules read: the message, its envelope sender and its subject, computed once."""

    message: Message
    sender: str | None  # "" for the null sender, None when unknown
    subject: str  # decoded and normalised
    loop_marker: str


def normalise(text: str) -> str:
    """Fold case, accents and runs of spaces so that the word lists match any spelling."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def header_text(message: Message, name: str) -> str:
    """One header decoded from RFC 2047 (or raw UTF-8) on one line, or "" when absent."""
    raw = next((value for key, value in message.raw_items() if key.lower() == name.lower()), None)
    if raw is None:
        return ""
    # Raw 8-bit headers come back with surrogate escapes; most such mail is UTF-8.
    text = str(raw).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    try:
        text = str(make_header(decode_header(text)))
    except (ValueError, LookupError, UnicodeError):
        pass
    return " ".join(text.split())


def envelope_sender(message: Message, envelope_from: str | None) -> str | None:
    """The SMTP sender given by the caller, else the one the delivering MTA wrote in Return-Path."""
    if envelope_from is None:
        if "Return-Path" not in message:
            return None
        envelope_from = header_text(message, "Return-Path")
    bare = envelope_from.strip(" <>")
    return (parseaddr(envelope_from)[1] or bare) if bare else ""


def incoming(message: Message, envelope_from: str | None, loop_marker: str) -> Incoming:
    subject = normalise(header_text(message, "Subject"))
    return Incoming(message, envelope_sender(message, envelope_from), subject, loop_marker)


def mime_parts(message: Message) -> Iterator[Message]:
    """Every part of the mail, without entering attached messages: a forwarded bounce is not one."""
    yield message
    if message.get_content_maintype() == "multipart" and message.is_multipart():
        for part in message.get_payload():
            if isinstance(part, Message):
                yield from mime_parts(part)


def opening_text(message: Message) -> str:
    """The start of the first inline text part, normalised.  A multipart part whose boundary is
    broken is read as text too, since its parts then arrive as one string."""
    for part in mime_parts(message):
        broken = part.get_content_maintype() == "multipart" and not part.is_multipart()
        if part.get_content_disposition() == "attachment":
            continue
        if part.get_content_type() == "text/plain" or broken:
            data = part.get_payload(decode=True) or b""
            try:
                text = data.decode(part.get_content_charset() or "utf-8", "replace")
            except LookupError:
                text = data.decode("utf-8", "replace")
            return normalise(text[:TEXT_SCAN_LIMIT])
    return ""


def subject_matches(subject: str, prefixes: Words, phrases: Words) -> str | None:
    """The list entry the subject matches; prefixes may follow "[SPAM]"-like filter tags.

    A subject that opens with a forward prefix was written by a person (a staff member passing
    a bounce on); robots put their own words first ("Undeliverable: FW: ...").
    """
    untagged = re.sub(r"^(\[[^\]]*\]\s*)+", "", subject)
    if FORWARD_PREFIX.match(untagged):
        return None
    found = [p for p in prefixes if untagged.startswith(normalise(p))]
    found += [p for p in phrases if normalise(p) in subject]
    return found[0] if found else None


def report(message: Message, report_types: Words, part_types: Words) -> str | None:
    """The first part that is one of these reports (RFC 6522), named as a reason."""
    for part in mime_parts(message):
        ctype = part.get_content_type()
        if ctype in part_types:
            return f"{ctype} part"
        kind = str(part.get_param("report-type") or "").strip().casefold()
        if ctype == "multipart/report" and kind in report_types:
            return f"multipart/report; report-type={kind or '(missing)'}"
    return None


def first_header(message: Message, names: Words) -> str | None:
    found = next((name for name in names if name in message), None)
    return f"{found} header" if found else None


# The rules.  Each returns the signal it saw, or None; the reason recorded is "<kind>: <signal>".


def our_loop_header(mail: Incoming) -> str | None:
    """Our own mail came back: it carries our loop header with our marker, not another's."""
    values = [str(value).strip() for value in mail.message.get_all(LOOP_HEADER, [])]
    ours = mail.loop_marker and mail.loop_marker in values
    return f"{LOOP_HEADER} carries our marker" if ours else None


def feedback_report_part(mail: Incoming) -> str | None:
    """An abuse report in the Abuse Reporting Format (RFC 5965)."""
    return report(mail.message, ("feedback-report",), ("message/feedback-report",))


def delivery_report_part(mail: Incoming) -> str | None:
    """A delivery status notification (RFC 3464, RFC 6533); a report without report-type is
    one too, since only delivery systems send those."""
    dsn_parts = ("message/delivery-status", "message/global-delivery-status")
    return report(mail.message, ("delivery-status", ""), dsn_parts)


def failed_recipients_header(mail: Incoming) -> str | None:
    """Exim, Gmail and mail.ru name the addresses that failed in this header."""
    return first_header(mail.message, ("X-Failed-Recipients",))


def daemon_sender(mail: Incoming) -> str | None:
    """Delivery systems write as MAILER-DAEMON or postmaster, in the From or the envelope."""
    from_address = parseaddr(header_text(mail.message, "From"))[1]
    for label, address in (("From", from_address), ("envelope sender", mail.sender or "")):
        if address.rsplit("@", 1)[0].casefold() in DAEMON_LOCAL_PARTS:
            return f"{label} {address}"
    return None


def bounce_subject(mail: Incoming) -> str | None:
    found = subject_matches(mail.subject, BOUNCE_SUBJECT_PREFIXES, BOUNCE_SUBJECT_PHRASES)
    return f'subject "{found}"' if found else None


def bounce_text(mail: Incoming) -> str | None:
    """The text opens like a delivery report, for bounces sent without report structure."""
    text = opening_text(mail.message)
    match = SMTP_FAILURE.search(text) or FAILED_ADDRESS.search(text)
    if match:
        return f'text says "{match.group()}"'
    found = next((p for p in BOUNCE_TEXT_PHRASES if normalise(p) in text), None)
    return f'text says "{found}"' if found else None


def read_receipt(mail: Incoming) -> str | None:
    """A message disposition notification (RFC 8098) is an automatic answer."""
    part_types = ("message/disposition-notification",)
    return report(mail.message, ("disposition-notification",), part_types)


def auto_submitted(mail: Incoming) -> str | None:
    """RFC 3834: any Auto-Submitted value but "no" marks mail that no program may answer."""
    value = header_text(mail.message, "Auto-Submitted")
    keyword = re.split(r"[;(\s]", normalise(value), maxsplit=1)[0]
    return f"Auto-Submitted: {value}" if keyword and keyword != "no" else None


def auto_reply_header(mail: Incoming) -> str | None:
    return first_header(mail.message, AUTO_REPLY_HEADERS)


def auto_reply_precedence(mail: Incoming) -> str | None:
    """Precedence: auto_reply is the convention of vacation(1), older than RFC 3834."""
    value = normalise(header_text(mail.message, "Precedence"))
    return "Precedence: auto_reply" if value == "auto_reply" else None


def vacation_mailer(mail: Incoming) -> str | None:
    """The program that wrote the mail names itself a vacation program or an auto-responder."""
    for name in ("X-Mailer", "User-Agent"):
        value = normalise(header_text(mail.message, name))
        if any(word in value for word in VACATION_MAILERS):
            return f"{name}: {value}"
    return None


def auto_reply_subject(mail: Incoming) -> str | None:
    found = subject_matches(mail.subject, AUTO_REPLY_SUBJECT_PREFIXES, AUTO_REPLY_SUBJECT_PHRASES)
    return f'subject "{found}"' if found else None


def null_sender(mail: Incoming) -> str | None:
    """Only delivery reports and auto-replies use the null sender.  RFC 3834 asks auto-replies
    to use it too, so this rule runs after the auto-reply rules and takes what they left."""
    return "null envelope sender" if mail.sender == "" else None


def list_header(mail: Incoming) -> str | None:
    return first_header(mail.message, LIST_HEADERS)


def bulk_precedence(mail: Incoming) -> str | None:
    value = normalise(header_text(mail.message, "Precedence"))
    return f"Precedence: {value}" if value in LIST_PRECEDENCES else None


# The pipeline, in order: the first rule that sees its signal gives the class.
RULES: tuple[tuple[str, Callable[[Incoming], str | None]], ...] = (
    ("loop", our_loop_header),
    ("feedback_report", feedback_report_part),
    ("bounce", delivery_report_part),
    ("bounce", failed_recipients_header),
    ("bounce", daemon_sender),
    ("bounce", bounce_subject),
    ("bounce", bounce_text),
    ("auto_reply", read_receipt),
    ("auto_reply", auto_submitted),
    ("auto_reply", auto_reply_header),
    ("auto_reply", auto_reply_precedence),
    ("auto_reply", vacation_mailer),
    ("auto_reply", auto_reply_subject),
    ("bounce", null_sender),
    ("mailing_list", list_header),
    ("mailing_list", bulk_precedence),
)


def detect_automated(
    message: Message, envelope_from: str | None, loop_marker: str
) -> Automated | None:
    """The class of a mail that must never be answered, with the signal that gave it away.

    `envelope_from` is the SMTP MAIL FROM ("" for the null sender), or None when unknown (mail
    fetched by IMAP), in which case the Return-Path header is read instead.
    """
    mail = incoming(message, envelope_from, loop_marker)
    for kind, rule in RULES:
        signal = rule(mail)
        if signal:
            return Automated(kind, f"{kind}: {signal}")
    return None
