"""Bank-journal entries of client payments, booked in the transaction that records the payment."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from accounting.bank import payment_entry
from gateway.config import load_config
from receivables.models import Settlement
from tests.accounting.books import MIXED, client_lines, credit, empty_books, issue, journal, pay

SETTINGS = load_config(None, environ={}).accounting


@pytest.fixture
def books_gateway(any_db_gateway):
    empty_books(any_db_gateway.database)
    return any_db_gateway


def test_a_payment_debits_the_bank_and_credits_the_clients_account():
    entry = payment_entry(number="FA2026-0001", client_name="Client Industrie SAS", client_siren="552100554",
                          amount=Decimal("4425.5"), paid_on=date(2026, 12, 3), settings=SETTINGS, source_id=4)
    assert entry.is_balanced()
    assert (entry.journal, entry.piece_ref, entry.source_kind, entry.source_id) == ("BQ", "FA2026-0001", "payment", 4)
    assert entry.entry_date == entry.piece_date == date(2026, 12, 3)
    assert entry.label == "Règlement Client Industrie SAS FA2026-0001"
    bank, client = entry.lines
    assert (bank.account, bank.debit, bank.credit) == ("512", Decimal("4425.50"), 0)
    assert (client.account, client.aux_account, client.credit) == ("411", "CLIENTINDUSTRIE", Decimal("4425.50"))


@pytest.mark.parametrize("amount", ["0", "-10.00"])
def test_a_payment_of_nothing_or_less_is_not_booked(amount):
    with pytest.raises(ValueError):
        payment_entry(number="FA2026-0001", client_name="X", client_siren="", amount=Decimal(amount),
                      paid_on=date(2026, 12, 3), settings=SETTINGS, source_id=None)


def test_settling_a_payment_books_it_with_the_settlement_as_source(books_gateway):
    number = issue(books_gateway, MIXED)
    pay(books_gateway, number, "1000.00", date(2026, 12, 1))
    pay(books_gateway, number, "425.50", date(2026, 12, 8))
    payments = journal(books_gateway, "BQ")
    with books_gateway.database.sessions() as session:
        settlement_ids = session.scalars(select(Settlement.id).order_by(Settlement.id)).all()
    assert [entry.source_id for entry in payments] == settlement_ids
    assert [entry.entry_date for entry in payments] == [date(2026, 12, 1), date(2026, 12, 8)]
    assert [line.credit for line in client_lines(payments)] == [Decimal("1000.00"), Decimal("425.50")]
    # The payment's client line meets the invoice's under one tiers code.
    assert {line.aux_account for line in client_lines(journal(books_gateway))} == {"CLIENTINDUSTRIE"}


def test_a_credit_note_settles_without_a_bank_entry(books_gateway):
    number = issue(books_gateway, MIXED)
    credit(books_gateway, number, "100.00")
    assert journal(books_gateway, "BQ") == []
    assert [entry.journal for entry in journal(books_gateway)] == ["VT", "VT"]
