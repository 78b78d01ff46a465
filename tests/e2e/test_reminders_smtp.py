"""Getting paid end to end: an order in Cc over SMTP, `tick --now` writes the reminder to the Maildir,
the client answers it over SMTP and the ladder pauses, PAYÉ from the salesperson ends it."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from gateway.models import Outbox
from invoicing.issue import today_in
from receivables.business_days import next_business_day
from receivables.models import Receivable
from tests.e2e.conftest import running
from tests.gateway.test_cli import run_cli
from tests.handlers.orders_support import CLIENT, order_mail
from tests.helpers import GATEWAY_ADDRESS, STAFF, make_config, make_mail


@pytest.fixture
def live_sales(tmp_path, signing):
    # The example order (5 340 € TTC) stays under this threshold: it is invoiced at once.
    yield from running(make_config(tmp_path / "var", approvals={"manager_threshold": "10000.00"}), signing)


def _receivable(live, number: str) -> Receivable:
    with live.gateway.database.sessions() as session:
        return session.scalar(select(Receivable).where(Receivable.number == number))


def test_an_invoice_is_reminded_the_client_answer_pauses_it_and_paye_ends_it(live_sales):
    live = live_sales
    ordered = live.exchange(order_mail(), STAFF, [GATEWAY_ADDRESS])
    invoice_row, _ = ordered.only("invoice_sent")
    number = f"FA{today_in(live.gateway.config).year}-0001"
    due = _receivable(live, number).due_date
    day = next_business_day(due + timedelta(days=7))
    result = run_cli(live.gateway.config, "tick", "--now", f"{day}T10:00")
    assert result.returncode == 0 and "reminders.send : 1" in result.stdout, result.stdout + result.stderr
    with live.gateway.database.sessions() as session:
        reminder = session.scalar(select(Outbox).where(Outbox.template == "reminder_first"))
    message = live.delivered(reminder)
    assert message["To"] == CLIENT and number in message["Subject"]
    assert message["In-Reply-To"] == invoice_row.message_id

    answer = make_mail(sender=CLIENT, subject=f"RE: {message['Subject']}",
                       body="Bonjour, nous réglerons cette facture fin du mois prochain.\nCordialement",
                       extra_headers=f"In-Reply-To: {message['Message-ID']}\r\nReferences: {message['Message-ID']}\r\n")
    answered = live.exchange(answer, CLIENT, [GATEWAY_ADDRESS])
    assert answered.mail.route == "client_answer", answered.mail.reason
    forward, forwarded = answered.only("client_reply_forward")
    assert forwarded["To"] == STAFF and "fin du mois prochain" in forward.body_text
    assert _receivable(live, number).state == "paused"

    paid = live.exchange(make_mail(sender=STAFF, subject="Paiement", body=f"PAYÉ {number}"), STAFF, [GATEWAY_ADDRESS])
    assert set(paid.templates()) == {"payment_recorded", "payment_thanks"}
    _, thanks = paid.only("payment_thanks")
    assert thanks["To"] == CLIENT
    assert _receivable(live, number).state == "paid"
