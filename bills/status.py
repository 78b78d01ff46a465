"""The bill figures `gateway status` shows: bills per state, and files no engine could read."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bills.models import BILL_STATES, ReceivedBill, UnreadableFile


def bill_counts(session: Session) -> dict[str, int]:
    """Bills per state, every state present."""
    counts = dict(session.execute(select(ReceivedBill.status, func.count()).group_by(ReceivedBill.status)).all())
    return {state: counts.get(state, 0) for state in BILL_STATES}


def unreadable_files_since(session: Session, since: datetime) -> int:
    return session.scalar(select(func.count()).select_from(UnreadableFile).where(UnreadableFile.seen_at >= since)) or 0
