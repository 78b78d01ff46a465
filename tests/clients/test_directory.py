"""The client directory: created by the first order, filling later orders' gaps, changes shown to the salesperson."""

import pytest

from clients.directory import client_key, normalised_name
from clients.models import Client
from gateway.app import open_gateway
from invoicing.models import Invoice
from orders.model import ClientDetails
from tests.handlers.orders_support import EXAMPLE_ORDER, send_order
from tests.helpers import STAFF, make_config

SHORT_ORDER = """Client : Acme S.A.S.
- 2 x Audit sécurité à 1 000,00 € HT, TVA 20 %
"""


@pytest.fixture
def gateway(tmp_path):
    opened = open_gateway(make_config(tmp_path / "var", approvals={"manager_threshold": "10000.00"}))
    yield opened
    opened.close()


def clients(gateway) -> list[Client]:
    with gateway.database.sessions() as session:
        return list(session.query(Client).order_by(Client.id))


@pytest.mark.parametrize("details, key", [
    (ClientDetails(name="ACME", siren="732829320", email="a@acme.fr"), "siren:732829320"),
    (ClientDetails(name="ACME", siret="73282932000074"), "siren:732829320"),
    (ClientDetails(name="ACME", email="Compta@Acme.fr"), "email:compta@acme.fr"),
    (ClientDetails(name="Société Générale  S.A."), "name:societe generale sa"),
])
def test_a_client_is_keyed_by_siren_else_email_else_name(details, key):
    assert client_key(details) == key


def test_names_differing_by_case_accents_and_dots_are_one_client():
    assert normalised_name("ACME S.A.S.") == normalised_name("Acme SAS")


def test_the_first_order_creates_the_client(gateway):
    send_order(gateway)
    [acme] = clients(gateway)
    assert (acme.name, acme.siren, acme.email, acme.postcode, acme.city) == (
        "ACME SAS", "732829320", "compta@acme.fr", "75002", "Paris")


def test_a_later_order_naming_only_the_client_takes_the_rest_from_the_directory(gateway):
    send_order(gateway)
    # No SIREN, address nor e-mail in this order, and the mail is written to nobody outside.
    mail, outbox = send_order(gateway, body=SHORT_ORDER, to="marie@exemple.test")
    [invoice_mail] = outbox
    assert invoice_mail.template == "invoice_sent" and invoice_mail.recipients == ["compta@acme.fr"], mail.reason
    with gateway.database.sessions() as session:
        last = session.query(Invoice).order_by(Invoice.id.desc()).first()
        assert '"siren":"732829320"' in last.document and len(clients(gateway)) == 1


def test_a_changed_address_is_shown_to_the_salesperson_only(gateway):
    send_order(gateway)
    moved = EXAMPLE_ORDER.replace("12 rue de la Paix, 75002 Paris", "1 avenue de l'Opéra, 75001 Paris")
    _, outbox = send_order(gateway, body=moved)
    note = next(row for row in outbox if row.template == "order_client_changed")
    assert note.recipients == [STAFF] and note.cc == []
    assert "12 rue de la Paix" in note.body_text and "1 avenue de l'Opéra" in note.body_text
    invoice_mail = next(row for row in outbox if row.template == "invoice_sent")
    assert "12 rue de la Paix" not in invoice_mail.body_text
    [acme] = clients(gateway)
    assert (acme.address, acme.postcode) == ("1 avenue de l'Opéra", "75001")


def test_an_unchanged_client_brings_no_note(gateway):
    send_order(gateway)
    _, outbox = send_order(gateway)
    assert [row.template for row in outbox] == ["invoice_sent"]
