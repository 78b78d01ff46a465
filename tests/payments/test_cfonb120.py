"""CFONB 120 statements: positions, signed amounts, complements, with or without line breaks."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from payments.cfonb120 import amount_of
from payments.statement_model import StatementError
from payments.statements import read_statement

FILES = Path(__file__).parent / "files"
DATA = (FILES / "releve_cfonb120.txt").read_bytes()


def test_movements_are_read_with_their_complements():
    statement = read_statement("releve.txt", DATA)
    assert statement.format == "cfonb120"
    assert statement.account == "300040012300012345678"
    assert [(line.booked_on, line.amount) for line in statement.lines] == [
        (date(2026, 11, 3), Decimal("1200.00")),
        (date(2026, 11, 4), Decimal("-45.90")),
        (date(2026, 11, 5), Decimal("850.00")),
        (date(2026, 11, 6), Decimal("-12.34")),
    ]
    first = statement.lines[0]
    assert first.label == "VIR SEPA RECU /DE DURAND SARL / PAIEMENT FACTURE FA2026-0012"
    assert first.reference == "FA2026-0012 / E2E-DUR-20261103"
    assert first.counterparty == "DURAND SARL"


def test_records_without_line_breaks_read_the_same():
    assert read_statement("releve.txt", DATA.replace(b"\r\n", b"")).lines == read_statement("releve.txt", DATA).lines


def test_lines_whose_trailing_spaces_were_trimmed_read_the_same():
    trimmed = b"\n".join(line.rstrip() for line in DATA.splitlines())
    assert read_statement("releve.txt", trimmed).lines == read_statement("releve.txt", DATA).lines


@pytest.mark.parametrize(
    ("zone", "decimals", "expected"),
    [("0000000012000{", "2", "1200.00"), ("0000000000459}", "2", "-45.90"), ("0000000000123M", "2", "-12.34"),
     ("0000000069917F", "2", "6991.76"), ("0000000000012I", "0", "129"), ("0000000000001J", "3", "-0.011")],
)
def test_the_last_character_of_an_amount_carries_its_sign_and_last_digit(zone, decimals, expected):
    record = "04".ljust(19) + decimals + " " * 70 + zone + " " * 16
    assert amount_of(record, 1) == Decimal(expected)


def test_a_lost_movement_is_caught_by_the_new_balance():
    lines = DATA.split(b"\r\n")
    without_fees = b"\r\n".join(line for line in lines if b"COMMISSION" not in line)
    with pytest.raises(StatementError) as refused:
        read_statement("releve.txt", without_fees)
    assert "nouveau solde" in refused.value.french


def test_a_file_cut_before_its_new_balance_is_refused():
    with pytest.raises(StatementError) as refused:
        read_statement("releve.txt", b"\r\n".join(DATA.split(b"\r\n")[:5]))
    assert "tronqué" in refused.value.french


def test_a_bad_sign_character_is_refused_in_french():
    with pytest.raises(StatementError) as refused:
        read_statement("releve.txt", DATA.replace(b"0000000000459}", b"0000000000459X"))
    assert "Montant illisible dans l'enregistrement 6" in refused.value.french


def test_an_impossible_date_is_refused_in_french():
    with pytest.raises(StatementError) as refused:
        read_statement("releve.txt", DATA.replace(b"031126  031126", b"321326  031126"))
    assert "Date illisible" in refused.value.french
