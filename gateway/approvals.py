"""Approvals: whose OK an object needs, and where it stands after each recorded decision."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.addresses import same_address
from gateway.models import Decision, Mail, Outbox
from gateway.tokens import issue_token, record_decision, spend_token

# Verdicts written in the audit trail by the conversations.
APPROVED, REJECTED = "approved", "rejected"


@dataclass(frozen=True)
class ApprovalState:
    """Where an object stands: "approved", "rejected", or "awaiting" the role named in `waiting_for`."""

    state: str
    waiting_for: str = ""
    reason: str = ""


def required_roles(amount: Decimal, manager_threshold: Decimal) -> tuple[str, ...]:
    """Staff always approve; above the threshold (strictly, TTC) the manager approves after them.

    A threshold of zero means no object ever needs the manager.
    """
    if manager_threshold > 0 and amount > manager_threshold:
        return ("staff", "manager")
    return ("staff",)


def approval_state(decisions: list[Decision], amount: Decimal, manager_threshold: Decimal) -> ApprovalState:
    """Replay the decisions in order. Any rejection ends it; each role's first approval counts.

    The manager approving covers the staff step too: a manager who validates their own bill does
    not have to answer twice. Staff approving never covers the manager step.
    """
    approved_by: set[str] = set()
    for decision in sorted(decisions, key=lambda row: (row.decided_at, row.id)):
        if decision.verdict == REJECTED:
            return ApprovalState("rejected", reason=f"rejected by {decision.actor} ({decision.role})")
        if decision.verdict == APPROVED:
            approved_by.add(decision.role)
            if decision.role == "manager":
                approved_by.add("staff")
    for role in required_roles(amount, manager_threshold):
        if role not in approved_by:
            return ApprovalState("awaiting", waiting_for=role)
    return ApprovalState("approved")


def approval_threshold(config) -> Decimal:
    """Above this total (TTC) the manager's OK is needed too. Without a manager to ask, the
    staff's OK is the last word (doctor warns about it): zero, nobody else is asked."""
    return config.manager_threshold if config.mail.manager else Decimal(0)


def role_of(actor: str, manager: str) -> str:
    return "manager" if same_address(manager, actor) else "staff"


def decide(
    session: Session,
    object_kind: str,
    object_id: int,
    amount: Decimal,
    verdict: str,
    mail: Mail,
    manager: str,
    manager_threshold: Decimal,
) -> ApprovalState:
    """Record one person's decision (from the mail that carried it) and return the new state."""
    record_decision(
        session,
        object_kind=object_kind,
        object_id=object_id,
        verdict=verdict,
        actor=mail.sender,
        role=role_of(mail.sender, manager),
        auth_verdict=mail.auth_verdict,
        auth_domain=mail.auth_domain,
        message_id=mail.message_id,
        mail_id=mail.id,
    )
    decisions = session.scalars(
        select(Decision).where(Decision.object_kind == object_kind, Decision.object_id == object_id)
    ).all()
    return approval_state(list(decisions), amount, manager_threshold)


class TokenAlreadySpent(Exception):
    """Another reply through the same token was recorded first (two workers, or a resend)."""


def record_reply_decision(mailbox, object_kind: str, object_id: int, amount: Decimal, verdict: str,
                          label: str = "") -> ApprovalState:
    """For a conversation: record the decision a reply carries, spending the token it came through,
    and ask the manager for their OK when it is now the one missing. `label` names the object for
    people ("F-2026-114 de ACME SAS"); without it the mail shows its id."""
    config = mailbox.gateway.config
    if mailbox.token is not None and not spend_token(mailbox.session, mailbox.token.row, mailbox.mail.id):
        raise TokenAlreadySpent(f"token of {object_kind} {object_id} already spent")
    state = decide(mailbox.session, object_kind, object_id, amount, verdict, mailbox.mail, config.mail.manager,
                   approval_threshold(config))
    if state.state == "awaiting" and state.waiting_for == "manager":
        ask_manager(mailbox, object_kind, object_id, amount, label)
    return state


def ask_manager(mailbox, object_kind: str, object_id: int, amount: Decimal, label: str = "") -> Outbox:
    """Mail the manager from a token address of their own: only their OK through it counts."""
    config = mailbox.gateway.config
    token = issue_token(mailbox.session, object_kind, object_id, config.mail.manager)
    return mailbox.send_to(
        config.mail.manager, "approval_request", token=token, object_kind=object_kind, object_id=object_id,
        amount=amount, threshold=config.manager_threshold, requested_by=mailbox.parsed.sender, label=label,
    )
