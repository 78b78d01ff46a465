"""The documented CSV layout: French and English headers, both separators, both amount styles."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from payments.csv_statement import amount_of
from payments.statement_model import StatementError
from payments.statements import read_statement

FILES = Path(__file__).parent / "files"


def test_a_french_windows_1252_export_with_debit_and_credit_columns_is_read():
    statement = read_statement("releve.csv", (FILES / "releve_banque_fr.csv").read_bytes())
    assert statement.format == "csv"
    assert [(line.booked_on, line.amount) for line in statement.lines] == [
        (date(2026, 11, 3), Decimal("1200.00")),
        (date(2026, 11, 4), Decimal("-45.90")),
        (date(2026, 11, 5), Decimal("850.00")),
        (date(2026, 11, 6), Decimal("-12.34")),
    ]
    martin = statement.lines[2]
    assert martin.label == "VIR SEPA RECU /DE MARTIN ET FILS; REGLEMENT"
    assert (martin.reference, martin.counterparty) == ("FA 2026 0013", "Martin & Fils")
    assert statement.lines[3].label == "COMMISSION D'INTERVENTION"


def test_an_english_comma_separated_export_with_a_signed_amount_and_bom_is_read():
    statement = read_statement("statement.csv", (FILES / "statement_en.csv").read_bytes())
    assert [(line.booked_on, line.amount, line.counterparty) for line in statement.lines] == [
        (date(2026, 11, 3), Decimal("1200.00"), "Durand SARL"),
        (date(2026, 11, 4), Decimal("-45.90"), "EDF SA"),
        (date(2026, 11, 5), Decimal("850"), "Martin et Fils"),
    ]


@pytest.mark.parametrize(
    ("written", "expected"),
    [("1 234,56", "1234.56"), ("1\u202f234,56 €", "1234.56"), ("1.234,56", "1234.56"), ("1,234.56", "1234.56"),
     ("-1234.56", "-1234.56"), ("12,5", "12.5"), ("+80", "80"), ("1 234", "1234")],
)
def test_amounts_are_read_in_french_and_english_writing(written, expected):
    assert amount_of(written, 2) == Decimal(expected)


@pytest.mark.parametrize("written", ["1,234,56", "12.345.6", "douze", "1 23,45", "1.5.0"])
def test_ambiguous_amounts_are_refused(written):
    with pytest.raises(StatementError):
        amount_of(written, 2)


@pytest.mark.parametrize(
    ("content", "french"),
    [
        ("Date;Libellé;Solde\n03/11/2026;VIR;10,00\n", "En-tête CSV non reconnu"),
        ("Date;Libellé;Montant;Débit;Crédit\n03/11/2026;VIR;10,00;;\n", "En-tête CSV non reconnu"),
        ("Date;Libellé;Montant\n2026/11/03;VIR;10,00\n", "Ligne 2 du CSV : date illisible"),
        ("Date;Libellé;Montant\n03/11/2026;VIR;dix\n", "Ligne 2 du CSV : montant illisible"),
        ("Date;Libellé;Débit;Crédit\n03/11/2026;VIR;5,00;10,00\n", "remplir soit Débit, soit Crédit"),
        ("Date;Libellé;Montant\n03/11/2026;VIR\n", "colonnes manquantes"),
        ("Date;Date;Libellé;Montant\n", "apparaît deux fois"),
    ],
)
def test_a_csv_that_cannot_be_read_is_refused_with_a_french_reason(content, french):
    with pytest.raises(StatementError) as refused:
        read_statement("releve.csv", content.encode("utf-8"))
    assert french in refused.value.french and refused.value.english


def test_a_bank_export_with_lines_before_its_header_and_currency_in_column_names_is_read():
    export = ("Compte courant n° 00012345678;;;\n"
              "Période du 01/11/2026 au 30/11/2026;;;\n"
              ";;;\n"
              "Date de l'opération;Libellé de l'opération;Détail de l'écriture;Débit (EUR);Crédit (EUR)\n"
              "03/11/2026;VIR SEPA RECU;DE DURAND BTP REF FA2026-0012;;1 200,00\n"
              "04/11/2026;PRLV SEPA EDF;ECH 041126;45,90;\n").encode("cp1252")
    statement = read_statement("export.csv", export)
    assert [(line.booked_on, line.amount) for line in statement.lines] == [
        (date(2026, 11, 3), Decimal("1200.00")), (date(2026, 11, 4), Decimal("-45.90"))]
    assert "FA2026-0012" in statement.lines[0].label


def test_an_online_bank_export_with_times_and_english_names_is_read():
    export = ("Settlement date (UTC),Counterparty name,Total amount (incl. VAT),Currency,Reference\n"
              "2026-11-03 10:22:41,DURAND BTP,1200.00,EUR,FA2026-0012\n").encode("utf-8")
    (line,) = read_statement("qonto.csv", export).lines
    assert (line.booked_on, line.amount, line.counterparty, line.reference) == (
        date(2026, 11, 3), Decimal("1200.00"), "DURAND BTP", "FA2026-0012")
