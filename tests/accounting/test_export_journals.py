"""Every format carries the three journals: a month of purchases, sales and bank payments, written and read back."""

from dataclasses import replace
from datetime import date

import pytest

from accounting.entries import number_entries, unbalanced
from accounting.exports import WRITERS, read_export, write_entries
from accounting.formats import ReadError
from accounting.read_quickbooks import read_quickbooks
from tests.accounting.carried import CARRIED
from tests.accounting.samples import GOLDEN, MONTH_BOOKED_ON, MONTH_GOLDEN_FILES, SETTINGS, month_booked, month_entries


def month_part(format_name):
    """The entries a format holds: all of them, but the purchase journal only in a bills file."""
    if format_name == "quickbooks-bills":
        return [entry for entry in month_entries() if entry.journal == SETTINGS.purchase_journal]
    return month_entries()


def test_the_month_holds_the_three_journals_and_balances():
    entries = month_entries()
    assert {entry.journal for entry in entries} == {"HA", "VT", "BQ"}
    assert unbalanced(entries) == []


@pytest.mark.parametrize("format_name", list(WRITERS))
def test_month_output_is_the_golden_file_byte_for_byte(format_name):
    expected = (GOLDEN / MONTH_GOLDEN_FILES[format_name]).read_bytes()
    assert WRITERS[format_name](month_booked(), SETTINGS) == expected


@pytest.mark.parametrize("format_name", list(WRITERS))
def test_month_read_back_gives_the_original_entries_within_the_formats_limits(format_name):
    read = read_export(format_name, WRITERS[format_name](month_booked(), SETTINGS), SETTINGS)
    assert read == [CARRIED[format_name](entry) for entry in month_part(format_name)]
    assert unbalanced(read) == []


@pytest.mark.parametrize("format_name", list(WRITERS))
def test_month_golden_file_reads_back_balanced(format_name):
    read = read_export(format_name, (GOLDEN / MONTH_GOLDEN_FILES[format_name]).read_bytes(), SETTINGS)
    assert len(read) == len(month_part(format_name))
    assert unbalanced(read) == []


def test_fec_letters_the_invoice_and_its_payment_with_the_same_code_and_day():
    rows = [line.split("\t") for line in WRITERS["fec"](month_booked(), SETTINGS).decode("iso-8859-15").splitlines()]
    lettered = [(row[2], row[4], row[6], row[13], row[14]) for row in rows[1:] if row[13] or row[14]]
    assert lettered == [("VT000003", "411", "DUPONT", "A", "20260420"), ("BQ000005", "411", "DUPONT", "A", "20260420")]


def test_fec_names_the_client_on_every_411_line():
    rows = [line.split("\t") for line in WRITERS["fec"](month_booked(), SETTINGS).decode("iso-8859-15").splitlines()]
    clients = {(row[6], row[7]) for row in rows[1:] if row[4] == "411"}
    assert clients == {("DUPONT", "Dupont SA"), ("LEFEVRE", "Boulangerie Lefèvre & Fils")}


def test_sage_writes_the_client_code_in_the_tiers_column_of_sales_and_bank_lines():
    lines = WRITERS["sage"](month_booked(), SETTINGS).decode("iso-8859-15").splitlines()
    tiers = {(line[0:3].strip(), line[11:24].strip(), line[25:38].strip()) for line in lines if line[25:38].strip()}
    assert tiers == {("HA", "401", "PAPETERIEMART"), ("HA", "401", "HETZNERONLINE"), ("VT", "411", "DUPONT"),
                     ("VT", "411", "LEFEVRE"), ("BQ", "411", "LEFEVRE"), ("BQ", "411", "DUPONT")}


def test_ciel_gives_a_tiers_code_back_the_collective_account_of_its_journal():
    settings = replace(SETTINGS, supplier_account="4010", client_account="4110")
    read = read_export("ciel", WRITERS["ciel"](month_booked(), settings), settings)
    tiers = {(entry.journal, line.account, line.aux_account)
             for entry in read for line in entry.lines if line.aux_account}
    assert tiers == {("HA", "4010", "PAPETERIEMA"), ("HA", "4010", "HETZNERONLI"), ("VT", "4110", "DUPONT"),
                     ("VT", "4110", "LEFEVRE"), ("BQ", "4110", "DUPONT"), ("BQ", "4110", "LEFEVRE")}


def test_quickbooks_numbers_each_journal_entry_as_the_fec_and_names_the_tiers():
    data = WRITERS["quickbooks"](month_booked(), SETTINGS).decode("utf-8")
    rows = [line.split(",") for line in data.splitlines()]
    assert rows[0] == ["Journal No.", "Journal Date", "Memo", "Account Name", "Debits", "Credits", "Description", "Name"]
    payment = [row for row in rows if row[0] == "BQ000005"]
    label = "Règlement Dupont SA FA2026-0012"
    assert payment == [["BQ000005", "20/04/2026", "FA2026-0012", "512", "1411.00", "", label, ""],
                       ["BQ000005", "20/04/2026", "FA2026-0012", "411", "", "1411.00", label, "Dupont SA"]]


def test_quickbooks_reads_a_journal_code_holding_a_digit_back_from_the_number():
    settings = replace(SETTINGS, purchase_journal="HA2")
    entry = replace(month_entries()[0], journal="HA2")
    read = read_quickbooks(WRITERS["quickbooks"](number_entries([entry], MONTH_BOOKED_ON), settings), settings)
    assert [entry.journal for entry in read] == ["HA2"]


def test_quickbooks_refuses_a_journal_number_of_no_configured_journal():
    data = WRITERS["quickbooks"](month_booked(), SETTINGS).replace(b"VT000003", b"OD000003")
    with pytest.raises(ReadError, match="OD000003"):
        read_quickbooks(data, SETTINGS)


def test_quickbooks_journal_entries_leave_nothing_out_and_the_bills_file_counts_what_it_leaves():
    booked = month_booked()
    _, entries, lines, skipped = write_entries("quickbooks", booked, SETTINGS)
    assert (entries, lines, skipped) == (8, 26, 0)
    _, entries, lines, skipped = write_entries("quickbooks-bills", booked, SETTINGS)
    assert (entries, lines, skipped) == (2, 2, 6)


def test_lettering_is_dropped_where_the_format_has_no_column_for_it():
    for format_name in ("sage", "ciel", "quickbooks"):
        read = read_export(format_name, WRITERS[format_name](month_booked(), SETTINGS), SETTINGS)
        assert {(line.lettering, line.lettered_on) for entry in read for line in entry.lines} == {("", None)}
    read = read_export("fec", WRITERS["fec"](month_booked(), SETTINGS), SETTINGS)
    assert {(line.lettering, line.lettered_on) for entry in read for line in entry.lines} == {
        ("", None), ("A", date(2026, 4, 20))}
