"""The order conversation in English (mail.language = "en"): every mail it writes has its English version."""

import pytest

from gateway.app import open_gateway
from tests.handlers.orders_support import EXAMPLE_ORDER, answer_to, send_order
from tests.helpers import GATEWAY_ADDRESS, STAFF, deliver, make_config, make_mail

MANAGER = "direction@exemple.test"


@pytest.fixture
def gateway(tmp_path):
    opened = open_gateway(make_config(tmp_path / "var", mail={"language": "en", "domains": ["exemple.test"],
                                                              "staff": ["*@exemple.test"], "manager": MANAGER}))
    yield opened
    opened.close()


def english(rows) -> dict[str, str]:
    return {row.template: f"{row.subject}\n{row.body_text}\n{row.body_html}" for row in rows}


def test_approval_invoice_and_client_change_mails_are_in_english(gateway):
    _, asked = send_order(gateway)
    texts = english(asked)
    assert "Approval needed" in texts["order_approval"] and "waiting for the manager" in texts["order_awaiting_approval"]
    ask = next(row for row in asked if row.template == "order_approval")
    _, answers = answer_to(gateway, ask, "OK\n", sender=MANAGER)
    texts = english(answers)
    assert "Please find attached our invoice" in texts["invoice_sent"]
    assert "Your approval is recorded" in texts["order_decided"]
    _, late = answer_to(gateway, ask, "OK\n", sender=MANAGER)
    assert late[0].template == "reply_refused"
    moved = EXAMPLE_ORDER.replace("12 rue de la Paix, 75002 Paris", "1 avenue de l'Opéra, 75001 Paris")
    _, asked_again = send_order(gateway, body=moved, sender=MANAGER)
    assert "Client record changed" in english(asked_again)["order_client_changed"]


def test_missing_data_cancel_and_closed_mails_are_in_english(gateway):
    _, [question] = send_order(gateway, body=EXAMPLE_ORDER.replace("- 10 h Développement à 85 € HT", "- Dev"))
    assert "is incomplete" in question.subject and "Line:" in question.body_text
    _, [cancelled] = answer_to(gateway, question, "NO client changed their mind\n")
    assert "cancelled" in cancelled.subject and "client changed their mind" in cancelled.body_text
    _, [closed] = answer_to(gateway, question, "- 10 h Développement à 85 € HT\n")
    assert closed.template == "order_closed" and "is cancelled" in closed.body_text


def test_credit_note_mails_are_in_english(gateway):
    send_order(gateway, sender=MANAGER)
    _, outbox = deliver(gateway, make_mail(to=GATEWAY_ADDRESS, body="AVOIR FA2026-0001 10 HT\n"))
    texts = english(outbox)
    assert "Credit note" in texts["credit_note_sent"] and "is issued" in texts["credit_note_issued"]
    _, [refused] = deliver(gateway, make_mail(to=GATEWAY_ADDRESS, body="AVOIR FA2026-0099\n"))
    assert refused.template == "credit_note_refused" and "I issued no credit note" in refused.body_text
    assert refused.recipients == [STAFF]
