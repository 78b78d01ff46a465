"""What the reminder templates read about an invoice: amounts computed here, formatted there."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from gateway.config import Config
from receivables.legal_rates import LegalRates, load_legal_rates
from receivables.models import Receivable
from receivables.penalties import late_penalty, penalty_wording


@dataclass(frozen=True)
class PenaltyView:
    amount: Decimal
    indemnity: Decimal
    total: Decimal
    wording: str
    wording_en: str


@dataclass(frozen=True)
class InvoiceView:
    number: str
    issue_date: str
    due_date: str
    total_incl_tax: Decimal
    paid: Decimal
    credited: Decimal
    outstanding: Decimal
    days_late: int


@dataclass(frozen=True)
class HistoryLine:
    on: str
    text: str


@dataclass(frozen=True)
class OpenInvoiceView(InvoiceView):
    state: str
    penalty: PenaltyView | None
    history: tuple[HistoryLine, ...]


def invoice_view(receivable: Receivable, today: date) -> InvoiceView:
    return InvoiceView(
        number=receivable.number, issue_date=f"{receivable.issue_date:%d/%m/%Y}",
        due_date=f"{receivable.due_date:%d/%m/%Y}", total_incl_tax=Decimal(receivable.amount_due),
        paid=Decimal(receivable.paid), credited=Decimal(receivable.credited),
        outstanding=max(Decimal(receivable.outstanding), Decimal(0)), days_late=(today - receivable.due_date).days,
    )


def penalty_view(config: Config, rates: LegalRates, receivable: Receivable,
                 settlements: Sequence[tuple[date, Decimal]], today: date) -> PenaltyView | None:
    """Penalties and indemnity accrued so far; None before the due date has passed."""
    if today <= receivable.due_date:
        return None
    contract = Decimal(config.reminders.contract_rate) if config.reminders.contract_rate else None
    penalty = late_penalty(receivable.due_date, today, Decimal(receivable.amount_due), settlements,
                           receivable.consumer, rates, contract)
    french, english = penalty_wording(penalty)
    return PenaltyView(penalty.amount, penalty.indemnity, penalty.total, french, english)


def rates_of(config: Config) -> LegalRates:
    return load_legal_rates(config.reminders.legal_rates or None)


def open_invoice_view(config: Config, rates: LegalRates, receivable: Receivable,
                      settlements: Sequence[tuple[date, Decimal]], history: Sequence[tuple[date, str]],
                      today: date) -> OpenInvoiceView:
    base = invoice_view(receivable, today)
    return OpenInvoiceView(
        **base.__dict__, state=receivable.state,
        penalty=penalty_view(config, rates, receivable, settlements, today),
        history=tuple(HistoryLine(f"{on:%d/%m/%Y}", text) for on, text in history),
    )
