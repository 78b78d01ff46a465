"""Every order format gives the issue's example: block (French, English), pasted tables, CSV and JSON files."""

from datetime import date
from decimal import Decimal

import pytest

from gateway.parsed import Attachment
from orders import order_totals, read_order
from tests.orders.samples import (
    ALIGNED_TABLE,
    CSV_COMMA,
    CSV_SEMICOLON,
    ENGLISH_BLOCK,
    ISSUE_EXAMPLE,
    JSON_ORDER,
    REAL_BODY,
    TAB_TABLE,
    csv_file,
    json_file,
)

TODAY = date(2026, 11, 26)
CLIENT_BODY = "Bonjour,\nClient : ACME SAS — SIREN 732 829 320 — compta@acme.fr\nAdresse : 12 rue de la Paix, 75002 Paris\n"

FORMATS = [
    ("issue block", ISSUE_EXAMPLE, [], "block"),
    ("block inside greetings and signature", REAL_BODY, [], "block"),
    ("English block", ENGLISH_BLOCK, [], "block"),
    ("tab-separated table", TAB_TABLE, [], "table"),
    ("aligned table", ALIGNED_TABLE, [], "table"),
    ("CSV with ; in Windows-1252", "Bonjour, la commande est jointe.", [csv_file(CSV_SEMICOLON, "cp1252")], "csv"),
    ("CSV with , and the client in the body", CLIENT_BODY, [csv_file(CSV_COMMA)], "csv"),
    ("JSON file", "", [json_file(JSON_ORDER)], "json"),
]


@pytest.mark.parametrize("name, text, attachments, source", FORMATS, ids=[row[0] for row in FORMATS])
def test_every_format_gives_the_issue_totals(name, text, attachments, source):
    reading = read_order(text, attachments, TODAY)
    assert reading.found and reading.source == source
    assert reading.problems == ()
    assert order_totals(reading.order, issue_date=TODAY) == (Decimal("4450.00"), Decimal("890.00"), Decimal("5340.00"))
    client = reading.order.client
    assert (client.name, client.siren, client.email) == ("ACME SAS", "732829320", "compta@acme.fr")
    assert (client.address, client.postcode, client.city, client.country) == (("12 rue de la Paix",), "75002", "Paris", "FR")


def test_issue_example_reads_every_field():
    order = read_order(REAL_BODY, [], TODAY).order
    assert order.reference == "BC-2026-114"
    assert order.payment_terms == "30 jours"
    assert order.deposit_paid == Decimal("500.00")
    assert [(line.quantity, line.unit, line.unit_price, line.vat_rate) for line in order.lines] == [
        (Decimal(3), "", Decimal("1200.00"), Decimal(20)), (Decimal(10), "h", Decimal("85.00"), None)]
    assert order.operation == "services"


def test_english_block_reads_terms_and_deposit_in_french_phrases():
    order = read_order(ENGLISH_BLOCK, [], TODAY).order
    assert (order.reference, order.payment_terms, order.deposit_paid) == ("BC-2026-114", "30 jours", Decimal("500.00"))


@pytest.mark.parametrize("separator", [":", " :", "\u00a0:", ":\u00a0", " ： "])
def test_labels_accept_any_spacing_around_the_colon(separator):
    text = ISSUE_EXAMPLE.replace(" : ", separator)
    order = read_order(text, [], TODAY).order
    assert order.reference == "BC-2026-114" and order.client.name == "ACME SAS"


def test_labels_ignore_case_and_accents():
    text = ISSUE_EXAMPLE.replace("Référence", "REFERENCE").replace("Échéance", "echeance").replace("Client", "CLIENT")
    order = read_order(text, [], TODAY).order
    assert (order.reference, order.payment_terms, order.client.name) == ("BC-2026-114", "30 jours", "ACME SAS")


def test_address_and_email_on_lines_of_their_own():
    text = """Client : ACME SAS
SIREN : 732 829 320
E-mail : compta@acme.fr
Adresse : 12 rue de la Paix
Bâtiment B
75002 Paris
Adresse de livraison : Entrepôt Sud, ZI des Pins, 33700 Mérignac
Date de livraison : 20/11/2026
Nature : mixte
Notes : Merci de rappeler le numéro de facture.
- 2 x Routeur (biens) à 189,90 € HT
- 1 jour Installation (services) à 650 € HT"""
    reading = read_order(text, [], TODAY)
    assert reading.problems == ()
    order = reading.order
    assert order.client.address == ("12 rue de la Paix", "Bâtiment B") and order.client.city == "Paris"
    assert order.client.email == "compta@acme.fr"
    assert order.delivery_address == ("Entrepôt Sud", "ZI des Pins", "33700 Mérignac")
    assert order.sale_date == date(2026, 11, 20)
    assert order.operation == "mixed" and order.notes.startswith("Merci")
    assert [line.nature for line in order.lines] == ["goods", "services"]


