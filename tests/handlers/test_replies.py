"""Replies to token addresses: refused with the reason when the token cannot act, dispatched otherwise."""

from datetime import timedelta

from gateway.mailbox import Mailbox
from gateway.models import utcnow
from gateway.tokens import issue_token, resolve_token, spend_token
from handlers import replies
from tests.helpers import STAFF, deliver, make_mail


def token_for(gateway, recipient=STAFF, kind="bill", object_id=1, ttl=timedelta(days=30), now=None) -> str:
    with gateway.database.transaction() as session:
        return issue_token(session, kind, object_id, recipient, ttl=ttl, now=now)


def answer(gateway, token: str, sender=STAFF, body="OK\n"):
    address = f"factures+{token}@exemple.test"
    return deliver(gateway, make_mail(sender=sender, to=address, subject="Re: Facture", body=body),
                   recipients=(address,), envelope_from=sender)


def test_unknown_token_is_refused_with_the_reason(gateway):
    mail, [reply] = answer(gateway, "a" * 26)
    assert mail.route == "reply"
    assert mail.reason.startswith("token refused (unbound)")
    assert "n'est pas reconnu" in reply.body_text
    assert reply.recipients == [STAFF]


def test_expired_token_is_refused(gateway):
    token = token_for(gateway, ttl=timedelta(days=1), now=utcnow() - timedelta(days=3))
    mail, [reply] = answer(gateway, token)
    assert mail.reason.startswith("token refused (expired)")
    assert "a expiré" in reply.body_text


def test_token_of_someone_else_is_refused(gateway):
    token = token_for(gateway, recipient="paul@exemple.test")
    mail, [reply] = answer(gateway, token)
    assert mail.reason.startswith("token refused (foreign)")
    assert "une autre personne" in reply.body_text


def test_spent_token_is_refused(gateway):
    token = token_for(gateway)
    with gateway.database.transaction() as session:
        match = resolve_token(session, token, STAFF)
        assert spend_token(session, match.row, None)
    mail, [reply] = answer(gateway, token)
    assert mail.reason.startswith("token refused (spent)")


def test_token_only_in_the_envelope_is_not_honoured(gateway):
    token = token_for(gateway)
    address = f"factures+{token}@exemple.test"
    mail, [reply] = deliver(gateway, make_mail(to="factures@exemple.test", body="OK\n"), recipients=(address,))
    assert mail.reason.startswith("token refused (unbound)")


def test_valid_token_is_handed_to_the_conversation_of_its_object(gateway, monkeypatch):
    seen = []

    class BillReplies(Mailbox):
        accepts = {"approve", "reject", "correct"}

        def process(self):
            seen.append((self.token.object_kind, self.token.object_id, self.parsed.reply_text.strip()))
            self.reply("help_reply", route="reply", gateway_address="factures@exemple.test", company=self.gateway.config.company)

    monkeypatch.setitem(replies.REPLY_CONVERSATIONS, "bill", BillReplies)
    mail, outbox = answer(gateway, token_for(gateway, object_id=42))
    assert seen == [("bill", 42, "OK")]
    assert mail.status == "processed" and len(outbox) == 1


def test_valid_token_for_an_object_no_conversation_takes_ends_failed(gateway):
    mail, outbox = answer(gateway, token_for(gateway, kind="unknown-kind"))
    assert mail.status == "failed"
    assert "no conversation takes replies about 'unknown-kind'" in mail.reason
    assert outbox == []


def test_reply_from_an_untrusted_sender_is_never_answered(gateway):
    from tests.helpers import UNTRUSTED

    token = token_for(gateway)
    address = f"factures+{token}@exemple.test"
    mail, outbox = deliver(gateway, make_mail(to=address, body="OK\n"), recipients=(address,), trust=UNTRUSTED)
    assert mail.status == "ignored" and outbox == []


