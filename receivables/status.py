"""The STATUT report's section on client invoices still owed: the most overdue first."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.models import utcnow
from gateway.status_sections import Requester, Section
from receivables.models import OWED_STATES, Receivable

# A mail lists this many invoices at most.
MAX_ROWS = 50


def receivables_section(session: Session, requester: Requester, since: datetime,
                        today: date | None = None) -> Section | None:
    """Every invoice still owed for the manager; a salesperson sees the ones they sold. Ordered by due
    date, so the most overdue come first; `since` (the report's window) does not apply: a debt stays.
    `today` is the company's (its time zone), which days late count from."""
    query = select(Receivable).where(Receivable.state.in_(OWED_STATES))
    if not requester.is_manager:
        query = query.where(Receivable.salesperson == requester.address.lower())
    owed = session.scalars(query.order_by(Receivable.due_date, Receivable.id).limit(MAX_ROWS)).all()
    if not owed:
        return None
    today = today or utcnow().date()
    return Section("receivables", [{
        "number": receivable.number, "client": receivable.client_name, "due_date": f"{receivable.due_date:%d/%m/%Y}",
        "outstanding": Decimal(receivable.outstanding), "days_late": (today - receivable.due_date).days,
        "state": receivable.state, "next_step": _next_step(receivable),
        "next_on": f"{receivable.next_on:%d/%m/%Y}" if receivable.next_on and receivable.state == "open" else "",
    } for receivable in owed])


def _next_step(receivable: Receivable) -> str:
    if receivable.state != "open" or not receivable.next_step:
        return ""
    return "relance manuelle" if receivable.next_step == "R" else f"relance {receivable.next_step}"
