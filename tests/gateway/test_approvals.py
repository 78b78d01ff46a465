"""Approvals: staff always, the manager too above the threshold; every decision in the audit trail."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from gateway.approvals import (
    APPROVED,
    REJECTED,
    approval_state,
    decide,
    required_roles,
    role_of,
)
from gateway.models import Decision, Mail
from tests.helpers import make_mail, store

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
THRESHOLD = Decimal("5000.00")


def decision(verdict: str, role: str, minutes: int, actor: str = "marie@exemple.test") -> Decision:
    return Decision(id=minutes, verdict=verdict, role=role, actor=actor, decided_at=T0 + timedelta(minutes=minutes))


@pytest.mark.parametrize(
    ("amount", "threshold", "roles"),
    [
        (Decimal("120.00"), THRESHOLD, ("staff",)),
        (Decimal("5000.00"), THRESHOLD, ("staff",)),
        (Decimal("5000.01"), THRESHOLD, ("staff", "manager")),
        (Decimal("999999"), Decimal("0"), ("staff",)),
    ],
)
def test_manager_approval_is_needed_only_above_the_threshold(amount, threshold, roles):
    assert required_roles(amount, threshold) == roles


@pytest.mark.parametrize(
    ("decisions", "amount", "expected"),
    [
        ([], Decimal("100"), ("awaiting", "staff")),
        ([decision(APPROVED, "staff", 1)], Decimal("100"), ("approved", "")),
        ([decision(APPROVED, "staff", 1)], Decimal("9000"), ("awaiting", "manager")),
        ([decision(APPROVED, "staff", 1), decision(APPROVED, "manager", 2)], Decimal("9000"), ("approved", "")),
        ([decision(APPROVED, "manager", 1)], Decimal("9000"), ("approved", "")),
        ([decision(APPROVED, "staff", 1), decision(APPROVED, "staff", 2, "paul@exemple.test")], Decimal("9000"), ("awaiting", "manager")),
        ([decision(APPROVED, "staff", 1), decision(REJECTED, "manager", 2)], Decimal("9000"), ("rejected", "")),
        ([decision(REJECTED, "staff", 1), decision(APPROVED, "manager", 2)], Decimal("9000"), ("rejected", "")),
    ],
    ids=["nothing-yet", "small-staff-ok", "large-staff-ok", "large-both", "manager-alone",
         "two-staff-are-not-a-manager", "manager-rejects", "rejection-is-final"],
)
def test_state_replays_the_decisions_in_order(decisions, amount, expected):
    state = approval_state(decisions, amount, THRESHOLD)
    assert (state.state, state.waiting_for) == expected


def test_manager_is_recognised_by_address_case_insensitively():
    assert role_of("Direction@Exemple.test", "direction@exemple.test") == "manager"
    assert role_of("marie@exemple.test", "direction@exemple.test") == "staff"
    assert role_of("marie@exemple.test", "") == "staff"


def test_each_decision_is_recorded_with_who_when_verdict_and_message_id(any_db_gateway):
    gateway = any_db_gateway
    staff_mail_id = store(gateway, make_mail(message_id="<ok-staff@x>")).mail_id
    manager_mail_id = store(gateway, make_mail(sender="direction@exemple.test", message_id="<ok-boss@x>")).mail_id
    with gateway.database.transaction() as session:
        for mail_id, sender in ((staff_mail_id, "marie@exemple.test"), (manager_mail_id, "direction@exemple.test")):
            mail = session.get(Mail, mail_id)
            mail.sender, mail.auth_domain = sender, "exemple.test"
        first = decide(session, "bill", 7, Decimal("9000"), APPROVED, session.get(Mail, staff_mail_id),
                       "direction@exemple.test", THRESHOLD)
        second = decide(session, "bill", 7, Decimal("9000"), APPROVED, session.get(Mail, manager_mail_id),
                        "direction@exemple.test", THRESHOLD)
    assert (first.state, first.waiting_for) == ("awaiting", "manager")
    assert second.state == "approved"
    with gateway.database.sessions() as session:
        trail = session.scalars(select(Decision).order_by(Decision.id)).all()
    assert [(row.actor, row.role, row.verdict, row.message_id) for row in trail] == [
        ("marie@exemple.test", "staff", "approved", "<ok-staff@x>"),
        ("direction@exemple.test", "manager", "approved", "<ok-boss@x>"),
    ]
    assert all(row.auth_verdict == "pass" and row.auth_domain == "exemple.test" for row in trail)
    assert all(row.decided_at is not None for row in trail)
