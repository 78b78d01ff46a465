"""The STATUT command's report: each conversation contributes a section; staff see their own."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.models import Mail, utcnow

# How far back the report looks.
REPORT_DAYS = 30


@dataclass(frozen=True)
class Requester:
    address: str
    is_manager: bool


@dataclass(frozen=True)
class Section:
    """Data only: the template names the section by `key` and words each row in its language."""

    key: str
    rows: list[dict] = field(default_factory=list)


SectionProvider = Callable[[Session, Requester, datetime], Section | None]


def mails_section(session: Session, requester: Requester, since: datetime) -> Section:
    """What the gateway received from the requester (from everyone, for the manager)."""
    query = select(Mail.status, func.count()).where(Mail.received_at >= since).group_by(Mail.status)
    if not requester.is_manager:
        query = query.where(Mail.sender == requester.address.lower())
    counts = dict(session.execute(query).all())
    order = ("processed", "pending", "processing", "ignored", "quarantined", "failed")
    return Section("mails", [{"state": state, "count": counts[state]} for state in order if counts.get(state)])


# The providers every report has; handlers/commands.py adds those of the conversations (invoices
# still owed…) after them; the order is the order of the report.
SECTIONS: list[SectionProvider] = [mails_section]


def status_report(session: Session, requester: Requester, now: datetime | None = None,
                  providers: list[SectionProvider] = SECTIONS) -> list[Section]:
    since = (now or utcnow()) - timedelta(days=REPORT_DAYS)
    sections = [provider(session, requester, since) for provider in providers]
    return [section for section in sections if section is not None]
