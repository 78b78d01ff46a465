"""An order as the invoicing request: accepted by parse_request, TTC prices converted, VAT case respected."""

from datetime import date
from decimal import Decimal

import pytest

from invoicing.request import parse_request
from orders import ClientDetails, Order, OrderLine, order_request_data, order_totals, read_order
from tests.orders.samples import ISSUE_EXAMPLE

TODAY = date(2026, 11, 26)
ACME = ClientDetails(name="ACME SAS", siren="732829320", email="compta@acme.fr", address=("12 rue de la Paix",),
                     postcode="75002", city="Paris")


def test_issue_example_request_is_accepted_by_invoicing():
    data = order_request_data(read_order(ISSUE_EXAMPLE, [], TODAY).order)
    request = parse_request(data)
    assert request.purchase_order == "BC-2026-114" and request.payment_terms == "30 jours"
    assert request.buyer.siren == "732829320" and not request.buyer.consumer
    assert [(line.quantity, line.unit_price, line.vat_rate) for line in request.lines] == [
        (Decimal(3), Decimal("1200.00"), Decimal(20)), (Decimal(10), Decimal("85.00"), None)]
    assert "deposits" not in data and "deposit" not in data


def order_of(*lines: OrderLine, client: ClientDetails = ACME) -> Order:
    return Order(client=client, lines=lines)


TTC_PRICES = [
    # (unit price TTC, quantity, rate, unit price HT sent, TTC of the invoice)
    ("120.00", "1", "20", "100.00", "120.00"),
    ("12.99", "100", "20", "10.825", "1299.00"),
    ("100.00", "3", "20", "83.333333", "300.00"),
    ("15.00", "12", "5.5", "14.218333", "180.00"),
    # No HT price in cents gives 500,00 back at 10 %: the invoice says 500,01 (docs/orders.md).
    ("500.00", "1", "10", "454.55", "500.01"),
]


@pytest.mark.parametrize("ttc, quantity, rate, ht, invoice_ttc", TTC_PRICES)
def test_ttc_prices_become_ht_keeping_the_line_ttc_when_possible(ttc, quantity, rate, ht, invoice_ttc):
    order = order_of(OrderLine("Article", Decimal(quantity), "", Decimal(ttc), "TTC", Decimal(rate)))
    assert order_request_data(order)["lines"][0]["unit_price"] == ht
    assert order_totals(order, issue_date=TODAY)[2] == Decimal(invoice_ttc)


def test_ttc_price_without_rate_uses_the_standard_rate():
    order = order_of(OrderLine("Article", Decimal(1), "", Decimal("120.00"), "TTC"))
    assert order_totals(order, issue_date=TODAY) == (Decimal("100.00"), Decimal("20.00"), Decimal("120.00"))


def test_export_sends_no_rate_and_keeps_a_ttc_price_as_it_is():
    swiss = ClientDetails(name="Client Suisse SA", country="CH", email="a@suisse.ch")
    order = order_of(OrderLine("Machine", Decimal(1), "", Decimal("800"), "TTC", None, "goods"), client=swiss)
    data = order_request_data(order)
    assert data["lines"][0] == {"description": "Machine", "quantity": "1", "unit_price": "800"}
    assert order_totals(order, issue_date=TODAY) == (Decimal("800.00"), Decimal("0.00"), Decimal("800.00"))


def test_franchise_company_drops_written_rates():
    order = order_of(OrderLine("Conseil", Decimal(1), "", Decimal("900"), "HT", Decimal(20)))
    data = order_request_data(order, company_is_franchise=True)
    assert "vat_rate" not in data["lines"][0]
    assert order_totals(order, issue_date=TODAY, company_is_franchise=True) == (
        Decimal("900.00"), Decimal("0.00"), Decimal("900.00"))


def test_mixed_order_sends_each_line_nature_and_intra_eu_goods_pay_no_vat():
    kunde = ClientDetails(name="Kunde GmbH", country="DE", vat_number="DE136695976")
    order = Order(client=kunde, operation="mixed", lines=(
        OrderLine("Machine", Decimal(1), "", Decimal("800"), nature="goods"),
        OrderLine("Installation", Decimal(1), "jour", Decimal("650"), nature="services")))
    data = order_request_data(order)
    assert [line["nature"] for line in data["lines"]] == ["goods", "services"] and data["operation"] == "mixed"
    assert order_totals(order, issue_date=TODAY) == (Decimal("1450.00"), Decimal("0.00"), Decimal("1450.00"))


def test_consumer_and_dates_reach_the_request():
    consumer = ClientDetails(name="Paul Durand", is_business=False, address=("4 rue des Lilas",), postcode="44000",
                             city="Nantes")
    order = Order(client=consumer, lines=(OrderLine("Installation", Decimal(1), "forfait", Decimal("500"), "TTC",
                                                     Decimal(10)),),
                  sale_date=date(2026, 11, 20), delivery_address=("Chantier", "1 rue Neuve", "44000 Nantes"),
                  notes="Merci")
    request = parse_request(order_request_data(order))
    assert request.buyer.consumer and request.sale_date == date(2026, 11, 20)
    assert request.buyer.delivery_address == ("Chantier", "1 rue Neuve", "44000 Nantes") and request.notes == "Merci"
