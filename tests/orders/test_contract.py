"""The contract with invoicing: an order read without problems is always accepted and computed by it."""

import itertools
from datetime import date
from decimal import Decimal

import pytest

from invoicing.amounts import to_cents
from orders import order_totals, read_order
from tests.orders.test_formats import FORMATS
from tests.orders.test_problems import PROBLEMS

TODAY = date(2026, 11, 26)
CLIENTS = {
    "French business": "Client : ACME SAS — SIREN 732 829 320 — compta@acme.fr\nAdresse : 12 rue de la Paix, 75002 Paris",
    "French consumer": "Client : Paul Durand (particulier) — paul@example.fr\nAdresse : 4 rue des Lilas, 44000 Nantes",
    "German business": "Customer: Kunde GmbH — VAT DE136695976 — a@kunde.de\nAddress: Hauptstraße 5, 10115 Berlin",
    "German consumer": "Customer: Hans Meier (consumer) — h@meier.de\nAddress: Ring 2, 50667 Köln, Germany",
    "Swiss business": "Client : Client Suisse SA — achats@suisse.ch\nAdresse : Rue du Lac 3, 1201 Genève, Suisse",
    "Swiss consumer": "Client : Anna Keller — particulier — anna@keller.ch\nAdresse : Bahnhofstrasse 1, 8001 Zürich, CH",
    "US business, unknown kind": "Customer: Big Buyer — ap@buyer.com\nAddress: 1 Main St, 10001 New York, USA",
}
LINES = {
    "services HT": "- 3 x Audit sécurité à 1 200,00 € HT",
    "services HT with rate": "- 10 h Développement à 85 € HT, TVA 20 %",
    "goods TTC with rate": "- 12 x Livre (biens) à 15,00 € TTC, TVA 5,5 %",
    "goods HT": "- 2 x Routeur (biens) à 189,90 € HT",
    "unknown nature TTC": "- 1 forfait Frais 500 € TTC TVA 10 %",
    "English": "* Widget x 4 @ 12.50 EUR excl. VAT, VAT 20%",
}


def orders():
    for (client_name, client), (first, second) in itertools.product(CLIENTS.items(),
                                                                   itertools.combinations(LINES, 2)):
        yield f"{client_name}: {first} + {second}", f"{client}\n{LINES[first]}\n{LINES[second]}"


@pytest.mark.parametrize("text", [text for _name, text in orders()], ids=[name for name, _text in orders()])
def test_an_order_without_problems_is_computed_by_invoicing(text):
    reading = read_order(text, [], TODAY)
    assert reading.found
    if reading.problems:
        return
    excl, tax, incl = order_totals(reading.order, issue_date=TODAY)
    assert excl + tax == incl and excl > 0
    written_ht = sum(to_cents(line.quantity * line.unit_price) for line in reading.order.lines if line.basis == "HT")
    assert excl >= written_ht


def test_the_generated_orders_cover_both_outcomes():
    outcomes = {bool(read_order(text, [], TODAY).problems) for _name, text in orders()}
    assert outcomes == {True, False}


@pytest.mark.parametrize("text", [row[1] for row in FORMATS] + [row[1] for row in PROBLEMS])
def test_sample_orders_without_problems_are_computed(text):
    attachments = next((row[2] for row in FORMATS if row[1] == text), [])
    reading = read_order(text, attachments, TODAY)
    if not reading.problems:
        assert order_totals(reading.order, issue_date=TODAY)[2] > Decimal(0)
