"""Each format against its golden file, and read back by a parser written from its specification."""

from dataclasses import replace
from decimal import Decimal as D

import pytest

from accounting.entries import number_entries, unbalanced
from accounting.exports import WRITERS, read_export, write_entries
from accounting.formats import ExportError, ReadError
from accounting.read_fec import read_fec
from accounting.read_sage import read_sage
from tests.accounting import carried
from tests.accounting.samples import BOOKED_ON, GOLDEN, GOLDEN_FILES, SETTINGS, sample_booked, sample_entries

CARRIED = carried.CARRIED


@pytest.mark.parametrize("format_name", list(WRITERS))
def test_output_is_the_golden_file_byte_for_byte(format_name):
    expected = (GOLDEN / GOLDEN_FILES[format_name]).read_bytes()
    assert WRITERS[format_name](sample_booked(), SETTINGS) == expected


@pytest.mark.parametrize("format_name", list(WRITERS))
def test_read_back_gives_the_original_entries_balanced(format_name):
    read = read_export(format_name, WRITERS[format_name](sample_booked(), SETTINGS), SETTINGS)
    assert read == [CARRIED[format_name](entry) for entry in sample_entries()]
    assert unbalanced(read) == []


@pytest.mark.parametrize("format_name", list(WRITERS))
def test_golden_file_read_back_balances_per_entry_and_overall(format_name):
    read = read_export(format_name, (GOLDEN / GOLDEN_FILES[format_name]).read_bytes(), SETTINGS)
    assert len(read) == len(sample_entries())
    assert unbalanced(read) == []


def test_fec_has_the_eighteen_columns_tab_separated_with_comma_decimals_in_latin9():
    data = WRITERS["fec"](sample_booked(), SETTINGS)
    rows = [line.split("\t") for line in data.decode("iso-8859-15").split("\r\n") if line]
    assert rows[0][:3] == ["JournalCode", "JournalLib", "EcritureNum"] and len(rows[0]) == 18
    assert all(len(row) == 18 for row in rows)
    electricity = next(row for row in rows if row[4] == "6061")
    assert (electricity[2], electricity[3], electricity[11], electricity[15]) == ("HA000002", "20260305", "1234,56", "20260331")
    assert "Énergie".encode("iso-8859-15") in data


def test_fec_can_be_written_in_utf8():
    settings = replace(SETTINGS, fec_encoding="UTF-8")
    data = WRITERS["fec"](sample_booked(), settings)
    assert "Müller".encode("utf-8") in data
    assert read_fec(data, "UTF-8") == [carried.by_fec(entry) for entry in sample_entries()]


def test_a_character_latin9_lacks_is_spelled_not_lost():
    entry = sample_entries()[0]
    odd = replace(entry, lines=tuple(replace(line, label=line.label + " – œuvre") for line in entry.lines))
    data = WRITERS["fec"](number_entries([odd], BOOKED_ON), SETTINGS)
    assert "- œuvre" in data.decode("iso-8859-15")


def test_a_tab_in_a_label_does_not_shift_the_columns():
    entry = sample_entries()[0]
    tabbed = replace(entry, lines=tuple(replace(line, label="A\tB\nC") for line in entry.lines))
    read = read_fec(WRITERS["fec"](number_entries([tabbed], BOOKED_ON), SETTINGS))
    assert {line.label for line in read[0].lines} == {"A B C"}


def test_quickbooks_bills_leaves_out_entries_of_other_journals_and_says_how_many():
    booked = sample_booked()
    sales = replace(booked[0], entry=replace(booked[0].entry, journal=SETTINGS.sales_journal))
    _, entries, _, skipped = write_entries("quickbooks-bills", [sales, *booked[1:]], SETTINGS)
    assert (entries, skipped) == (len(booked) - 1, 1)


def test_ciel_refuses_a_journal_code_longer_than_two_characters():
    booked = sample_booked()
    long_code = replace(booked[0], entry=replace(booked[0].entry, journal="ACH"))
    with pytest.raises(ExportError, match="ACH"):
        WRITERS["ciel"]([long_code], SETTINGS)


def test_a_fixed_width_line_of_the_wrong_length_is_refused_with_its_line_number():
    data = WRITERS["sage"](sample_booked(), SETTINGS).replace(b"N0000002", b"N000002", 1)
    with pytest.raises(ReadError, match="line 4"):
        read_sage(data)


def test_a_fec_file_with_columns_out_of_order_is_refused():
    data = WRITERS["fec"](sample_booked(), SETTINGS).replace(b"JournalCode\tJournalLib", b"JournalLib\tJournalCode", 1)
    with pytest.raises(ReadError, match="18 columns"):
        read_fec(data)


def test_an_amount_wider_than_cields_column_is_refused_not_cut():
    entry = sample_entries()[0]
    huge = replace(entry, lines=(replace(entry.lines[0], debit=D("12345678901.00")),
                                 replace(entry.lines[-1], credit=D("12345678901.00"))))
    with pytest.raises(ExportError, match="13"):
        WRITERS["ciel"](number_entries([huge], BOOKED_ON), SETTINGS)


def test_sage_analytic_lines_add_nothing_to_the_read_back():
    lines = WRITERS["sage"](sample_booked(), SETTINGS).split(b"\r\n")
    analytic = lines[0][:24] + b"A" + b"SECTION01    " + lines[0][38:]
    with_analytic = b"\r\n".join([lines[0], analytic, *lines[1:]])
    assert read_sage(with_analytic) == read_sage(b"\r\n".join(lines))
