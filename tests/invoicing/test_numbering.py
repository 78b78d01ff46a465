"""Numbers: given at issue, gapless and unique per series, chronological, on SQLite and PostgreSQL."""

import multiprocessing
import threading
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from gateway.db import Database
from invoicing.archive import verify_chain
from invoicing.models import ArchiveEntry, Invoice
from invoicing.numbering import IssueDateError, next_number, series_of
from tests.helpers import make_config
from tests.invoicing.conftest import empty_invoicing_tables

DAY = date(2026, 11, 26)


def take(gateway, kind="invoice", day=DAY) -> str:
    with gateway.database.transaction() as session:
        return next_number(session, gateway.config, kind, day).text


def test_numbers_follow_the_pattern_and_restart_each_year(invoicing_gateway):
    assert [take(invoicing_gateway) for _ in range(3)] == ["FA2026-0001", "FA2026-0002", "FA2026-0003"]
    assert take(invoicing_gateway, day=date(2027, 1, 2)) == "FA2027-0001"


def test_each_kind_has_its_own_series(invoicing_gateway):
    assert take(invoicing_gateway, "invoice") == "FA2026-0001"
    assert take(invoicing_gateway, "credit_note") == "AV2026-0001"
    assert take(invoicing_gateway, "deposit") == "AC2026-0001"
    assert take(invoicing_gateway, "invoice") == "FA2026-0002"


def test_a_rolled_back_issue_gives_its_number_back(invoicing_gateway):
    take(invoicing_gateway)
    with pytest.raises(RuntimeError):
        with invoicing_gateway.database.transaction() as session:
            next_number(session, invoicing_gateway.config, "invoice", DAY)
            raise RuntimeError("rendering the row failed")
    assert take(invoicing_gateway) == "FA2026-0002"


def test_an_issue_date_before_the_last_one_in_the_series_is_refused(invoicing_gateway):
    take(invoicing_gateway, day=date(2026, 11, 26))
    with pytest.raises(IssueDateError, match="2026-11-20"):
        take(invoicing_gateway, day=date(2026, 11, 20))
    # The refusal cost no number, and the same day stays allowed.
    assert take(invoicing_gateway, day=date(2026, 11, 26)) == "FA2026-0002"
    # Another series has its own order.
    assert take(invoicing_gateway, "credit_note", day=date(2026, 11, 20)) == "AV2026-0001"


def test_a_pattern_without_year_keeps_one_series_across_years(tmp_path):
    config = make_config(tmp_path / "var")
    config = replace(config, invoicing=replace(config.invoicing, invoice_pattern="F-{seq:05d}"))
    database = Database(config.database_url)
    database.migrate()
    with database.transaction() as session:
        first = next_number(session, config, "invoice", date(2026, 12, 31)).text
    with database.transaction() as session:
        second = next_number(session, config, "invoice", date(2027, 1, 1)).text
    database.dispose()
    assert (first, second) == ("F-00001", "F-00002")


def test_series_keeps_the_pattern_with_the_year_filled_in():
    assert series_of("FA{year}-{seq:04d}", DAY) == "FA2026-{seq:04d}"
    assert series_of("{year}/{seq}", DAY) == "2026/{seq}"


def _issue_many(database_url: str, var_dir: str, count: int, results) -> None:
    # Runs in its own process (or thread): a separate engine, as a separate worker would have.
    from pathlib import Path

    from invoicing.issue import issue_request
    from tests.invoicing.issuing import example_request

    config = make_config(Path(var_dir), database_url)
    database = Database(config.database_url)
    request = example_request()
    numbers = [issue_request(database, config, request, today=DAY) for _ in range(count)]
    database.dispose()
    results.put(numbers) if hasattr(results, "put") else results.extend(numbers)


def _assert_gapless_and_sealed(database_url: str, numbers: list[str], expected: int) -> None:
    assert len(numbers) == expected, "a number was lost"
    assert sorted(numbers) == [f"FA2026-{seq:04d}" for seq in range(1, expected + 1)], "a gap or a duplicate"
    database = Database(database_url)
    with database.sessions() as session:
        assert sorted(session.execute(select(Invoice.seq)).scalars()) == list(range(1, expected + 1))
        assert session.execute(select(func.count()).select_from(ArchiveEntry)).scalar() == expected
    assert verify_chain(database) is None
    database.dispose()


def test_concurrent_processes_on_postgresql_issue_gapless_unique_numbers(tmp_path, postgres_url):
    database = Database(postgres_url)
    database.migrate()
    empty_invoicing_tables(database)
    database.dispose()
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_issue_many, args=(postgres_url, str(tmp_path / "var"), 40, queue)) for _ in range(4)]
    for worker in workers:
        worker.start()
    numbers = [number for _ in workers for number in queue.get(timeout=120)]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    _assert_gapless_and_sealed(postgres_url, numbers, 160)


def test_concurrent_threads_on_sqlite_issue_gapless_unique_numbers(tmp_path):
    config = make_config(tmp_path / "var")
    Database(config.database_url).migrate()
    numbers: list[str] = []
    threads = [threading.Thread(target=_issue_many, args=(config.database_url, str(tmp_path / "var"), 30, numbers)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    _assert_gapless_and_sealed(config.database_url, numbers, 120)
