"""camt.053 statements: entries, batches, versions, and what is refused."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from payments.statement_model import StatementError
from payments.statements import read_statement

FILES = Path(__file__).parent / "files"


def test_booked_entries_are_read_with_sign_references_and_debtor():
    statement = read_statement("releve.xml", (FILES / "releve_camt053.xml").read_bytes())
    assert statement.format == "camt053"
    assert statement.account == "FR7630004001230001234567889"
    first, debit, structured = statement.lines[:3]
    assert (first.booked_on, first.amount, first.counterparty) == (date(2026, 11, 3), Decimal("1200.00"), "DURAND SARL")
    assert first.label == "VIR SEPA RECU /DE DURAND SARL"
    assert first.reference == "FACTURE FA2026-0012 / DUR-2026-11-0042"
    assert first.bank_id == "2026110300451287"
    assert debit.amount == Decimal("-45.90") and debit.counterparty == "EDF SA"
    # The structured creditor reference is kept; the NOTPROVIDED end-to-end id is not a reference.
    assert structured.reference == "FA2026-0013"


def test_a_batch_entry_gives_one_line_per_transfer_and_pending_entries_are_left_out():
    lines = read_statement("releve.xml", (FILES / "releve_camt053.xml").read_bytes()).lines
    assert len(lines) == 5
    assert [(line.amount, line.counterparty, line.bank_id) for line in lines[3:]] == [
        (Decimal("100.00"), "LEROY EURL", "2026110600127733/1"),
        (Decimal("200.00"), "BOULANGERIE PETIT", "2026110600127733/2"),
    ]


NEWER_VERSION = b"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-11-07T06:00:00+01:00</CreDtTm></GrpHdr>
<Stmt><Id>S1</Id><Acct><Id><IBAN>FR7612548029981234567890161</IBAN></Id></Acct>
<Ntry><Amt Ccy="EUR">640.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><DtTm>2026-11-05T10:31:00+01:00</DtTm></BookgDt><AcctSvcrRef>X-77</AcctSvcrRef>
<NtryDtls><TxDtls><Amt Ccy="EUR">640.00</Amt><RltdPties><Dbtr><Pty><Nm>Atelier Roux</Nm></Pty></Dbtr></RltdPties>
<RmtInf><Ustrd>FA2026-0021</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>"""


def test_a_newer_camt053_version_reads_the_same():
    statement = read_statement("camt.xml", NEWER_VERSION)
    [line] = statement.lines
    assert statement.account == "FR7612548029981234567890161"
    assert (line.booked_on, line.amount, line.counterparty, line.reference) == (
        date(2026, 11, 5), Decimal("640.00"), "Atelier Roux", "FA2026-0021")


def test_an_entity_declaration_is_refused_without_being_expanded():
    hostile = NEWER_VERSION.replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        b'<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    ).replace(b"FA2026-0021", b"&x;")
    with pytest.raises(StatementError) as refused:
        read_statement("camt.xml", hostile)
    assert "DOCTYPE" in refused.value.french


def test_an_entry_without_direction_is_refused_in_french():
    with pytest.raises(StatementError) as refused:
        read_statement("camt.xml", NEWER_VERSION.replace(b"<CdtDbtInd>CRDT</CdtDbtInd>", b""))
    assert "Sens d'écriture inconnu" in refused.value.french


def test_a_truncated_camt053_is_refused_in_french():
    with pytest.raises(StatementError) as refused:
        read_statement("camt.xml", NEWER_VERSION[:400])
    assert "XML est illisible" in refused.value.french
