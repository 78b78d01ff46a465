"""What `status` and `mail show` report, as plain data (printed by the CLI, or as JSON)."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bills.status import bill_counts
from gateway.app import Gateway
from gateway.metrics_client import read_live_counters
from gateway.models import MAIL_STATES, OUTBOX_STATES, Mail, Outbox, utcnow
from gateway.status_figures import STATUS_WINDOW, recent_failures, recent_latencies


def state_counts(session: Session) -> tuple[dict[str, int], dict[str, int]]:
    """Mails per state and outgoing messages per state, every state present (the metrics use it too)."""
    mail_counts = dict(session.execute(select(Mail.status, func.count()).group_by(Mail.status)).all())
    outbox_counts = dict(session.execute(select(Outbox.status, func.count()).group_by(Outbox.status)).all())
    return ({state: mail_counts.get(state, 0) for state in MAIL_STATES},
            {state: outbox_counts.get(state, 0) for state in OUTBOX_STATES})


def queue_depth(mails: dict[str, int], outbox: dict[str, int]) -> int:
    """Work waiting: mails not yet taken up and outgoing messages not yet sent."""
    return mails["pending"] + outbox["pending"]


def gateway_status(gateway: Gateway, latest: int = 10, now: datetime | None = None) -> dict:
    since = (now or utcnow()) - STATUS_WINDOW
    with gateway.database.sessions() as session:
        mails, outbox = state_counts(session)
        latency = recent_latencies(session, since)
        failures = recent_failures(session, since)
        bills = bill_counts(session)
        problems = session.execute(
            select(Mail.id, Mail.status, Mail.reason, Mail.sender, Mail.received_at)
            .where(Mail.status.in_(("failed", "quarantined")))
            .order_by(Mail.id.desc())
            .limit(latest)
        ).all()
        failed_outbox = session.execute(
            select(Outbox.id, Outbox.recipients, Outbox.last_error).where(Outbox.status == "failed").order_by(Outbox.id.desc()).limit(latest)
        ).all()
        ignored_reasons = session.execute(
            select(Mail.route, func.count()).where(Mail.status == "ignored").group_by(Mail.route)
        ).all()
    return {
        "mails": mails,
        "outbox": outbox,
        "queue_depth": queue_depth(mails, outbox),
        "window_minutes": int(STATUS_WINDOW.total_seconds() // 60),
        "latency": latency,
        "failures": failures,
        # Supplier bills per state: waiting for staff, the manager or a duplicate verdict, then final.
        "bills": bills,
        # The counters of the process serving /metrics here, since it started (None: metrics off).
        "live": read_live_counters(gateway.config.observability.metrics_listen),
        "ignored_by_route": dict(ignored_reasons),
        "latest_problems": [
            {"id": row.id, "status": row.status, "reason": row.reason, "sender": row.sender, "received_at": row.received_at.isoformat()}
            for row in problems
        ],
        "failed_outbox": [{"id": row.id, "to": row.recipients, "error": row.last_error} for row in failed_outbox],
    }


def mail_details(gateway: Gateway, mail_id: int) -> dict | None:
    with gateway.database.sessions() as session:
        mail = session.get(Mail, mail_id)
        if mail is None:
            return None
        outbox = session.scalars(select(Outbox).where(Outbox.mail_id == mail_id).order_by(Outbox.id)).all()
        return {
            "id": mail.id,
            "status": mail.status,
            "reason": mail.reason,
            "route": mail.route,
            "message_id": mail.message_id,
            "sha256": mail.sha256,
            "size": mail.size,
            "source": mail.source,
            "peer": mail.peer,
            "envelope_from": mail.envelope_from,
            "envelope_to": mail.envelope_to,
            "sender": mail.sender,
            "subject": mail.subject,
            "auth": {"verdict": mail.auth_verdict, "detail": mail.auth_detail, "domain": mail.auth_domain},
            "received_at": mail.received_at.isoformat(),
            "finished_at": mail.finished_at.isoformat() if mail.finished_at else None,
            "attempts": mail.attempts,
            "outbox": [
                {"id": row.id, "status": row.status, "to": row.recipients, "subject": row.subject,
                 "template": row.template, "message_id": row.message_id, "delivered_as": row.delivered_as,
                 "last_error": row.last_error}
                for row in outbox
            ],
        }


def raw_mail(gateway: Gateway, mail_id: int) -> bytes | None:
    with gateway.database.sessions() as session:
        mail = session.get(Mail, mail_id)
        return mail.raw if mail else None
