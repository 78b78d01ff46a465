"""Database tables of issued documents: number counters, invoices and the hash-chained archive."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models import Base, utcnow

# An invoice row is "issued" when its number, snapshot and archive entry are committed, and
# "rendered" once its PDF is stored (rendering happens after that commit, and is retried).
INVOICE_STATES = ("issued", "rendered")
# How the document reaches the buyer: only mail today; the e-invoicing platform of the 2027
# obligation becomes one more value here ("platform"), not a new model. "none": kept, not sent.
TRANSMISSIONS = ("email", "platform", "none")
TRANSMISSION_STATES = ("pending", "sent", "failed", "not_required")
# What an archive entry seals: the document when numbered, then its PDF once rendered.
ARCHIVE_EVENTS = ("issued", "rendered")


class InvoiceCounter(Base):
    """The last number given in one series; its row is locked while a number is taken."""

    __tablename__ = "invoice_counters"

    # The pattern with its year filled in, e.g. "FA2026-{seq:04d}": a new year is a new series.
    series: Mapped[str] = mapped_column(String(128), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_issue_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Invoice(Base):
    """One issued document (invoice, credit note or deposit invoice); never edited or deleted.

    Amounts are decimal strings: exact on SQLite as on PostgreSQL, and hashed as stored.
    """

    __tablename__ = "invoices"
    __table_args__ = (Index("ix_invoices_status", "status"), Index("ix_invoices_corrects", "corrects_number"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    series: Mapped[str] = mapped_column(String(128))
    seq: Mapped[int] = mapped_column(Integer)
    issue_date: Mapped[date] = mapped_column(Date)
    buyer_name: Mapped[str] = mapped_column(String(998), default="")
    buyer_email: Mapped[str] = mapped_column(String(998), default="")
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    total_excl_tax: Mapped[str] = mapped_column(String(32))
    total_tax: Mapped[str] = mapped_column(String(32))
    total_incl_tax: Mapped[str] = mapped_column(String(32))
    amount_due: Mapped[str] = mapped_column(String(32))
    # The invoice a credit note corrects.
    corrects_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The canonical JSON of the Document (invoicing.document_json): what is printed and archived.
    document: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="issued")
    transmission: Mapped[str] = mapped_column(String(16), default="email")
    transmission_status: Mapped[str] = mapped_column(String(16), default="pending")
    transmitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="")
    pdf_path: Mapped[str] = mapped_column(Text, default="")
    render_attempts: Mapped[int] = mapped_column(Integer, default=0)
    render_error: Mapped[str] = mapped_column(Text, default="")
    rendered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ArchiveEntry(Base):
    """One link of the archive chain: a content hash sealed with the previous link's hash."""

    __tablename__ = "archive_entries"
    # A document is sealed once when numbered and once when its PDF is stored.
    __table_args__ = (UniqueConstraint("number", "event", name="uq_archive_entries_number_event"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    number: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(16))
    content_sha256: Mapped[str] = mapped_column(String(64))
    previous_hash: Mapped[str] = mapped_column(String(64))
    chain_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ArchiveHead(Base):
    """The chain's single head row: locked by every append, so links form one line."""

    __tablename__ = "archive_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
