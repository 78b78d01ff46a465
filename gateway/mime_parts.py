"""Sorts the MIME parts of a received mail into body texts, files and forwarded messages."""

import email
import mimetypes
import re
from dataclasses import dataclass, field
from email.message import Message
from email.utils import getaddresses

from gateway.config import Parsing
from gateway.mime_text import (
    decode_bytes,
    header_date,
    header_text,
    html_to_text,
    unescape_8bit,
)
from gateway.parsed import Attachment, ForwardedMessage, MalformedMail
from gateway.tnef import TnefError, is_tnef, unpack_tnef

FORWARDED_TYPES = {"message/rfc822", "message/global"}
BOUNDARY_LINE = re.compile(r"^--([^\s\"]{1,70})[ \t]*\r?$", re.MULTILINE)


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
            _collect_forwarded(_inner_message(part, limits), content, limits, problems)
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
        boundary = match.group(1)
        problems.append(f"{part.get_content_type()} part: declared boundary missing, read with {boundary!r}")
        collect(rebuilt, forwarded, content, limits, problems)


def _is_body_text(part: Message, content_type: str) -> bool:
    """A named or attached text part is a file the sender chose to send, not the body."""
    if content_type not in ("text/plain", "text/html") or part.get_content_disposition() == "attachment":
        return False
    return not _filename(part, [])


def _inner_message(part: Message, limits: Parsing) -> Message:
    """The forwarded message; some webmails base64-encode it, which RFC 2046 forbids but happens."""
    inner = part.get_payload()[0]
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding not in ("base64", "quoted-printable") or inner.keys():
        return inner
    carrier = Message()
    carrier["Content-Transfer-Encoding"] = encoding
    carrier.set_payload(inner.get_payload())
    decoded = email.message_from_bytes(carrier.get_payload(decode=True) or b"")
    check_limits(decoded, limits)
    return decoded


def _collect_forwarded(inner: Message, content: Content, limits: Parsing, problems: list[str]) -> None:
    """A message/rfc822 part: one ForwardedMessage, and its files as attachments of origin "forwarded"."""
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


def _collect_file(part: Message, forwarded: bool, content: Content, limits: Parsing,
                  problems: list[str]) -> None:
    """Add the file this part holds, or the files inside it when it is a winmail.dat."""
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
            limit = limits.max_attachment_size
            problems.append(f"{file.filename}: dropped, {file.size} bytes is over the limit of {limit}")


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
    """The first address of a header, lowercased, or "" when it holds none."""
    if value is None:
        return ""
    addresses = [address for _, address in getaddresses([unescape_8bit(value)]) if "@" in address]
    return addresses[0].lower() if addresses else ""
