"""Orders copied to the gateway: the invoice goes to the client, the salesperson in Cc, threaded to the order."""

from decimal import Decimal

import pytest

from gateway.app import open_gateway
from invoicing.models import Invoice
from ordering.models import OrderRecord
from tests.handlers.orders_support import CLIENT, EXAMPLE_ORDER, send_order
from tests.helpers import GATEWAY_ADDRESS, STAFF, make_config


@pytest.fixture
def gateway(tmp_path):
    # The example order (5 340 € TTC) stays under this threshold: the manager is not asked.
    opened = open_gateway(make_config(tmp_path / "var", approvals={"manager_threshold": "10000.00"}))
    yield opened
    opened.close()


def issued(gateway) -> dict[str, Invoice]:
    with gateway.database.sessions() as session:
        return {row.number: row for row in session.query(Invoice).order_by(Invoice.id)}


def test_example_order_in_cc_sends_the_invoice_to_the_client_with_the_salesperson_in_cc(gateway):
    mail, outbox = send_order(gateway)
    assert (mail.status, mail.route) == ("processed", "order"), mail.reason
    [invoice_mail] = [row for row in outbox if row.template == "invoice_sent"]
    assert invoice_mail.recipients == [CLIENT] and invoice_mail.cc == [STAFF]
    assert invoice_mail.kind == "generated" and invoice_mail.status == "sent"
    # Threaded to the order the salesperson wrote.
    assert invoice_mail.in_reply_to.startswith("<") and invoice_mail.in_reply_to in invoice_mail.references
    documents = issued(gateway)
    final = documents["FA2026-0001"]
    assert (final.total_excl_tax, final.total_tax, final.total_incl_tax, final.amount_due) == (
        "4450.00", "890.00", "5340.00", "4840.00")
    # The deposit received was invoiced (French law) and deducted.
    assert documents["AC2026-0001"].total_incl_tax == "500.00"
    for text in ("FA2026-0001", "5\u202f340,00\u00a0€", "4\u202f840,00\u00a0€", "AC2026-0001"):
        assert text in invoice_mail.body_text


def test_the_salesperson_copy_states_number_total_and_due_date(gateway):
    _, outbox = send_order(gateway)
    [invoice_mail] = [row for row in outbox if row.template == "invoice_sent"]
    assert "Total TTC : 5\u202f340,00\u00a0€" in invoice_mail.body_text
    assert "Reste à payer : 4\u202f840,00\u00a0€, avant le " in invoice_mail.body_text
    assert invoice_mail.subject.startswith("Facture FA2026-0001")


def test_order_in_bcc_is_invoiced_the_same_way(gateway):
    mail, outbox = send_order(gateway, bcc=True)
    assert b"\r\nCc:" not in mail.raw and mail.route == "order"
    assert [row.template for row in outbox] == ["invoice_sent"]


def test_the_client_address_of_the_mail_serves_when_the_order_names_none(gateway):
    body = EXAMPLE_ORDER.replace(" — compta@acme.fr", "")
    _, outbox = send_order(gateway, body=body)
    assert [(row.template, row.recipients) for row in outbox] == [("invoice_sent", [CLIENT])]


def test_a_copy_without_an_order_is_recorded_and_left_alone(gateway):
    mail, outbox = send_order(gateway, body="Bonjour,\n\nJe vous rappelle demain.\n\nMarie\n")
    assert (mail.status, mail.route, outbox) == ("ignored", "order", [])
    assert issued(gateway) == {}


def test_an_order_from_an_untrusted_sender_is_ignored(gateway):
    from tests.helpers import UNTRUSTED

    mail, outbox = send_order(gateway, sender="intrus@ailleurs.example", trust=UNTRUSTED)
    assert (mail.status, outbox) == ("ignored", [])
    assert issued(gateway) == {}


def test_the_order_row_keeps_the_invoice_and_the_client(gateway):
    send_order(gateway)
    with gateway.database.sessions() as session:
        [order] = session.query(OrderRecord).all()
        assert (order.status, order.invoice_number, order.deposit_number) == ("issued", "FA2026-0001", "AC2026-0001")
        assert order.client_id is not None and Decimal(order.total_incl_tax) == Decimal("5340.00")


