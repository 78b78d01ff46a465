"""Database tables: every mail received and every mail to send."""

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# A mail moves pending → processing → one of the terminal states, each with a reason.
TERMINAL_STATES = ("processed", "ignored", "quarantined", "failed")
MAIL_STATES = ("pending", "processing", *TERMINAL_STATES)
OUTBOX_STATES = ("pending", "sent", "failed")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """A stored time, aware: SQLite hands timestamps back without their zone, and we store UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


class Base(DeclarativeBase):
    pass


class Mail(Base):
    __tablename__ = "mails"
    __table_args__ = (
        # A second delivery of the same message (same Message-ID and bytes) is the same mail.
        UniqueConstraint("message_id", "sha256", name="uq_mails_message_id_sha256"),
        Index("ix_mails_status", "status"),
        # STATUT (one sender's recent mail) and doctor (recent untrusted mail) read a recent
        # window: without these they scan the whole table, 0.2–0.4 s at a million mails.
        Index("ix_mails_sender_received_at", "sender", "received_at"),
        Index("ix_mails_received_at", "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(998), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    envelope_from: Mapped[str | None] = mapped_column(String(998), nullable=True)
    envelope_to: Mapped[list] = mapped_column(JSON, default=list)
    peer: Mapped[str] = mapped_column(String(64), default="")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # How far the sender is trusted: "pass" with the reason it passed, or "none"/"fail".
    auth_verdict: Mapped[str] = mapped_column(String(16), default="none")
    auth_detail: Mapped[str] = mapped_column(Text, default="")
    # The domain that authenticated the sender (aligned DKIM/DMARC), when one did.
    auth_domain: Mapped[str] = mapped_column(String(255), default="")
    # The name the SMTP client gave in HELO/EHLO, for SPF.
    helo: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reason: Mapped[str] = mapped_column(Text, default="")
    route: Mapped[str] = mapped_column(String(32), default="")
    sender: Mapped[str] = mapped_column(String(998), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Outbox(Base):
    __tablename__ = "outbox"
    # `mail show` and retention look outbox rows up by mail.
    __table_args__ = (Index("ix_outbox_status", "status"), Index("ix_outbox_mail_id", "mail_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"), nullable=True)
    # "reply" answers a mail (Auto-Submitted: auto-replied); "generated" is mail we start.
    kind: Mapped[str] = mapped_column(String(16))
    template: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(998), unique=True)
    sender: Mapped[str] = mapped_column(String(998))
    recipients: Mapped[list] = mapped_column(JSON)
    cc: Mapped[list] = mapped_column(JSON, default=list)
    subject: Mapped[str] = mapped_column(Text)
    in_reply_to: Mapped[str] = mapped_column(String(998), default="")
    references: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    delivered_as: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # After a failed attempt, no worker tries again before this moment.
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ImapLedger(Base):
    """One row per IMAP message stored, so that a message is fetched into the gateway once."""

    __tablename__ = "imap_ledger"
    __table_args__ = (UniqueConstraint("account", "folder", "uidvalidity", "uid", name="uq_imap_ledger_message"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account: Mapped[str] = mapped_column(String(255))
    folder: Mapped[str] = mapped_column(String(255))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"), nullable=True)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReplyToken(Base):
    """A reply address factures+<token>@: bound to one object and one recipient, stored hashed."""

    __tablename__ = "reply_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    object_kind: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int] = mapped_column(Integer)
    recipient: Mapped[str] = mapped_column(String(998))
    purpose: Mapped[str] = mapped_column(String(32), default="decision")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    used_by_mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"), nullable=True)


class Decision(Base):
    """The audit trail of approvals: who decided what, when, how authenticated, from which mail."""

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_object", "object_kind", "object_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    object_kind: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int] = mapped_column(Integer)
    verdict: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(998))
    role: Mapped[str] = mapped_column(String(16))
    auth_verdict: Mapped[str] = mapped_column(String(16))
    auth_domain: Mapped[str] = mapped_column(String(255), default="")
    message_id: Mapped[str] = mapped_column(String(998), default="")
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"), nullable=True)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OutboxAttachment(Base):
    """A file sent with an outbox row: its bytes, or the number of the issued document whose PDF
    is attached when the mail leaves (the PDF is rendered after the document's commit)."""

    __tablename__ = "outbox_attachments"
    __table_args__ = (Index("ix_outbox_attachments_outbox_id", "outbox_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(127))
    data: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    invoice_number: Mapped[str] = mapped_column(String(64), default="")