def test_deposit_invoice_numbers_are_kept_apart_from_the_amount_paid():
    text = ISSUE_EXAMPLE.replace("Acompte versé : 500 €", "Acompte : AC2026-0001\nAcompte : AC2026-0002")
    order = read_order(text, [], TODAY).order
    assert order.deposit_numbers == ("AC2026-0001", "AC2026-0002") and order.deposit_paid is None


def test_a_written_due_date_becomes_days_from_today():
    order = read_order(ISSUE_EXAMPLE.replace("30 jours", "15/01/2027"), [], TODAY).order
    assert (order.payment_terms, order.due_date) == ("50 jours", date(2027, 1, 15))


def test_order_wide_vat_rate_applies_to_lines_without_one():
    text = ISSUE_EXAMPLE.replace("Échéance : 30 jours", "TVA : 10 %")
    lines = read_order(text, [], TODAY).order.lines
    assert [line.vat_rate for line in lines] == [Decimal(20), Decimal(10)]


NOT_ORDERS = [
    "Bonjour, ci-joint le devis.\n\nCordialement,\nMarie",
    "Hello, see you on Monday at 10:00.\nBest regards",
    "Bonjour,\nLe total est de 1 200 € HT, je vous rappelle demain.\nMerci",
    "Bonjour,\nDate : 12/11/2026\nObjet : réunion\n- point 1\n- point 2",
    "> Client : ACME SAS\n> - 3 x Audit à 1 200 € HT\n\nVu, merci.",
]


@pytest.mark.parametrize("text", NOT_ORDERS)
def test_ordinary_mail_is_not_an_order(text):
    reading = read_order(text, [Attachment("devis.pdf", "application/pdf", b"%PDF-1.7")], TODAY)
    assert not reading.found and reading.order is None and reading.problems == ()


def test_json_file_of_another_kind_is_not_an_order():
    assert not read_order("Bonjour", [json_file({"type": "config", "value": 3})], TODAY).found


def test_csv_without_an_order_header_is_not_an_order():
    assert not read_order("Bonjour", [csv_file("Nom;Téléphone\nMarie;0612345678\n")], TODAY).found


def test_client_fields_in_a_json_file_with_the_lines_in_the_text():
    text = "Référence : BC-2026-114\n- 3 x Audit sécurité à 1 200,00 € HT, TVA 20 %\n- 10 h Développement à 85 € HT"
    client = {"client": {"name": "ACME SAS", "siren": "732829320", "email": "compta@acme.fr",
                         "address": "12 rue de la Paix", "postcode": "75002", "city": "Paris"}}
    reading = read_order(text, [json_file(client)], TODAY)
    assert reading.problems == () and len(reading.order.lines) == 2 and reading.source == "block"


def test_client_written_over_several_lines_without_labels():
    text = """Bonjour,

Client : ACME SAS
12 rue de la Paix
75002 Paris
compta@acme.fr
SIREN 732 829 320
Référence : BC-2026-114
- 3 x Audit sécurité à 1 200,00 € HT (20 %)
- 10 h Développement à 85 € HT

Cordialement"""
    reading = read_order(text, [], TODAY)
    assert reading.problems == ()
    client = reading.order.client
    assert (client.address, client.postcode, client.city) == (("12 rue de la Paix",), "75002", "Paris")
    assert (client.email, client.siren) == ("compta@acme.fr", "732829320")
    assert reading.order.lines[0].vat_rate == Decimal(20)


@pytest.mark.parametrize("line", ["Particulier", "- particulier", "Consumer"])
def test_a_line_saying_consumer_makes_the_client_a_consumer(line):
    text = f"Client : Paul Durand — paul@example.fr\nAdresse : 4 rue des Lilas, 44000 Nantes\n{line}\n- 1 x Conseil à 90 € HT"
    reading = read_order(text, [], TODAY)
    assert not reading.order.client.is_business and reading.problems == ()


def test_foreign_address_gives_the_country():
    text = ("Customer: Kunde GmbH — VAT DE136695976 — einkauf@kunde.de\nAddress: Hauptstraße 5\n10115 Berlin\nGermany\n"
            "Operation: services\n- 1 x Consulting at 900 EUR excl. VAT")
    reading = read_order(text, [], TODAY)
    client = reading.order.client
    assert (client.country, client.city, client.vat_number) == ("DE", "Berlin", "DE136695976")
    assert reading.problems == ()
    assert order_totals(reading.order, issue_date=TODAY) == (Decimal("900.00"), Decimal("0.00"), Decimal("900.00"))


def test_a_priced_line_that_starts_like_a_label_is_an_item():
    text = ISSUE_EXAMPLE + "\n- Livraison : 15 € HT"
    order = read_order(text, [], TODAY).order
    assert order.lines[-1].description == "Livraison" and order.delivery_address == ()


def test_csv_reads_the_deposit_and_the_terms():
    order = read_order("", [csv_file(CSV_SEMICOLON)], TODAY).order
    assert (order.deposit_paid, order.payment_terms, order.reference) == (Decimal("500.00"), "30 jours", "BC-2026-114")
