"""OFX statements, 1.x SGML and 2.x XML, as French banks export them."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from payments.statement_model import StatementError
from payments.statements import read_statement

FILES = Path(__file__).parent / "files"


def test_an_ofx_102_sgml_export_is_read_despite_a_long_name_and_a_decimal_comma():
    statement = read_statement("releve.ofx", (FILES / "releve_ofx102.ofx").read_bytes())
    assert statement.format == "ofx"
    assert statement.account == "00012345678"
    assert [(line.booked_on, line.amount, line.bank_id) for line in statement.lines] == [
        (date(2026, 11, 3), Decimal("1200.00"), "0UYR3PB7N8"),
        (date(2026, 11, 4), Decimal("-45.90"), "0UYR3PB7N9"),
        (date(2026, 11, 5), Decimal("850.00"), "0UYR3PB7NA"),
    ]
    assert statement.lines[0].label == "VIR SEPA RECU /DE DURAND SARL /MOTIF FA2026-0012 / REF DUR-2026-11-0042"


def test_an_ofx_220_xml_export_gives_payee_and_reference():
    statement = read_statement("releve.ofx", (FILES / "releve_ofx220.ofx").read_bytes())
    credit, fee = statement.lines
    assert (credit.booked_on, credit.amount) == (date(2026, 11, 3), Decimal("1200.00"))
    assert credit.counterparty == "DURAND SARL"
    assert credit.reference == "DUR-2026-11-0042"
    assert credit.label == "VIR SEPA RECU FACTURE FA2026-0012"
    assert (fee.amount, fee.bank_id) == (Decimal("-12.34"), "2026110600000412")


def test_a_broken_ofx_is_refused_in_french():
    data = (FILES / "releve_ofx102.ofx").read_bytes().replace(b"VERSION:102", b"VERSION:")
    with pytest.raises(StatementError) as refused:
        read_statement("releve.ofx", data)
    assert "OFX est illisible" in refused.value.french


def test_an_unreadable_ofx_amount_is_refused_in_french():
    data = (FILES / "releve_ofx220.ofx").read_bytes().replace(b"<TRNAMT>-12.34", b"<TRNAMT>douze")
    with pytest.raises(StatementError) as refused:
        read_statement("releve.ofx", data)
    assert "Montant OFX illisible" in refused.value.french
