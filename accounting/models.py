"""Database tables of the journal: one row per entry, one row per line of an entry."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models import Base, utcnow


class JournalEntry(Base):
    """One balanced entry of a journal (purchases, sales, bank); its id numbers it (EcritureNum)."""

    __tablename__ = "journal_entries"
    __table_args__ = (
        Index("ix_journal_entries_date", "entry_date", "journal"),
        Index("ix_journal_entries_source", "source_kind", "source_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    journal: Mapped[str] = mapped_column(String(8))
    entry_date: Mapped[date] = mapped_column(Date)
    piece_ref: Mapped[str] = mapped_column(String(64))
    piece_date: Mapped[date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(255))
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    source_kind: Mapped[str] = mapped_column(String(16), default="")
    source_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # A correcting entry (issue #11) names the entry it corrects; entries are never edited.
    corrects_entry_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entries.id"), nullable=True)
    # The accountant's monthly mail that first carried the entry (issue #11); None: not sent yet.
    mailed_in: Mapped[int | None] = mapped_column(ForeignKey("accounting_periods.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class JournalLine(Base):
    """One line of an entry. Amounts are decimal strings, exact on SQLite as on PostgreSQL."""

    __tablename__ = "journal_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entries.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    account: Mapped[str] = mapped_column(String(20))
    aux_account: Mapped[str] = mapped_column(String(20), default="")
    aux_label: Mapped[str] = mapped_column(String(255), default="")
    label: Mapped[str] = mapped_column(String(255))
    debit: Mapped[str] = mapped_column(String(32))
    credit: Mapped[str] = mapped_column(String(32))
    # Lettering (lettrage): the code shared by a client's lines that settle each other, and its day.
    # A mark set after the entry, never a change of its amounts; see docs/accountant.md.
    lettering: Mapped[str] = mapped_column(String(8), default="")
    lettered_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class Lettering(Base):
    """One lettering: the lines of an account and tiers that balance each other (an invoice and its payments)."""

    __tablename__ = "letterings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    account: Mapped[str] = mapped_column(String(20))
    aux_account: Mapped[str] = mapped_column(String(20), default="")
    lettered_on: Mapped[date] = mapped_column(Date)
    receivable_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AccountingPeriod(Base):
    """A month as the accountant sees it: mailed (how often, with which archive head), then closed."""

    __tablename__ = "accounting_periods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date, unique=True)  # the first day of the month
    state: Mapped[str] = mapped_column(String(16), default="open")  # "open" | "closed"
    mails_sent: Mapped[int] = mapped_column(Integer, default=0)
    first_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    archive_head: Mapped[str] = mapped_column(String(64), default="")  # the chain head the last mail carried
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closed_by: Mapped[str] = mapped_column(String(998), default="")
    closing_mail_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
