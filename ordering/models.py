"""The orders table: one row per order copied to the gateway, from receipt to its invoice."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models import Base, utcnow

# awaiting_data: the salesperson was asked for what is missing; awaiting_manager: above the
# threshold, the manager's OK is missing; issued: invoiced and sent; cancelled: the manager said NON.
ORDER_STATES = ("awaiting_data", "awaiting_manager", "issued", "cancelled")


class OrderRecord(Base):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_status", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The mail that carried the order, and its Message-ID: the invoice mail is threaded to it.
    mail_id: Mapped[int] = mapped_column(Integer, ForeignKey("mails.id"))
    message_id: Mapped[str] = mapped_column(String(998), default="")
    salesperson: Mapped[str] = mapped_column(String(998))
    # The addresses the order mail was written to: the client's address when the order gives none.
    written_to: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(32))
    # The order's text as received: read again, with the answers, on every answer.
    order_text: Mapped[str] = mapped_column(Text, default="")
    # The salesperson's answers to "what is missing", oldest first: read with the order each time.
    answers: Mapped[str] = mapped_column(Text, default="")
    client_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("clients.id"), nullable=True)
    # The numbers issued for it: the final invoice, and the deposit invoice issued with it if any.
    invoice_number: Mapped[str] = mapped_column(String(64), default="")
    deposit_number: Mapped[str] = mapped_column(String(64), default="")
    # The invoicing request (JSON) the invoice was or will be issued from.
    request: Mapped[str] = mapped_column(Text, default="")
    total_incl_tax: Mapped[str] = mapped_column(String(32), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
