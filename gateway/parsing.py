"""Turns the raw bytes of a mail into the ParsedMail that routing and every handler read."""

import email
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import timezone
from email.message import Message
from email.utils import getaddresses

import mailparser

from gateway.config import Parsing
from gateway.forwards import inline_forwards, reply_text
from gateway.mime_text import decode_bytes, header_date, header_text, html_to_text, unescape_8bit
from gateway.parsed import Attachment, ForwardedMessage, MalformedMail, ParsedMail
from gateway.tnef import TnefError, is_tnef, unpack_tnef

# A mail has at least one of these; bytes with none of them (an Outlook .msg, a PDF) are not a mail.
MAIL_HEADERS = {"from", "sender", "to", "cc", "subject", "date", "message-id", "received", "return-path",
                "mime-version", "content-type", "delivered-to"}
FORWARDED_TYPES = {"message/rfc822", "message/global"}
MESSAGE_ID = re.compile(r"<[^<>]+>")
BOUNDARY_LINE = re.compile(r"^--([^\s\"]{1,70})[ \t]*\r?$", re.MULTILINE)


def parse_mail(raw: bytes, envelope_from: str, envelope_to: list[str], limits: Parsing) -> ParsedMail:
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
    raw = bytes(raw)
    if not raw.strip():
        raise MalformedMail("empty message")
    message = email.message_from_bytes(raw)
    names = {name.lower() for name in message.keys()}
    if not names:
        raise MalformedMail("no header at all: not a mail")
    if not names & MAIL_HEADERS:
        raise MalformedMail("none of the usual mail headers (From, To, Subject, Date...): not a mail")
    return message


def check_limits(message: Message, limits: Parsing) -> None:
    """Count parts and nesting on the stdlib tree, before any decoding work is spent on them."""
    count, stack = 0, [(message, 0)]
    while stack:
        part, depth = stack.pop()
        count += 1
        if count > limits.max_parts:
            raise MalformedMail(f"more than {limits.max_parts} MIME parts")
        if depth > limits.max_depth:
            raise MalformedMail(f"MIME parts nested more than {limits.max_depth} levels deep")
        if part.is_multipart():
            stack.extend((child, depth + 1) for child in part.get_payload())


