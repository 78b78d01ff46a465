"""The tables of getting paid: what each client owes, the reminders sent, payments, and the history."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models import Base, utcnow

# open: the ladder runs; paused: until paused_until (a client answer, PAUSE); disputed: the client
# contests, the manager decides; stopped: STOP; paid and credited: nothing is due any more.
STATES = ("open", "paused", "disputed", "stopped", "paid", "credited")
# The states in which an invoice is still owed and shown as open.
OWED_STATES = ("open", "paused", "disputed", "stopped")


class Receivable(Base):
    """One issued invoice (or deposit invoice) with money to collect, and where its ladder stands."""

    __tablename__ = "receivables"
    # The tick reads only the rows due today: its cost follows the due steps, not the table.
    __table_args__ = (
        Index("ix_receivables_due", "state", "next_on"),
        Index("ix_receivables_paused", "state", "paused_until"),
        Index("ix_receivables_client", "client_key"),
        Index("ix_receivables_escalation", "escalation_due"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(Integer, ForeignKey("invoices.id"), unique=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    client_key: Mapped[str] = mapped_column(String(1100))
    client_name: Mapped[str] = mapped_column(String(998))
    client_email: Mapped[str] = mapped_column(String(998), default="")
    client_siren: Mapped[str] = mapped_column(String(9), default="")
    consumer: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who sold it: the order's sender gets the client's answers; empty for invoices issued by CLI.
    salesperson: Mapped[str] = mapped_column(String(998), default="")
    issue_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    # Decimal strings, TTC: due at issue (after deposits), then paid and credited since.
    amount_due: Mapped[str] = mapped_column(String(32))
    paid: Mapped[str] = mapped_column(String(32), default="0.00")
    credited: Mapped[str] = mapped_column(String(32), default="0.00")
    outstanding: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default="open")
    paused_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The next step of the ladder ("J+7") and the business day it is sent on; none when the ladder is done.
    next_step: Mapped[str] = mapped_column(String(32), default="")
    next_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    last_step: Mapped[str] = mapped_column(String(32), default="")
    last_sent_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    escalated_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Set with the last step: the manager's mail for the client is still to write (one per client,
    # written by the same tick or, after a crash, the next one).
    escalation_due: Mapped[bool] = mapped_column(Boolean, default=False)
    # The invoice mail's Message-ID: reminders are sent in its thread.
    thread_message_id: Mapped[str] = mapped_column(String(998), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReminderSend(Base):
    """A step of one invoice's ladder, claimed once: sent, or skipped when a later one was due."""

    __tablename__ = "reminder_sends"
    __table_args__ = (UniqueConstraint("receivable_id", "step", name="uq_reminder_sends_step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receivable_id: Mapped[int] = mapped_column(Integer, ForeignKey("receivables.id"))
    step: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16))  # "sent" | "skipped"
    outbox_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("outbox.id"), nullable=True)
    sent_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Settlement(Base):
    """Money that reduced what is due: a payment (command, statement, order) or a credit note."""

    __tablename__ = "settlements"
    __table_args__ = (Index("ix_settlements_receivable", "receivable_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receivable_id: Mapped[int] = mapped_column(Integer, ForeignKey("receivables.id"))
    kind: Mapped[str] = mapped_column(String(16))  # "payment" | "credit"
    amount: Mapped[str] = mapped_column(String(32))
    on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(16))  # "command" | "statement" | "order" | "credit_note"
    reference: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(998), default="")
    mail_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("mails.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StatementLineSeen(Base):
    """A bank statement line already counted: the same statement mailed twice pays nothing twice."""

    __tablename__ = "statement_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    mail_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("mails.id"), nullable=True)
    booked_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(16))
    numbers: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReceivableMail(Base):
    """A mail we sent about an invoice (the invoice, a reminder): a client answering it is about that invoice."""

    __tablename__ = "receivable_mails"
    __table_args__ = (Index("ix_receivable_mails_message_id", "message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receivable_id: Mapped[int] = mapped_column(Integer, ForeignKey("receivables.id"))
    message_id: Mapped[str] = mapped_column(String(998))


class ReceivableEvent(Base):
    """One line of an invoice's history, in French, as the manager reads it in the escalation."""

    __tablename__ = "receivable_events"
    __table_args__ = (Index("ix_receivable_events_receivable", "receivable_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receivable_id: Mapped[int] = mapped_column(Integer, ForeignKey("receivables.id"))
    on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    mail_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("mails.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
