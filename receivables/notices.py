"""The formal notice (mise en demeure) of one client's overdue invoices, computed from the ledger."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.config import Config
from invoicing.models import Invoice
from invoicing.stored import stored_document
from receivables.formal_notice import FormalNotice, NoticeInvoice
from receivables.models import Receivable, Settlement
from receivables.penalties import late_penalty, penalty_wording
from receivables.views import rates_of


def formal_notice_for(session: Session, config: Config, found: list[Receivable], today: date) -> FormalNotice | None:
    """One notice for the overdue invoices among `found` (one client's); None when none is overdue."""
    overdue = [receivable for receivable in found if receivable.due_date < today and Decimal(receivable.outstanding) > 0]
    if not overdue:
        return None
    rates = rates_of(config)
    contract = Decimal(config.reminders.contract_rate) if config.reminders.contract_rate else None
    lines, wording = [], ""
    for receivable in overdue:
        settlements = [(on, Decimal(amount)) for on, amount in session.execute(
            select(Settlement.on, Settlement.amount).where(Settlement.receivable_id == receivable.id))]
        penalty = late_penalty(receivable.due_date, today, Decimal(receivable.amount_due), settlements,
                               receivable.consumer, rates, contract)
        # The notice sums several invoices: its wording names the rate and the law, not one invoice's amount.
        wording = penalty_wording(replace(penalty, late_since=None))[0]
        lines.append(NoticeInvoice(
            number=receivable.number, issue_date=receivable.issue_date, due_date=receivable.due_date,
            total_incl_tax=Decimal(receivable.amount_due), outstanding=Decimal(receivable.outstanding),
            penalty=penalty.amount, indemnity=penalty.indemnity,
        ))
    buyer = stored_document(session.get(Invoice, overdue[0].invoice_id)).buyer
    return FormalNotice(
        company=config.company, client_name=buyer.name, client_address=tuple(buyer.address),
        client_postcode=buyer.postcode, client_city=buyer.city, consumer=overdue[0].consumer,
        invoices=tuple(lines), penalty_wording=wording, dated=today,
    )
