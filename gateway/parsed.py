"""The normalised mail object that routing and every handler read."""

from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message


class MalformedMail(Exception):
    """The message cannot be read at all or breaks a limit; `reason` says why in one line."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes
    # Where the part was found: "attachment", "inline", "forwarded" (inside a message/rfc822
    # part) or "tnef" (unpacked from winmail.dat).
    origin: str = "attachment"

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class ForwardedMessage:
    """A message forwarded as a message/rfc822 part or inline below a forward header."""

    sender: str
    subject: str
    date: datetime | None
    text: str
    inline: bool


@dataclass
class ParsedMail:
    message_id: str
    sender: str
    sender_name: str
    reply_to: list[str]
    to: list[str]
    cc: list[str]
    envelope_from: str | None  # "" is the null sender <>; None means unknown (IMAP)
    envelope_to: list[str]
    subject: str
    date: datetime | None
    in_reply_to: list[str]
    references: list[str]
    text: str
    html: str
    reply_text: str
    attachments: list[Attachment] = field(default_factory=list)
    forwarded: list[ForwardedMessage] = field(default_factory=list)
    # The top-level message as the standard library parsed it, for header rules.
    headers: Message | None = None
    # Non-fatal defects seen while reading; the mail is still processed.
    problems: list[str] = field(default_factory=list)

    @property
    def answered_ids(self) -> list[str]:
        """The Message-IDs this mail answers (In-Reply-To, then References), the latest 50 at most."""
        return [*self.in_reply_to, *self.references][-50:]

    def header(self, name: str) -> str:
        """One header's decoded value, or "" when absent."""
        if self.headers is None:
            return ""
        value = self.headers.get(name)
        return str(value).strip() if value is not None else ""