def test_a_deposit_invoiced_before_is_deducted_instead_of_invoiced_again(gateway):
    from invoicing.issue import issue_invoice
    from invoicing.request import parse_request

    deposit = {"kind": "deposit", "buyer": {"name": "ACME SAS", "siren": "732829320"}, "operation": "services",
               "lines": [{"description": "Audit", "quantity": "3", "unit_price": "1200", "vat_rate": "20"}],
               "deposit": {"amount": "500.00", "basis": "TTC"}}
    issue_invoice(gateway.database, gateway.config, parse_request(deposit))
    _, outbox = send_order(gateway)
    assert sorted(issued(gateway)) == ["AC2026-0001", "FA2026-0001"]
    assert issued(gateway)["FA2026-0001"].amount_due == "4840.00"
    [invoice_mail] = outbox
    assert "AC2026-0001" in invoice_mail.body_text and "pour mémoire" not in invoice_mail.body_text


def test_a_deposit_already_deducted_is_asked_about_and_nothing_is_numbered(gateway):
    send_order(gateway)
    body = EXAMPLE_ORDER.replace("Acompte versé : 500 €", "Acompte : AC2026-0001")
    mail, outbox = send_order(gateway, body=body)
    assert [row.template for row in outbox] == ["order_incomplete"]
    assert outbox[0].recipients == [STAFF] and "déjà déduit" in outbox[0].body_text
    assert sorted(issued(gateway)) == ["AC2026-0001", "FA2026-0001"]
    # The number taken for the refused invoice went back with it: the series has no gap.
    send_order(gateway, body=EXAMPLE_ORDER.replace("Acompte versé : 500 €\n", ""))
    assert sorted(issued(gateway)) == ["AC2026-0001", "FA2026-0001", "FA2026-0002"]


def test_gateway_address_in_to_is_not_an_order(gateway):
    from tests.helpers import deliver, make_mail

    mail, _ = deliver(gateway, make_mail(to=GATEWAY_ADDRESS, body=EXAMPLE_ORDER))
    assert mail.route != "order"


def test_the_same_order_message_received_twice_is_invoiced_once(gateway):
    from tests.handlers.orders_support import order_mail
    from tests.helpers import deliver

    raw = order_mail(message_id="<commande-114@exemple.test>")
    deliver(gateway, raw)
    # The Bcc copy of the same message, with other bytes (another relay's headers).
    mail, outbox = deliver(gateway, b"X-Relay: autre\r\n" + raw)
    assert (mail.status, outbox) == ("ignored", []) and "already received" in mail.reason
    assert sorted(issued(gateway)) == ["AC2026-0001", "FA2026-0001"]


def test_the_example_order_is_invoiced_in_the_mail_transaction_on_both_databases(any_db_gateway):
    from tests.invoicing.conftest import empty_invoicing_tables

    empty_invoicing_tables(any_db_gateway.database)
    # The manager's own order needs nobody's OK, whatever the threshold.
    manager = any_db_gateway.config.mail.manager
    mail, outbox = send_order(any_db_gateway, sender=manager)
    assert mail.status == "processed", mail.reason
    assert [row.template for row in outbox if row.template == "invoice_sent"] == ["invoice_sent"]
    documents = issued(any_db_gateway)
    assert documents["FA2026-0001"].amount_due == "4840.00" and "AC2026-0001" in documents


def test_the_deposit_already_received_is_never_chased_and_the_invoice_is_followed_in_its_mails_thread(gateway):
    from receivables.models import Receivable

    _, outbox = send_order(gateway)
    [invoice_mail] = [row for row in outbox if row.template == "invoice_sent"]
    with gateway.database.sessions() as session:
        rows = {row.number: row for row in session.query(Receivable)}
    assert (rows["AC2026-0001"].state, rows["AC2026-0001"].outstanding) == ("paid", "0.00")
    final = rows["FA2026-0001"]
    assert (final.state, final.outstanding, final.salesperson) == ("open", "4840.00", STAFF)
    assert final.thread_message_id == invoice_mail.message_id