class ApprovingConversation(Mailbox):
    """A conversation that takes OK, NON and corrections, as the bills conversation will."""

    accepts = {"approve", "reject", "correct"}

    def process(self):
        self.reply("help_reply", route="reply", gateway_address="factures@exemple.test", company=self.gateway.config.company)


def test_reply_it_cannot_read_gets_the_commands_that_apply_and_nothing_is_applied(gateway, monkeypatch):
    monkeypatch.setitem(replies.REPLY_CONVERSATIONS, "bill", ApprovingConversation)
    mail, [reply] = answer(gateway, token_for(gateway), body="Je regarde ça demain\n")
    assert reply.template == "reply_unreadable"
    assert mail.reason.startswith("reply not understood")
    assert "OK" in reply.body_text and "NON" in reply.body_text
    # A command this conversation does not take is not offered.
    assert "PAYÉ" not in reply.body_text


def test_doubtful_ok_is_never_an_approval(gateway, monkeypatch):
    monkeypatch.setitem(replies.REPLY_CONVERSATIONS, "bill", ApprovingConversation)
    for doubt in ("OK ?\n", "ok mais le montant est faux\n", "pas OK\n"):
        mail, [reply] = answer(gateway, token_for(gateway), body=doubt)
        assert reply.template == "reply_unreadable", doubt


def test_aide_in_a_reply_lists_the_commands_of_the_conversation(gateway, monkeypatch):
    monkeypatch.setitem(replies.REPLY_CONVERSATIONS, "bill", ApprovingConversation)
    mail, [reply] = answer(gateway, token_for(gateway), body="AIDE\n")
    assert mail.reason == "help asked in a reply"
    assert "OK" in reply.body_text and "AIDE" in reply.body_text


class ApprovalConversation(Mailbox):
    """A conversation about a 9 000 € object, deciding through the generic approval rule."""

    accepts = {"approve", "reject"}

    def process(self):
        from decimal import Decimal

        from gateway.approvals import APPROVED, REJECTED, record_reply_decision

        verdict = APPROVED if self.commands.approved else REJECTED
        state = record_reply_decision(self, "bill", self.token.object_id, Decimal("9000.00"), verdict)
        self.reason = f"{state.state} {state.waiting_for}".strip()


def test_large_object_needs_the_manager_ok_through_their_own_token_after_the_staff(gateway, monkeypatch):
    from sqlalchemy import select

    from gateway.models import Decision

    monkeypatch.setitem(replies.REPLY_CONVERSATIONS, "bill", ApprovalConversation)
    staff_token = token_for(gateway, object_id=7)
    staff_mail, [request] = answer(gateway, staff_token, body="OK\n")
    assert staff_mail.reason == "awaiting manager"
    assert request.recipients == ["direction@exemple.test"] and request.kind == "generated"
    assert "9\u202f000,00\u00a0€" in request.body_text
    # The request comes from the manager's own token address: their answer goes back to it.
    token = request.sender.split("+", 1)[1].split("@", 1)[0]
    manager_mail, _ = answer(gateway, token, sender="direction@exemple.test", body="OK\n")
    assert manager_mail.reason == "approved"
    # The staff member's decision was final: their token is spent.
    again, _ = answer(gateway, staff_token, body="NON\n")
    assert again.reason.startswith("token refused (spent)")
    with gateway.database.sessions() as session:
        trail = session.scalars(select(Decision).order_by(Decision.id)).all()
    assert [(row.actor, row.role, row.verdict) for row in trail] == [
        ("marie@exemple.test", "staff", "approved"),
        ("direction@exemple.test", "manager", "approved"),
    ]


def test_staff_cannot_answer_the_manager_token(gateway, monkeypatch):
    monkeypatch.setitem(replies.REPLY_CONVERSATIONS, "bill", ApprovalConversation)
    _, [request] = answer(gateway, token_for(gateway, object_id=8), body="OK\n")
    token = request.sender.split("+", 1)[1].split("@", 1)[0]
    mail, [refusal] = answer(gateway, token, body="OK\n")
    assert mail.reason.startswith("token refused (foreign)")
