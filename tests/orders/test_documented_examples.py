"""The examples of docs/orders.md read as the page says, and hostile input is read quickly or refused."""

import json
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from gateway.parsed import Attachment
from orders import order_totals, read_order
from tests.orders.samples import json_file

TODAY = date(2026, 11, 26)
DOC = Path(__file__).resolve().parents[2] / "docs" / "orders.md"


def code_blocks(language: str = "") -> list[str]:
    """The fenced blocks of the page opened with ```language, in order."""
    blocks, current, opened_with = [], None, ""
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("```") and current is None:
            current, opened_with = [], line[3:].strip()
        elif line.startswith("```"):
            if opened_with == language:
                blocks.append("\n".join(current))
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def test_first_block_of_the_page_gives_the_totals_it_states():
    reading = read_order(code_blocks()[0], [], TODAY)
    assert reading.problems == ()
    assert order_totals(reading.order, issue_date=TODAY) == (Decimal("4450.00"), Decimal("890.00"), Decimal("5340.00"))
    assert reading.order.deposit_paid == Decimal("500.00")


def test_every_documented_item_line_is_read():
    lines = [line for line in code_blocks()[1].splitlines() if line.strip()]
    for line in lines:
        text = "Client : ACME SAS\nAdresse : 1 rue X, 75001 Paris\n" + line.split("   ")[0]
        reading = read_order(text, [], TODAY)
        assert reading.order.lines and not [p for p in reading.problems if p.field.startswith("line")], line


def test_documented_table_csv_and_english_block_give_the_issue_totals():
    table, csv_text, english = code_blocks()[2], code_blocks()[3], code_blocks()[-1]
    client = "Client : ACME SAS — SIREN 732 829 320 — compta@acme.fr\nAdresse : 12 rue de la Paix, 75002 Paris\n"
    readings = [read_order(client + table, [], TODAY), read_order(english, [], TODAY),
                read_order("", [Attachment("c.csv", "text/csv", csv_text.encode())], TODAY)]
    for reading in readings:
        assert reading.problems == ()
        assert order_totals(reading.order, issue_date=TODAY)[0] == Decimal("4450.00")


def test_documented_json_schema_is_an_order_without_problem():
    value = json.loads(code_blocks("json")[0])
    reading = read_order("", [json_file(value)], TODAY)
    assert reading.problems == () and reading.source == "json"
    order = reading.order
    assert (order.reference, order.payment_terms, order.deposit_numbers) == ("BC-2026-114", "30 jours", ("AC2026-0001",))
    assert order.sale_date == date(2026, 11, 20) and order.delivery_address == ("Entrepôt Sud", "33700 Mérignac")


def test_json_aliases_and_due_date():
    value = {"customer": {"name": "ACME SAS", "siren": "732829320", "email": "a@acme.fr", "address": "1 rue X",
                          "postcode": "75001", "city": "Paris", "is_business": True},
             "purchase_order": "PO-1", "due_date": "2027-01-15",
             "items": [{"description": "Audit", "quantity": 2.5, "unit_price": 0.125, "basis": "TTC"}]}
    reading = read_order("", [json_file(value)], TODAY)
    assert reading.problems == ()
    line = reading.order.lines[0]
    assert (line.quantity, line.unit_price, line.basis) == (Decimal("2.5"), Decimal("0.125"), "TTC")
    assert (reading.order.reference, reading.order.due_date) == ("PO-1", date(2027, 1, 15))


def test_pipe_table_is_read():
    text = ("Client : ACME SAS — SIREN 732 829 320 — compta@acme.fr\nAdresse : 12 rue de la Paix, 75002 Paris\n\n"
            "| Désignation | Qté | PU HT | TVA |\n|---|---|---|---|\n| Audit sécurité | 3 | 1 200,00 | 20 |\n"
            "| Développement | 10 | 85,00 | 20 |\n")
    reading = read_order(text, [], TODAY)
    assert reading.source == "table" and reading.problems == ()
    assert order_totals(reading.order, issue_date=TODAY)[2] == Decimal("5340.00")


def test_more_lines_than_an_invoice_holds_is_one_problem():
    text = "Client : ACME SAS\n" + "- 1 x Audit à 10 € HT\n" * 501
    reading = read_order(text, [], TODAY)
    assert [problem.field for problem in reading.problems if problem.field.startswith("line")] == ["lines"]


HOSTILE = [
    "- " + "a " * 20000 + "3 x Audit à 100 € HT",
    "- 3" + " " * 50000 + "x",
    "Client : A\nAdresse : B\n" + " " * 50000 + "x 100 € HT",
    "Client : " + "a" * 100000 + "@\n- 1 x A à 1 € HT",
    "Client : A\n- " + ": 1 " * 20000 + "€ HT",
    "- Audit" + " à" * 20000 + " 100 € HT",
    "Client" + " " * 50000 + ":",
    ("Client : ACME\n" + "- 3 x Audit à 100 € HT\n") * 3000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_read_in_bounded_time(text):
    started = time.monotonic()
    read_order(text, [], TODAY)
    assert time.monotonic() - started < 3


def test_deeply_nested_json_is_reported_not_crashing():
    reading = read_order("", [Attachment("o.json", "application/json", b"[" * 100000)], TODAY)
    assert reading.problems[0].field == "attachment"


@pytest.mark.parametrize("data", [b"D\x00\x00;Qty\n", b"Description;Unit price\n\"" + b"a" * 200_000 + b"\";1\n"])
def test_broken_csv_is_not_taken_for_an_order(data):
    assert not read_order("Bonjour", [Attachment("c.csv", "text/csv", data)], TODAY).found


def test_utf16_tab_separated_export_is_read():
    data = "Désignation\tQté\tPU HT\nAudit sécurité\t3\t1 200,00\n".encode("utf-16")
    reading = read_order("Bonjour", [Attachment("c.csv", "text/csv", data)], TODAY)
    assert reading.found and reading.order.lines[0].description == "Audit sécurité"
