"""Lettering: an invoice's client lines share a code once payments and credit notes settle it exactly."""

from datetime import date

import pytest
from sqlalchemy import select

from accounting.lettering import lettering_code
from accounting.models import Lettering
from tests.accounting.books import MIXED, SERVICES, client_lines, credit, empty_books, issue, journal, pay


@pytest.fixture
def books_gateway(any_db_gateway):
    empty_books(any_db_gateway.database)
    return any_db_gateway


def letterings(gateway) -> list[tuple[str, str]]:
    """The lettering code and day of every client line, in booking order."""
    return [(line.lettering, line.lettered_on) for line in client_lines(journal(gateway))]


@pytest.mark.parametrize("number, code", [(1, "A"), (2, "B"), (26, "Z"), (27, "AA"), (52, "AZ"), (53, "BA"),
                                          (702, "ZZ"), (703, "AAA")])
def test_lettering_codes_are_letters_counted_from_the_lettering_id(number, code):
    assert lettering_code(number) == code


def test_lettering_numbers_start_at_one():
    with pytest.raises(ValueError):
        lettering_code(0)


def test_a_partial_payment_letters_nothing_until_the_rest_is_paid(books_gateway):
    number = issue(books_gateway, MIXED)
    assert pay(books_gateway, number, "4000.00", date(2026, 12, 1)) == "partial"
    assert letterings(books_gateway) == [("", None), ("", None)]
    assert pay(books_gateway, number, "425.50", date(2026, 12, 9)) == "paid"
    assert letterings(books_gateway) == [("A", date(2026, 12, 9))] * 3
    with books_gateway.database.sessions() as session:
        row = session.scalars(select(Lettering)).one()
    assert (row.code, row.account, row.aux_account, row.lettered_on) == ("A", "411", "CLIENTINDUSTRIE", date(2026, 12, 9))


def test_an_overpaid_invoice_is_left_unlettered(books_gateway):
    number = issue(books_gateway, SERVICES)
    assert pay(books_gateway, number, "1300.00") == "overpaid"
    assert letterings(books_gateway) == [("", None), ("", None)]


def test_a_credit_note_for_what_is_left_completes_the_lettering(books_gateway):
    number = issue(books_gateway, SERVICES)
    pay(books_gateway, number, "1000.00", date(2026, 12, 1))
    credit(books_gateway, number, "200.00", "TTC", date(2026, 12, 4))
    assert letterings(books_gateway) == [("A", date(2026, 12, 4))] * 3


def test_a_full_credit_note_letters_the_invoice_with_it(books_gateway):
    number = issue(books_gateway, SERVICES)
    credit(books_gateway, number, None, "TTC", date(2026, 11, 30))
    assert letterings(books_gateway) == [("A", date(2026, 11, 30))] * 2


def test_each_settled_invoice_gets_the_next_code_and_only_its_own_lines(books_gateway):
    first, second, third = (issue(books_gateway, SERVICES) for _ in range(3))
    pay(books_gateway, second, "1200.00")
    pay(books_gateway, third, "600.00")
    pay(books_gateway, first, "1200.00")
    by_piece = {(entry.journal, entry.piece_ref): entry.lines for entry in journal(books_gateway)}
    codes = {key: {line.lettering for line in lines if line.account == "411"} for key, lines in by_piece.items()}
    assert codes == {("VT", first): {"B"}, ("BQ", first): {"B"}, ("VT", second): {"A"}, ("BQ", second): {"A"},
                     ("VT", third): {""}, ("BQ", third): {""}}
    # Lettering marks client lines only.
    assert all(line.lettering == "" for lines in by_piece.values() for line in lines if line.account != "411")


def test_a_paid_deposit_and_its_paid_final_invoice_are_lettered_apart(books_gateway):
    deposit = issue(books_gateway, {**SERVICES, "kind": "deposit", "deposit": {"percent": "30"}})
    pay(books_gateway, deposit, "360.00")
    final = issue(books_gateway, {**SERVICES, "deposits": [deposit]})
    pay(books_gateway, final, "840.00")
    codes = {(entry.journal, entry.piece_ref): line.lettering
             for entry in journal(books_gateway) for line in entry.lines if line.account == "411"}
    assert codes == {("VT", deposit): "A", ("BQ", deposit): "A", ("VT", final): "B", ("BQ", final): "B"}
