"""Request JSON: typed values without floats, defaults, and a clear error naming each bad field."""

import copy
import json
from datetime import date
from decimal import Decimal

import pytest

from invoicing.request import RequestError, parse_request

# The example of docs/invoicing-rules.md, section "Request JSON".
EXAMPLE = {
    "kind": "invoice",
    "language": "fr",
    "sale_date": "2026-11-20",
    "buyer": {
        "name": "Client Industrie SAS",
        "address": ["12 avenue du Client", "Bâtiment B"],
        "postcode": "33000",
        "city": "Bordeaux",
        "country": "FR",
        "siren": "552100554",
        "vat_number": "FR96552100554",
        "email": "compta@client.test",
        "delivery_address": ["Entrepôt Sud", "ZI des Pins", "33700 Mérignac"],
    },
    "purchase_order": "BC-2026-118",
    "operation": "mixed",
    "lines": [
        {"description": "Audit du réseau", "quantity": "2", "unit": "jour", "unit_price": "650.00", "vat_rate": "20", "nature": "services"},
        {"description": "Routeur", "quantity": "1", "unit_price": "189.90", "vat_rate": "20", "nature": "goods"},
    ],
    "payment_terms": "30 jours fin de mois",
    "notes": "Merci de rappeler le numéro de facture lors du virement.",
}