def _parse(message: Message, envelope_from: str, envelope_to: list[str], limits: Parsing) -> ParsedMail:
    problems: list[str] = []
    # This is what mailparser.parse_from_bytes does, minus a second parse of the same bytes.
    addresses = mailparser.MailParser(message)
    sender_name, sender = (addresses.from_ or [("", "")])[0]
    date = header_date(message.get("Date"), problems)
    subject = header_text(message.get("Subject"), problems)
    content = Content()
    collect(message, False, content, limits, problems)
    html, text = "\n".join(content.html), content.text()
    return ParsedMail(
        message_id=_message_id(message.get("Message-ID")),
        sender=sender.lower(),
        sender_name=sender_name,
        reply_to=[address.lower() for _, address in addresses.reply_to],
        to=[address.lower() for _, address in addresses.to],
        cc=[address.lower() for _, address in addresses.cc],
        envelope_from=(envelope_from or "").strip().lower(),
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


@dataclass
class Content:
    """What a walk of one message found: its body texts, its files, the messages forwarded in it."""

    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    forwarded: list[ForwardedMessage] = field(default_factory=list)

    def text(self) -> str:
        """The text/plain body, or a rendering of the HTML one when the plain one is missing or blank."""
        plain = "\n".join(self.plain)
        return plain if plain.strip() else html_to_text("\n".join(self.html))


def collect(part: Message, forwarded: bool, content: Content, limits: Parsing, problems: list[str]) -> None:
    """Sort the parts below `part` into content; recursion is bounded by the depth limit checked first."""
    content_type = part.get_content_type()
    if part.is_multipart():
        children = part.get_payload()
        if content_type in FORWARDED_TYPES and children:
            _collect_forwarded(children[0], content, limits, problems)
        elif part.get_content_maintype() != "message":
            # Delivery and disposition reports are machine-read header blocks, neither body nor file.
            for child in children:
                collect(child, forwarded, content, limits, problems)
    elif part.get_content_maintype() == "multipart":
        _collect_broken_multipart(part, forwarded, content, limits, problems)
    elif _is_body_text(part, content_type):
        target = content.plain if content_type == "text/plain" else content.html
        target.append(_body_text(part, problems))
    else:
        _collect_file(part, forwarded, content, limits, problems)


def _collect_broken_multipart(part: Message, forwarded: bool, content: Content, limits: Parsing,
                              problems: list[str]) -> None:
    """A multipart whose declared boundary never occurs: read it again with the boundary its lines use."""
    payload = part.get_payload()
    match = BOUNDARY_LINE.search(payload) if isinstance(payload, str) else None
    if match is None:
        return  # The stdlib recorded the defect, and there is nothing left to read.
    header = f'Content-Type: {part.get_content_type()}; boundary="{match.group(1)}"'
    rebuilt = email.message_from_string(f"{header}\n\n{payload}")
    if rebuilt.is_multipart():
        check_limits(rebuilt, limits)
        problems.append(f"{part.get_content_type()} part: declared boundary missing, read with {match.group(1)!r}")
        collect(rebuilt, forwarded, content, limits, problems)


def _is_body_text(part: Message, content_type: str) -> bool:
    """A named or attached text part is a file the sender chose to send, not the body."""
    if content_type not in ("text/plain", "text/html") or part.get_content_disposition() == "attachment":
        return False
    return not _filename(part, [])


def _collect_forwarded(inner: Message, content: Content, limits: Parsing, problems: list[str]) -> None:
    found = Content()
    collect(inner, True, found, limits, problems)
    content.forwarded.append(
        ForwardedMessage(
            sender=_bare_address(inner.get("From")),
            subject=header_text(inner.get("Subject"), problems),
            date=header_date(inner.get("Date"), problems),
            text=found.text(),
            inline=False,
        )
    )
    content.forwarded.extend(found.forwarded)
    content.attachments.extend(found.attachments)


def _collect_file(part: Message, forwarded: bool, content: Content, limits: Parsing, problems: list[str]) -> None:
    content_type = part.get_content_type()
    extension = mimetypes.guess_extension(content_type) or ""
    filename = _filename(part, problems) or f"attachment-{len(content.attachments) + 1}{extension}"
    data = _payload(part, problems)
    files = None
    if is_tnef(content_type, filename):
        try:
            files = unpack_tnef(data)
        except TnefError as error:
            problems.append(f"{filename}: could not be unpacked ({error}), kept as it is")
    if files is None:
        disposition = part.get_content_disposition()
        origin = "forwarded" if forwarded else "inline" if disposition == "inline" else "attachment"
        files = [Attachment(filename=filename, content_type=content_type, data=data, origin=origin)]
    for file in files:
        if file.size <= limits.max_attachment_size:
            content.attachments.append(file)
        else:
            problems.append(f"{file.filename}: dropped, {file.size} bytes is over the limit of {limits.max_attachment_size}")


def _payload(part: Message, problems: list[str]) -> bytes:
    """The decoded bytes of a leaf part; broken base64 is decoded as far as it goes and shows as a defect."""
    try:
        data = part.get_payload(decode=True)
    except Exception as error:
        problems.append(f"{part.get_content_type()} part: undecodable payload ({type(error).__name__})")
        return b""
    return data if isinstance(data, bytes) else b""


def _body_text(part: Message, problems: list[str]) -> str:
    charset = part.get_content_charset() or ""
    text, problem = decode_bytes(_payload(part, problems), charset)
    if problem:
        problems.append(f"{part.get_content_type()} body: {problem}")
    return text


def _filename(part: Message, problems: list[str]) -> str:
    """The part's file name, RFC 2231 (by the stdlib) and RFC 2047 decoded, without any folder."""
    try:
        name = part.get_filename()
        if name and "\ufffd" in name:
            name = _8bit_filename(part) or name
        name = header_text(name, problems)
    except Exception as error:  # A parameter can be broken enough to defeat the stdlib's reader.
        problems.append(f"{part.get_content_type()} part: unreadable file name ({type(error).__name__})")
        return ""
    # Some clients send the sender's full path: "C:\\Users\\marie\\facture.pdf".
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(character for character in name if character.isprintable()).strip()


def _8bit_filename(part: Message) -> str | None:
    """The stdlib turns raw UTF-8 in a parameter into U+FFFD; read the name from the raw header instead."""
    copy = Message()
    for key, value in part.raw_items():
        if key.lower() in ("content-disposition", "content-type"):
            copy[key] = unescape_8bit(value)
    return copy.get_filename()


def _bare_address(value: object) -> str:
    if value is None:
        return ""
    addresses = [address for _, address in getaddresses([unescape_8bit(value)]) if "@" in address]
    return addresses[0].lower() if addresses else ""


def _message_id(value: object) -> str:
    text = unescape_8bit(value).strip() if value is not None else ""
    match = MESSAGE_ID.search(text)
    return "".join(match.group(0).split()) if match else text


def _message_ids(values: list | None) -> list[str]:
    found = ["".join(found.split()) for value in values or [] for found in MESSAGE_ID.findall(unescape_8bit(value))]
    return list(dict.fromkeys(found))


def _defects(message: Message) -> list[str]:
    """The stdlib's defects of every part, named in words: "part 3 (application/pdf): invalid base64 padding"."""
    lines = []
    for index, part in enumerate(message.walk()):
        for defect in part.defects:
            words = re.sub(r"(?<!^)(?=[A-Z])", " ", type(defect).__name__.removesuffix("Defect")).lower()
            lines.append(f"part {index} ({part.get_content_type()}): {words}")
    return lines
