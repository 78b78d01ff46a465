"""Format detection by content, the limits, and repeated lines told apart."""

from pathlib import Path

import pytest

from payments.statement_model import StatementError
from payments.statements import MAX_BYTES, MAX_LINES, read_statement, sniff

FILES = Path(__file__).parent / "files"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("releve_camt053.xml", "camt053"), ("releve_cfonb120.txt", "cfonb120"), ("releve_ofx102.ofx", "ofx"),
     ("releve_ofx220.ofx", "ofx"), ("releve_banque_fr.csv", "csv"), ("statement_en.csv", "csv")],
)
def test_each_format_is_recognised_by_content_whatever_the_file_is_called(name, expected):
    assert sniff("piece-jointe.dat", (FILES / name).read_bytes()) == expected


CII = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">
<rsm:ExchangedDocument><ram:ID>FA2026-0012</ram:ID></rsm:ExchangedDocument></rsm:CrossIndustryInvoice>"""
UBL = b"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:ID>FA2026-0012</cbc:ID><cbc:IssueDate>2026-11-02</cbc:IssueDate></Invoice>"""


@pytest.mark.parametrize(
    ("name", "data"),
    [("facture.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
     ("factur-x.xml", CII), ("ubl.xml", UBL), ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
     ("notes.txt", "Bonjour, voici le relevé de novembre.\n".encode())],
)
def test_invoices_documents_and_images_are_no_statement(name, data):
    assert sniff(name, data) is None


def test_a_csv_named_file_with_unknown_columns_is_read_so_that_its_sender_learns_why():
    data = b"Jour;Texte;Valeur\n03/11/2026;VIR;10,00\n"
    assert sniff("releve.csv", data) == "csv"
    with pytest.raises(StatementError):
        read_statement("releve.csv", data)


def test_a_file_that_is_no_statement_is_refused_in_french():
    with pytest.raises(StatementError) as refused:
        read_statement("facture.pdf", b"%PDF-1.7\n")
    assert "n'est pas un relevé accepté" in refused.value.french


def test_a_statement_over_5_mb_is_refused():
    with pytest.raises(StatementError) as refused:
        read_statement("releve.csv", b"Date;Libelle;Montant\n" + b" " * MAX_BYTES)
    assert "5 Mo" in refused.value.french


def test_a_statement_over_20000_lines_is_refused():
    rows = "".join(f"03/11/2026;VIR {n};1,00\n" for n in range(MAX_LINES + 1))
    with pytest.raises(StatementError) as refused:
        read_statement("releve.csv", ("Date;Libellé;Montant\n" + rows).encode())
    assert "20000 lignes" in refused.value.french


def test_two_identical_transfers_on_one_day_keep_distinct_fingerprints_stable_across_mailings():
    data = b"Date;Libelle;Montant\n03/11/2026;VIR DURAND;100,00\n03/11/2026;VIR DURAND;100,00\n"
    first, second = read_statement("releve.csv", data).lines
    assert first.fingerprint() != second.fingerprint()
    assert second.bank_id == "#2"
    again = read_statement("releve.csv", data).lines
    assert [line.fingerprint() for line in again] == [first.fingerprint(), second.fingerprint()]


def test_a_statement_in_another_currency_is_refused_with_its_reason():
    camt = (FILES / "releve_camt053.xml").read_bytes().replace(b'Ccy="EUR"', b'Ccy="USD"')
    with pytest.raises(StatementError, match="USD"):
        read_statement("releve.xml", camt)
    ofx = (FILES / "releve_ofx220.ofx").read_bytes().replace(b"<CURDEF>EUR</CURDEF>", b"<CURDEF>GBP</CURDEF>")
    with pytest.raises(StatementError, match="GBP"):
        read_statement("releve.ofx", ofx)
