"""Entries stored in the caller's transaction and read back by period, on SQLite and PostgreSQL."""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from accounting.journal import (
    booked_entries_between,
    entries_between,
    last_charge_account,
    record_entry,
    record_entry_once,
)
from accounting.models import JournalEntry
from tests.accounting.samples import sample_entries


def test_recorded_entries_come_back_equal_within_the_period(journal_gateway):
    entries = sample_entries()
    with journal_gateway.database.transaction() as session:
        ids = [record_entry(session, entry) for entry in entries]
    assert ids == sorted(ids)
    with journal_gateway.database.sessions() as session:
        assert entries_between(session, date(2026, 3, 1), date(2026, 3, 31)) == entries
        assert entries_between(session, date(2026, 3, 5), date(2026, 3, 10)) == entries[1:3]
        assert entries_between(session, date(2026, 3, 1), date(2026, 3, 31), journals=("VT",)) == []


def test_booked_entries_carry_their_number_and_the_local_day_they_were_recorded(journal_gateway):
    timezone = journal_gateway.config.timezone
    before = datetime.now(timezone).date()
    with journal_gateway.database.transaction() as session:
        entry_id = record_entry(session, sample_entries()[0])
    after = datetime.now(timezone).date()
    with journal_gateway.database.sessions() as session:
        (booked,) = booked_entries_between(session, date(2026, 1, 1), date(2026, 12, 31), timezone=timezone)
    assert booked.number == entry_id
    assert booked.booked_on in {before, after}


def test_an_unbalanced_entry_is_refused_and_nothing_is_stored(journal_gateway):
    entry = sample_entries()[0]
    wrong = replace(entry, lines=(replace(entry.lines[0], debit=D("100.01")), *entry.lines[1:]))
    with pytest.raises(ValueError, match="unbalanced"):
        with journal_gateway.database.transaction() as session:
            record_entry(session, sample_entries()[1])
            record_entry(session, wrong)
    with journal_gateway.database.sessions() as session:
        assert session.execute(select(func.count()).select_from(JournalEntry)).scalar_one() == 0


@pytest.mark.parametrize("amount", [D("-1.00"), D("0.001")])
def test_negative_or_sub_cent_amounts_make_an_entry_unbalanced(amount):
    entry = sample_entries()[0]
    odd = replace(entry, lines=(*entry.lines, replace(entry.lines[0], debit=amount), replace(entry.lines[0], debit=D("0"), credit=amount)))
    assert not odd.is_balanced()


def test_an_entry_without_lines_is_not_balanced():
    assert not replace(sample_entries()[0], lines=()).is_balanced()


def test_a_document_booked_twice_keeps_one_entry(journal_gateway):
    entry = sample_entries()[0]
    with journal_gateway.database.transaction() as session:
        first = record_entry_once(session, entry)
    with journal_gateway.database.transaction() as session:
        assert record_entry_once(session, entry) == first
        assert record_entry_once(session, replace(entry, source_id=None)) != first
    with journal_gateway.database.sessions() as session:
        assert session.execute(select(func.count()).select_from(JournalEntry)).scalar_one() == 2


def test_the_suppliers_last_charge_account_is_the_one_to_propose(journal_gateway):
    entries = sample_entries()
    later = replace(entries[0], lines=tuple(replace(line, account="6063") if line.account == "6064" else line
                                            for line in entries[0].lines), source_id=99)
    with journal_gateway.database.transaction() as session:
        assert last_charge_account(session, "FOURNITURESGENERA") is None
        for entry in (entries[0], entries[1], later):
            record_entry(session, entry)
        assert last_charge_account(session, "FOURNITURESGENERA") == "6063"
        assert last_charge_account(session, "ENERGIECOTEDAZUR") == "6061"
        assert last_charge_account(session, "ENERGIECOTEDAZUR", supplier_account="411") is None
