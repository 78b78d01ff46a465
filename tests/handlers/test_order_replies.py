"""Answers about an order: the salesperson completes what is missing; the manager approves or cancels."""

import pytest

from gateway.app import open_gateway
from invoicing.models import Invoice
from ordering.models import OrderRecord
from tests.handlers.orders_support import CLIENT, EXAMPLE_ORDER, answer_to, send_order
from tests.helpers import STAFF, make_config

MANAGER = "direction@exemple.test"
UNREADABLE_LINE = EXAMPLE_ORDER.replace("- 10 h Développement à 85 € HT", "- Développement, voir devis")


@pytest.fixture
def gateway(tmp_path):
    opened = open_gateway(make_config(tmp_path / "var", approvals={"manager_threshold": "10000.00"}))
    yield opened
    opened.close()


@pytest.fixture
def strict_gateway(tmp_path):
    """The test configuration's manager and its 5 000 € threshold: the example order needs the OK."""
    opened = open_gateway(make_config(tmp_path / "var2"))
    yield opened
    opened.close()


def numbers(gateway) -> list[str]:
    with gateway.database.sessions() as session:
        return [row.number for row in session.query(Invoice).order_by(Invoice.id)]


def order_status(gateway) -> str:
    with gateway.database.sessions() as session:
        return session.query(OrderRecord).one().status


def test_an_unreadable_line_is_asked_to_the_salesperson_only(gateway):
    mail, outbox = send_order(gateway, body=UNREADABLE_LINE)
    [question] = outbox
    assert question.template == "order_incomplete" and question.recipients == [STAFF] and question.cc == []
    assert "- Développement, voir devis" in question.body_text and "factures+" in question.sender
    assert numbers(gateway) == [] and order_status(gateway) == "awaiting_data"


def test_the_missing_line_given_in_reply_issues_the_invoice(gateway):
    _, [question] = send_order(gateway, body=UNREADABLE_LINE)
    mail, outbox = answer_to(gateway, question, "- 10 h Développement à 85 € HT\n\nMerci\n")
    assert mail.status == "processed", mail.reason
    [invoice_mail] = outbox
    assert invoice_mail.template == "invoice_sent" and invoice_mail.recipients == [CLIENT]
    with gateway.database.sessions() as session:
        final = session.query(Invoice).filter(Invoice.number == "FA2026-0001").one()
        assert (final.total_incl_tax, final.amount_due) == ("5340.00", "4840.00")
        order = session.query(OrderRecord).one()
    # Still in the order's thread, not in the thread of the answer.
    assert invoice_mail.in_reply_to == order.message_id


def test_an_answer_that_still_lacks_something_is_asked_again(gateway):
    _, [question] = send_order(gateway, body=EXAMPLE_ORDER.replace("Client : ACME SAS — SIREN 732 829 320 — compta@acme.fr\n", ""))
    assert "Le client n'est pas indiqué" in question.body_text
    _, [again] = answer_to(gateway, question, "Client : ACME SAS\n")
    assert again.template == "order_incomplete" and "SIREN" in again.body_text
    _, [invoice_mail] = answer_to(gateway, again, "SIREN : 732 829 320\n")
    assert invoice_mail.template == "invoice_sent" and numbers(gateway) == ["AC2026-0001", "FA2026-0001"]


def test_non_in_answer_withdraws_the_order(gateway):
    _, [question] = send_order(gateway, body=UNREADABLE_LINE)
    _, [note] = answer_to(gateway, question, "NON le client a annulé\n")
    assert note.template == "order_cancelled" and "le client a annulé" in note.body_text
    assert order_status(gateway) == "cancelled" and numbers(gateway) == []


def test_an_answer_from_someone_else_is_refused(gateway):
    _, [question] = send_order(gateway, body=UNREADABLE_LINE)
    mail, [refusal] = answer_to(gateway, question, "- 10 h Développement à 85 € HT\n", sender="paul@exemple.test")
    assert mail.reason.startswith("token refused (foreign)") and numbers(gateway) == []


def test_above_the_threshold_nothing_is_numbered_before_the_manager_ok(strict_gateway):
    _, outbox = send_order(strict_gateway)
    assert sorted((row.template, row.recipients[0]) for row in outbox) == [
        ("order_approval", MANAGER), ("order_awaiting_approval", STAFF)]
    assert numbers(strict_gateway) == [] and order_status(strict_gateway) == "awaiting_manager"
    ask = next(row for row in outbox if row.template == "order_approval")
    assert "5\u202f340,00\u00a0€" in ask.body_text
    mail, answers = answer_to(strict_gateway, ask, "OK\n", sender=MANAGER)
    assert mail.status == "processed", mail.reason
    assert sorted(row.template for row in answers) == ["invoice_sent", "order_decided"]
    invoice_mail = next(row for row in answers if row.template == "invoice_sent")
    assert invoice_mail.recipients == [CLIENT] and invoice_mail.cc == [STAFF]
    assert numbers(strict_gateway) == ["AC2026-0001", "FA2026-0001"]


def test_the_manager_non_cancels_with_a_note_to_the_salesperson(strict_gateway):
    _, outbox = send_order(strict_gateway)
    ask = next(row for row in outbox if row.template == "order_approval")
    _, answers = answer_to(strict_gateway, ask, "NON remise non validée\n", sender=MANAGER)
    note = next(row for row in answers if row.template == "order_cancelled")
    assert note.recipients == [STAFF] and "remise non validée" in note.body_text
    assert order_status(strict_gateway) == "cancelled" and numbers(strict_gateway) == []


def test_the_salesperson_cannot_answer_the_manager_question(strict_gateway):
    _, outbox = send_order(strict_gateway)
    ask = next(row for row in outbox if row.template == "order_approval")
    mail, _ = answer_to(strict_gateway, ask, "OK\n", sender=STAFF)
    assert mail.reason.startswith("token refused (foreign)") and numbers(strict_gateway) == []


def test_the_manager_own_order_needs_no_approval(strict_gateway):
    _, outbox = send_order(strict_gateway, sender=MANAGER)
    assert [row.template for row in outbox] == ["invoice_sent"]
    assert outbox[0].cc == [MANAGER]


def test_an_ok_given_for_one_total_does_not_cover_a_completed_order_of_another(strict_gateway):
    # Approved at 5 340 €, the invoice cannot be issued (the deposit named is unknown), the
    # salesperson corrects the order to a larger one: the manager is asked again.
    _, outbox = send_order(strict_gateway, body=EXAMPLE_ORDER.replace("Acompte versé : 500 €", "Acompte : AC2026-0042"))
    ask = next(row for row in outbox if row.template == "order_approval")
    _, answers = answer_to(strict_gateway, ask, "OK\n", sender=MANAGER)
    question = next(row for row in answers if row.template == "order_incomplete")
    assert "AC2026-0042" in question.body_text and numbers(strict_gateway) == []
    _, again = answer_to(strict_gateway, question, "Acompte : \n- 1 x Audit complémentaire à 1 000 € HT\n")
    asked_again = next(row for row in again if row.template == "order_approval")
    assert "6\u202f540,00\u00a0€" in asked_again.body_text and numbers(strict_gateway) == []
