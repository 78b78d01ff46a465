"""`invoice-gateway export`, run as a user runs it, on entries stored in a real database."""

import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta

import pytest

from accounting.entries import unbalanced
from accounting.exports import read_export
from accounting.journal import record_entry
from accounting.read_fec import read_fec
from tests.accounting import carried
from tests.accounting.samples import month_entries, sample_entries
from tests.helpers import ROOT


def run_cli(config, *args):
    environ = {**os.environ, "GATEWAY_STORAGE__VAR_DIR": str(config.var_dir),
               "GATEWAY_STORAGE__DATABASE_URL": config.database_url}
    return subprocess.run([sys.executable, "-m", "gateway", *args], cwd=ROOT, env=environ, capture_output=True,
                          text=True, timeout=120)


def store_samples(gateway):
    entries = sample_entries()
    # One entry of April: outside the period exported below.
    april = replace(entries[0], entry_date=date(2026, 4, 2), piece_ref="F-2026-201")
    with gateway.database.transaction() as session:
        for entry in [*entries, april]:
            record_entry(session, entry)
    return entries


def test_export_writes_the_periods_entries_and_says_how_many(journal_gateway, tmp_path):
    entries = store_samples(journal_gateway)
    output = tmp_path / "exports" / "ecritures.txt"
    result = run_cli(journal_gateway.config, "export", "--format", "fec", "--from", "2026-03-01", "--to", "2026-03-31",
                     "--output", str(output))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 écritures, 18 lignes" in result.stdout
    read = read_fec(output.read_bytes())
    assert read == [carried.by_fec(entry) for entry in entries]
    # ValidDate is the day the entry was recorded, in the configured time zone: today, give or take midnight.
    valid_dates = {line.split("\t")[15] for line in output.read_bytes().decode("iso-8859-15").splitlines()[1:]}
    today = date.today()
    assert valid_dates <= {(today + timedelta(days=shift)).strftime("%Y%m%d") for shift in (-1, 0, 1)}


CARRIED = carried.CARRIED


@pytest.mark.parametrize("format_name", list(CARRIED))
def test_every_format_exports_a_period_that_reads_back_balanced(journal_gateway, tmp_path, format_name):
    entries = store_samples(journal_gateway)
    output = tmp_path / f"export.{format_name}"
    result = run_cli(journal_gateway.config, "export", "--format", format_name, "--from", "2026-03-10",
                     "--to", "2026-04-30", "--output", str(output))
    assert result.returncode == 0, result.stdout + result.stderr
    read = read_export(format_name, output.read_bytes(), journal_gateway.config.accounting)
    assert [entry.piece_ref for entry in read] == ["CMD-55", "AV-2026-007", "R0012345678", "F-2026-201"]
    assert read[:3] == [CARRIED[format_name](entry) for entry in entries[2:]]
    assert unbalanced(read) == []


def test_quickbooks_exports_the_three_journals_and_the_bills_file_says_what_it_leaves_out(journal_gateway,
                                                                                          tmp_path):
    entries = month_entries()
    with journal_gateway.database.transaction() as session:
        for entry in entries:
            record_entry(session, entry)
    period = ["--from", "2026-04-01", "--to", "2026-04-30"]
    journals = run_cli(journal_gateway.config, "export", "--format", "quickbooks", *period,
                       "--output", str(tmp_path / "journal.csv"))
    assert journals.returncode == 0, journals.stdout + journals.stderr
    assert "8 écritures, 26 lignes" in journals.stdout and "hors achats" not in journals.stdout
    read = read_export("quickbooks", (tmp_path / "journal.csv").read_bytes(), journal_gateway.config.accounting)
    assert read == [carried.by_quickbooks(entry) for entry in entries]
    bills = run_cli(journal_gateway.config, "export", "--format", "quickbooks-bills", *period,
                    "--output", str(tmp_path / "bills.csv"))
    assert bills.returncode == 0, bills.stdout + bills.stderr
    assert "2 écritures, 2 lignes" in bills.stdout and "6 écritures hors achats" in bills.stdout


def test_a_bad_date_or_format_is_refused_with_exit_status_2(gateway, tmp_path):
    output = tmp_path / "out.txt"
    bad_date = run_cli(gateway.config, "export", "--format", "fec", "--from", "01/03/2026", "--to", "2026-03-31",
                       "--output", str(output))
    assert bad_date.returncode == 2 and "--from" in bad_date.stdout
    bad_format = run_cli(gateway.config, "export", "--format", "excel", "--from", "2026-03-01", "--to", "2026-03-31",
                         "--output", str(output))
    assert bad_format.returncode == 2 and "excel" in bad_format.stdout
    reversed_period = run_cli(gateway.config, "export", "--format", "ciel", "--from", "2026-04-01", "--to", "2026-03-01",
                              "--output", str(output))
    assert reversed_period.returncode == 2
    assert not output.exists()


def test_an_empty_period_writes_a_file_with_only_the_header(gateway, tmp_path):
    output = tmp_path / "empty.csv"
    result = run_cli(gateway.config, "export", "--format", "quickbooks", "--from", "2030-01-01", "--to", "2030-01-31",
                     "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert "0 écritures, 0 lignes" in result.stdout
    (header,) = output.read_bytes().decode().splitlines()
    assert header.startswith("Journal No.,Journal Date")
