"""A bank statement mailed to the gateway: credits pay the invoices they name, the rest is listed back."""

from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest

from invoicing.issue import today_in
from tests.helpers import GATEWAY_ADDRESS, STAFF, deliver
from tests.receivables.clock import issue, receivable


def _statement_mail(filename: str, data: bytes, subtype: str = "octet-stream") -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = STAFF, GATEWAY_ADDRESS, "Relevé de la semaine"
    message["Message-ID"] = make_msgid(domain="exemple.test")
    message.set_content("Bonjour,\nle relevé ci-joint.\n")
    maintype, _, sub = subtype.partition("/") if "/" in subtype else ("application", "", subtype)
    message.add_attachment(data, maintype=maintype, subtype=sub, filename=filename)
    return message.as_bytes()


def _csv(lines: list[str]) -> bytes:
    return ("Date;Libellé;Référence;Montant;Contrepartie\n" + "\n".join(lines) + "\n").encode("utf-8")


def _camt(number: str, amount: str, booked: date) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>STMT-1</MsgId><CreDtTm>{booked}T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S1</Id><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct>
<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{booked}</Dt></BookgDt>
<AcctSvcrRef>REF-{number}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>DURAND BTP</Nm></Dbtr></RltdPties>
<RmtInf><Ustrd>REGLEMENT {number}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>""".encode()


def test_a_csv_statement_pays_the_invoices_it_names_and_lists_the_rest(gateway):
    today = today_in(gateway.config)
    paid = issue(gateway, today - timedelta(days=40))
    partly = issue(gateway, today - timedelta(days=35))
    data = _csv([f"{today:%d/%m/%Y};VIR SEPA DURAND BTP;{paid};1 200,00;DURAND BTP",
                 f"{today:%d/%m/%Y};VIR SEPA DURAND BTP {partly};;500,00;DURAND BTP",
                 f"{today:%d/%m/%Y};VIR INCONNU;;77,00;SOCIETE X",
                 f"{today:%d/%m/%Y};PRLV EDF;;-45,90;EDF"])
    mail, outbox = deliver(gateway, _statement_mail("releve.csv", data, "text/csv"))
    assert (mail.status, mail.route) == ("processed", "statement")
    assert receivable(gateway, paid).state == "paid"
    assert (receivable(gateway, partly).state, receivable(gateway, partly).outstanding) == ("open", "700.00")
    result = next(row for row in outbox if row.template == "statement_result")
    assert "VIR INCONNU" in result.body_text and "77,00" in result.body_text
    assert any(row.template == "payment_thanks" for row in outbox)


def test_the_same_statement_mailed_twice_pays_nothing_twice(gateway):
    today = today_in(gateway.config)
    number = issue(gateway, today - timedelta(days=40))
    data = _csv([f"{today:%d/%m/%Y};VIR DURAND BTP;{number};600,00;DURAND BTP"])
    deliver(gateway, _statement_mail("releve.csv", data, "text/csv"))
    deliver(gateway, _statement_mail("releve.csv", data, "text/csv"))
    assert receivable(gateway, number).outstanding == "600.00"


def test_a_camt053_statement_is_read_and_matched(gateway):
    today = today_in(gateway.config)
    number = issue(gateway, today - timedelta(days=40))
    mail, outbox = deliver(gateway, _statement_mail("camt.xml", _camt(number, "1200.00", today), "application/xml"))
    assert mail.route == "statement"
    assert receivable(gateway, number).state == "paid"


def test_an_unreadable_statement_gets_a_clear_reason(gateway):
    broken = _csv(["pas une date;VIR;;abc;X"])
    mail, outbox = deliver(gateway, _statement_mail("releve.csv", broken, "text/csv"))
    assert mail.status == "processed"
    (result,) = [row for row in outbox if row.template == "statement_result"]
    assert "releve.csv" in result.body_text


STATEMENTS = Path(__file__).parents[1] / "payments" / "files"


@pytest.mark.parametrize("filename", ["releve_camt053.xml", "releve_cfonb120.txt", "releve_ofx102.ofx",
                                      "releve_ofx220.ofx", "releve_banque_fr.csv", "statement_en.csv"])
def test_each_statement_format_mailed_to_the_gateway_pays_the_invoice_it_names(gateway, filename):
    # The bank files of tests/payments name FA2026-0012: issue twelve invoices in 2026.
    numbers = [issue(gateway, date(2026, 10, 15)) for _ in range(12)]
    assert numbers[-1] == "FA2026-0012"
    mail, outbox = deliver(gateway, _statement_mail(filename, (STATEMENTS / filename).read_bytes()))
    assert (mail.status, mail.route) == ("processed", "statement")
    state = receivable(gateway, "FA2026-0012")
    assert state.paid != "0.00"
    assert any(row.template == "statement_result" for row in outbox)
