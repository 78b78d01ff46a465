"""Database tables of received supplier bills and of what the gateway learnt about each supplier."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models import Base, utcnow

# A bill waits for the staff (or the manager, or a duplicate verdict), then ends in one of the
# three final states. Auto-validated bills are "validated" with the decision row saying so.
WAITING_STATES = ("awaiting_staff", "awaiting_manager", "awaiting_duplicate")
FINAL_STATES = ("validated", "rejected", "duplicate")
BILL_STATES = (*WAITING_STATES, *FINAL_STATES)


class ReceivedBill(Base):
    """One invoice or credit note found in a mail. Amounts are decimal strings, exact everywhere."""

    __tablename__ = "bills"
    __table_args__ = (
        Index("ix_bills_file_sha256", "file_sha256"),
        Index("ix_bills_supplier_key", "supplier_key"),
        Index("ix_bills_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"), nullable=True)
    # The staff member who forwarded it, or the supplier's address for a direct send.
    forwarded_by: Mapped[str] = mapped_column(String(998), default="")
    # Who gets the summary and whose OK counts as the staff's (the forwarder, or bills.notify).
    reviewer: Mapped[str] = mapped_column(String(998), default="")
    # "forward" (staff) or "supplier" (a configured supplier sender wrote to us directly).
    channel: Mapped[str] = mapped_column(String(16), default="forward")
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    filename: Mapped[str] = mapped_column(String(255), default="")
    kind: Mapped[str] = mapped_column(String(16), default="invoice")
    source: Mapped[str] = mapped_column(String(16), default="text")
    supplier_key: Mapped[str] = mapped_column(String(255), default="")
    supplier_name: Mapped[str] = mapped_column(String(255), default="")
    supplier_siren: Mapped[str] = mapped_column(String(9), default="")
    supplier_siret: Mapped[str] = mapped_column(String(14), default="")
    supplier_vat_number: Mapped[str] = mapped_column(String(20), default="")
    supplier_iban: Mapped[str] = mapped_column(String(40), default="")
    number: Mapped[str] = mapped_column(String(64), default="")
    issue_date: Mapped[str] = mapped_column(String(10), default="")  # ISO date or ""
    due_date: Mapped[str] = mapped_column(String(10), default="")
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    total_excl_tax: Mapped[str] = mapped_column(String(32), default="")
    total_tax: Mapped[str] = mapped_column(String(32), default="")
    total_incl_tax: Mapped[str] = mapped_column(String(32), default="")
    tax_lines: Mapped[list] = mapped_column(JSON, default=list)
    # The extraction as read (extraction.model.Bill.to_json()), never changed by corrections.
    extraction: Mapped[dict] = mapped_column(JSON, default=dict)
    confidence: Mapped[dict] = mapped_column(JSON, default=dict)
    account: Mapped[str] = mapped_column(String(20), default="")
    account_reason: Mapped[str] = mapped_column(Text, default="")
    reverse_charge: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="awaiting_staff")
    # Why it was rejected (the motif of NON) or closed.
    status_reason: Mapped[str] = mapped_column(Text, default="")
    duplicate_of_bill_id: Mapped[int | None] = mapped_column(ForeignKey("bills.id"), nullable=True)
    # What the duplicate check found: "file", "number" or "amount_date" ("" when none).
    duplicate_match: Mapped[str] = mapped_column(String(16), default="")
    # Each correction: {"field", "rate", "old", "new", "by", "at"}.
    corrections: Mapped[list] = mapped_column(JSON, default=list)
    # The reply token of the latest summary: answers through an older summary are refused.
    review_token_id: Mapped[int | None] = mapped_column(ForeignKey("reply_tokens.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    journal_entry_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Supplier(Base):
    """What validated bills taught about one supplier: its account, its IBANs, how reliable it is."""

    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The SIREN when known, else "name:" and the folded name (see bills.suppliers.supplier_key).
    key: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    siren: Mapped[str] = mapped_column(String(9), default="")
    last_account: Mapped[str] = mapped_column(String(20), default="")
    # Every IBAN a validated bill carried: [{"iban", "first", "last", "count"}].
    validated_ibans: Mapped[list] = mapped_column(JSON, default=list)
    # Validated TTC amounts (decimal strings, latest last) for the "unusual amount" check.
    validated_totals: Mapped[list] = mapped_column(JSON, default=list)
    validated_count: Mapped[int] = mapped_column(Integer, default=0)
    corrected_count: Mapped[int] = mapped_column(Integer, default=0)
    # The latest run of validated bills paid to one IBAN without any correction: trust grows here.
    streak_iban: Mapped[str] = mapped_column(String(40), default="")
    streak_count: Mapped[int] = mapped_column(Integer, default=0)
    # "review" or "automatic" for duplicates; config bills.duplicate_policies overrides it.
    duplicate_policy: Mapped[str] = mapped_column(String(16), default="review")
    trusted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class UnreadableFile(Base):
    """A document attached to a bill mail that no engine could read: `status` counts them."""

    __tablename__ = "bill_unreadable_files"
    __table_args__ = (Index("ix_bill_unreadable_files_seen_at", "seen_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"), nullable=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