def with_changes(path: str, value) -> dict:
    """The example with one field changed (dotted path; lines.N for a line); None deletes it."""
    data = copy.deepcopy(EXAMPLE)
    *parents, last = path.split(".")
    target = data
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is None:
        del target[int(last) if last.isdigit() else last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return data


def test_example_parses_into_typed_values():
    request = parse_request(EXAMPLE)
    assert request.kind == "invoice" and request.operation == "mixed"
    assert request.sale_date == date(2026, 11, 20)
    assert request.lines[0].unit_price == Decimal("650.00")
    assert request.lines[0].vat_rate == Decimal("20")
    assert request.lines[1].nature == "goods"
    assert request.buyer.address == ("12 avenue du Client", "Bâtiment B")
    assert request.buyer.consumer is False
    assert request.payment_terms == "30 jours fin de mois"


def test_json_numbers_become_exact_decimals_never_floats():
    data = json.loads('{"buyer": {"name": "X"}, "lines": [{"description": "a", "quantity": 3, "unit_price": 0.1, "vat_rate": 5.5}]}')
    line = parse_request(data).lines[0]
    assert line.unit_price == Decimal("0.1") and str(line.unit_price) == "0.1"
    assert line.vat_rate == Decimal("5.5")


def test_french_decimal_comma_is_read():
    data = with_changes("lines.0.unit_price", "1 234,50")
    assert parse_request(data).lines[0].unit_price == Decimal("1234.50")


def test_defaults_when_optional_fields_are_absent():
    request = parse_request({"buyer": {"name": "Paul Durand"}, "lines": [{"description": "Cours", "unit_price": "40"}]})
    assert request.kind == "invoice" and request.operation == "services"
    assert request.lines[0].quantity == Decimal("1") and request.lines[0].vat_rate is None
    assert request.lines[0].nature == "services"
    assert request.vat_case is None and request.payment_terms is None and request.language is None
    assert request.buyer.country == "FR"


def test_buyer_without_any_identifier_is_taken_for_a_consumer():
    buyer = parse_request({"buyer": {"name": "Paul Durand"}, "lines": [{"description": "a", "unit_price": "1"}]}).buyer
    assert buyer.consumer and buyer.consumer_derived


def test_explicit_consumer_flag_wins():
    data = {"buyer": {"name": "Asso", "consumer": False}, "lines": [{"description": "a", "unit_price": "1"}]}
    assert parse_request(data).buyer.consumer is False


def test_siren_is_taken_from_the_siret():
    data = with_changes("buyer.siren", None)
    data["buyer"]["siret"] = "55210055400013"
    assert parse_request(data).buyer.siren == "552100554"


def test_period_instead_of_sale_date():
    data = with_changes("sale_date", None) | {"period": {"start": "2026-11-01", "end": "2026-11-30"}}
    request = parse_request(data)
    assert (request.period_start, request.period_end) == (date(2026, 11, 1), date(2026, 11, 30))


def test_deposit_request_by_percent_and_by_amount():
    data = with_changes("kind", "deposit") | {"deposit": {"percent": "30"}}
    assert parse_request(data).deposit.percent == Decimal("30")
    data = with_changes("kind", "deposit") | {"deposit": {"amount": "500.00", "basis": "HT"}}
    deposit = parse_request(data).deposit
    assert deposit.amount == Decimal("500.00") and deposit.basis == "HT"


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("buyer", None, "buyer is required"),
        ("buyer.name", "", "buyer.name is required"),
        ("lines", [], "lines: expected a non-empty list"),
        ("lines.0.quantity", "-2", "lines\\[1\\].quantity: must be positive"),
        ("lines.0.quantity", "0", "lines\\[1\\].quantity: must be positive"),
        ("lines.0.unit_price", "-5", "lines\\[1\\].unit_price: must not be negative"),
        ("lines.0.unit_price", "douze", "lines\\[1\\].unit_price: 'douze' is not a number"),
        ("lines.0.unit_price", None, "lines\\[1\\].unit_price: expected a decimal number"),
        ("lines.0.unit_price", "NaN", "not a finite number"),
        ("lines.0.vat_rate", "19.6", "lines\\[1\\].vat_rate: 19.6 is not a French VAT rate"),
        ("lines.0.vat_rate", "7", "is not a French VAT rate"),
        ("lines.0.description", "", "lines\\[1\\].description is required"),
        ("lines.0.colour", "red", "lines\\[1\\].unknown field\\(s\\) colour"),
        ("vat_case", "intra", "vat_case: unknown value 'intra'"),
        ("operation", "rental", "operation: unknown value 'rental'"),
        ("kind", "credit_note", "kind: unknown value 'credit_note'"),
        ("language", "de", "language: unknown value 'de'"),
        ("sale_date", "2026-02-30", "sale_date: '2026-02-30' is not a valid date"),
        ("sale_date", "20/11/2026", "sale_date: '20/11/2026' is not a valid date"),
        ("issue_date", 20261126, "issue_date: expected a date"),
        ("payment_terms", "quand il veut", "payment_terms: unknown payment terms"),
        ("buyer.siren", "123456789", "buyer.siren: '123456789' is not a valid SIREN"),
        ("buyer.vat_number", "DE000000000", "buyer.vat_number: 'DE000000000' is not a valid EU VAT number"),
        ("buyer.country", "France", "buyer.country: expected an ISO 3166 alpha-2 code"),
        ("buyer.consumer", "yes", "buyer.consumer: expected true or false"),
        ("currency", "USD", "currency: only EUR is supported"),
        ("deposits", "AC2026-0001", "deposits: expected a list"),
        ("deposits", ["AC2026-0001", "AC2026-0001"], "listed twice"),
        ("deposit", {"percent": "30"}, "deposit: only for kind \"deposit\""),
        ("colour", "red", "request: unknown field\\(s\\) colour"),
    ],
)
def test_bad_field_raises_request_error_naming_it(path, value, message):
    with pytest.raises(RequestError, match=message):
        parse_request(with_changes(path, value))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"vat_case": "reverse_charge_eu", "buyer": {"name": "Kunde GmbH", "country": "DE"}},
         "reverse_charge_eu' needs a business buyer with buyer.vat_number"),
        ({"vat_case": "reverse_charge_eu"}, "buyer.country 'FR' is not another EU country"),
        ({"vat_case": "export"}, "vat_case 'export': buyer.country 'FR' is inside the EU"),
        ({"kind": "deposit"}, "deposit: expected"),
        ({"kind": "deposit", "deposit": {"percent": "100"}}, "deposit.percent: expected more than 0 and less than 100"),
        ({"kind": "deposit", "deposit": {"percent": "30", "amount": "10"}}, "deposit: expected"),
        ({"kind": "deposit", "deposit": {"amount": "10", "basis": "HTT"}}, "deposit.basis: unknown value"),
        ({"sale_date": "2026-11-20", "period": {"start": "2026-11-01", "end": "2026-11-30"}}, "give one or the other"),
        ({"sale_date": None, "period": {"start": "2026-11-30", "end": "2026-11-01"}}, "period: end 2026-11-01 is before start"),
        ({"lines": [{"description": "a", "unit_price": "1", "nature": "goods"}], "operation": "services"}, "contradicts operation"),
    ],
)
def test_inconsistent_request_is_refused(changes, message):
    data = copy.deepcopy(EXAMPLE) | changes
    data = {key: value for key, value in data.items() if value is not None}
    with pytest.raises(RequestError, match=message):
        parse_request(data)


def test_request_that_is_not_an_object_is_refused():
    with pytest.raises(RequestError, match="expected a JSON object"):
        parse_request(["not", "an", "object"])
