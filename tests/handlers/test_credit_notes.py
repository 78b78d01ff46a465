"""AVOIR written to the gateway: a full or partial credit note sent to the client, refusals with the reason."""

from decimal import Decimal

import pytest

from gateway.app import open_gateway
from gateway.commands import parse_commands
from invoicing.models import Invoice
from tests.handlers.orders_support import CLIENT, send_order
from tests.helpers import GATEWAY_ADDRESS, STAFF, deliver, make_config, make_mail


@pytest.fixture
def gateway(tmp_path):
    opened = open_gateway(make_config(tmp_path / "var", approvals={"manager_threshold": "10000.00"}))
    yield opened
    opened.close()


def ask(gateway, line: str, sender: str = STAFF):
    return deliver(gateway, make_mail(sender=sender, to=GATEWAY_ADDRESS, subject="Avoir", body=f"{line}\n\nMerci\n"),
                   envelope_from=sender)


def credit_notes(gateway) -> list[Invoice]:
    with gateway.database.sessions() as session:
        return list(session.query(Invoice).filter(Invoice.kind == "credit_note").order_by(Invoice.id))


def test_avoir_without_amount_credits_the_whole_invoice_and_sends_it_to_the_client(gateway):
    _, [invoice_mail] = send_order(gateway)
    mail, outbox = ask(gateway, "AVOIR FA2026-0001 commande annulée")
    assert (mail.route, mail.status) == ("command", "processed"), mail.reason
    sent = next(row for row in outbox if row.template == "credit_note_sent")
    assert sent.recipients == [CLIENT] and sent.cc == [STAFF] and sent.kind == "generated"
    # It follows the invoice's own thread with the client.
    assert sent.in_reply_to == invoice_mail.message_id
    [credit] = credit_notes(gateway)
    # The whole invoice less the deposit invoiced apart (invoicing's credit note rules).
    assert (credit.number, credit.corrects_number, credit.total_incl_tax) == ("AV2026-0001", "FA2026-0001", "4840.00")
    assert "commande annulée" in sent.body_text
    reply = next(row for row in outbox if row.template == "credit_note_issued")
    assert reply.recipients == [STAFF] and "AV2026-0001" in reply.body_text


def test_avoir_with_an_amount_ttc_is_partial(gateway):
    send_order(gateway)
    ask(gateway, "AVOIR FA2026-0001 120,00 € TTC geste commercial")
    [credit] = credit_notes(gateway)
    assert credit.total_incl_tax == "120.00"


def test_avoir_of_an_unknown_invoice_is_refused_with_the_reason(gateway):
    mail, [reply] = ask(gateway, "AVOIR FA2026-0099")
    assert reply.template == "credit_note_refused" and reply.recipients == [STAFF]
    assert "FA2026-0099" in reply.body_text and credit_notes(gateway) == []


def test_avoir_above_what_remains_is_refused_and_takes_no_number(gateway):
    send_order(gateway)
    # What remains creditable is the amount due, 4 840,00 € (the deposit has its own invoice).
    ask(gateway, "AVOIR FA2026-0001 4 000 TTC")
    mail, [reply] = ask(gateway, "AVOIR FA2026-0001 1 000 TTC")
    assert reply.template == "credit_note_refused" and "840" in reply.body_text
    assert [row.number for row in credit_notes(gateway)] == ["AV2026-0001"]
    ask(gateway, "AVOIR FA2026-0001 840 TTC")
    # The refused request took no number: the next credit note is the second of the series.
    assert [row.number for row in credit_notes(gateway)] == ["AV2026-0001", "AV2026-0002"]


def test_avoir_with_an_amount_that_does_not_say_ht_or_ttc_is_asked_again(gateway):
    send_order(gateway)
    mail, [reply] = ask(gateway, "AVOIR FA2026-0001 120")
    assert reply.template == "credit_note_refused" and "HT ou TTC" in reply.body_text
    assert credit_notes(gateway) == []


def test_avoir_from_the_accountant_alone_is_refused(tmp_path):
    config = make_config(tmp_path / "var", mail={"accountant": "expert@cabinet.example", "staff": ["marie@exemple.test"],
                                                 "domains": ["exemple.test"], "manager": "direction@exemple.test"})
    opened = open_gateway(config)
    try:
        mail, [reply] = ask(opened, "AVOIR FA2026-0001", sender="expert@cabinet.example")
        assert reply.template == "credit_note_refused" and credit_notes(opened) == []
    finally:
        opened.close()


def test_avoir_from_a_stranger_is_never_answered(gateway):
    mail, outbox = ask(gateway, "AVOIR FA2026-0001", sender="x@gmail.com")
    assert (mail.status, outbox) == ("ignored", [])


@pytest.mark.parametrize("line, args", [
    ("AVOIR FA2026-0012", {"reference": "FA2026-0012", "reason": ""}),
    ("Avoir FA2026-0012 erreur de prix", {"reference": "FA2026-0012", "reason": "erreur de prix"}),
    ("AVOIR FA2026-0012 120,00 € TTC geste commercial",
     {"reference": "FA2026-0012", "amount": Decimal("120.00"), "basis": "TTC", "reason": "geste commercial"}),
    ("avoir facture FA2026-0012 1 200 HT", {"reference": "FA2026-0012", "amount": Decimal("1200.00"), "basis": "HT",
                                            "reason": ""}),
])
def test_avoir_lines_are_read_with_their_amount_basis_and_motif(line, args):
    assert parse_commands(line).first("credit").args == args


@pytest.mark.parametrize("line, code", [("AVOIR FA2026-0012 120", "unclear_field"), ("AVOIR", "unread_arguments")])
def test_avoir_lines_missing_a_part_are_not_read(line, code):
    parsed = parse_commands(line)
    assert parsed.commands == () and parsed.unread[0].code == code


def test_a_forwarded_supplier_credit_note_with_its_pdf_is_no_avoir_command(gateway):
    from email.message import EmailMessage
    from email.policy import SMTP

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = STAFF, GATEWAY_ADDRESS, "TR: avoir papeterie"
    message["Message-ID"] = "<avoir-fournisseur@exemple.test>"
    message.set_content("Avoir n° 12 de la papeterie, à saisir.\n")
    message.add_attachment(b"%PDF-1.4\n%%EOF\n", maintype="application", subtype="pdf", filename="avoir-12.pdf")
    mail, outbox = deliver(gateway, message.as_bytes(policy=SMTP))
    assert mail.route != "command" and credit_notes(gateway) == []
    assert not [row for row in outbox if row.template.startswith("credit_note")]
