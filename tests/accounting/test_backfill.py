"""Backfill: documents and payments from before the sales and bank journals are booked once, lettered."""

from datetime import date

import pytest
from sqlalchemy import delete, text

from accounting.backfill import book_missing
from accounting.models import JournalEntry, JournalLine, Lettering
from tests.accounting.books import MIXED, SERVICES, credit, empty_books, entry_count, issue, journal, pay


@pytest.fixture
def books_gateway(any_db_gateway):
    empty_books(any_db_gateway.database)
    return any_db_gateway


def forget_the_journal(gateway) -> None:
    """The books as a database from before this version has them: documents and payments, no entries."""
    database = gateway.database
    if not database.is_sqlite:
        # Also restarts the ids, so that the lettering codes start again from A.
        with database.engine.begin() as connection:
            connection.execute(text("TRUNCATE journal_lines, journal_entries, letterings RESTART IDENTITY CASCADE"))
        return
    with database.transaction() as session:
        for table in (JournalLine, Lettering, JournalEntry):
            session.execute(delete(table))


def backfill(gateway) -> int:
    with gateway.database.transaction() as session:
        return book_missing(session, gateway.config)


def summary(entries) -> list[tuple]:
    return [(entry.journal, entry.piece_ref, entry.source_kind, entry.entry_date,
             tuple((line.account, line.debit, line.credit, line.lettering) for line in entry.lines))
            for entry in entries]


def test_older_documents_and_payments_are_booked_and_lettered_as_if_booked_live(books_gateway):
    paid = issue(books_gateway, MIXED)
    pay(books_gateway, paid, "4425.50", date(2026, 12, 2))
    deposit = issue(books_gateway, {**SERVICES, "kind": "deposit", "deposit": {"percent": "30"}})
    final = issue(books_gateway, {**SERVICES, "deposits": [deposit]})
    credited = issue(books_gateway, SERVICES)
    credit(books_gateway, credited, "200.00", "TTC", date(2026, 11, 27))
    pay(books_gateway, credited, "1000.00", date(2026, 12, 5))
    pay(books_gateway, final, "100.00", date(2026, 12, 5))
    live = summary(journal(books_gateway))
    forget_the_journal(books_gateway)

    assert backfill(books_gateway) == 8
    booked = summary(journal(books_gateway))
    # Booked later, in another order: the same entries; the codes follow the order of lettering.
    assert sorted(booked, key=str) == sorted(_without_codes(live, booked), key=str)
    assert {line[3] for entry in booked if entry[1] in (paid, credited) for line in entry[4] if line[0] == "411"} == {"A", "B"}
    assert all(line[3] == "" for entry in booked if entry[1] in (final, deposit) for line in entry[4])


def _without_codes(live, booked):
    """The live entries with the codes the backfill gave (codes are numbered in lettering order)."""
    codes = {(entry[0], entry[1]): [line[3] for line in entry[4]] for entry in booked}
    return [(*entry[:4], tuple((*line[:3], code) for line, code in zip(entry[4], codes[(entry[0], entry[1])])))
            for entry in live]


def test_running_the_backfill_again_books_nothing_more(books_gateway):
    number = issue(books_gateway, SERVICES)
    pay(books_gateway, number, "1200.00")
    forget_the_journal(books_gateway)
    assert backfill(books_gateway) == 2
    assert backfill(books_gateway) == 0
    assert entry_count(books_gateway) == 2
    assert {line.lettering for entry in journal(books_gateway) for line in entry.lines if line.account == "411"} == {"A"}
