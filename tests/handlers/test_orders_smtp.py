"""Orders end to end: `serve` as a user runs it, orders in by real SMTP, invoices out in the Maildir."""

import email
import io
import signal
import smtplib
import time
import uuid
from email.message import EmailMessage
from email.policy import SMTP, default

import facturx
import pytest
from lxml import etree

from tests.gateway.test_serve import ServeProcess
from tests.handlers.orders_support import CLIENT, EXAMPLE_ORDER
from tests.helpers import GATEWAY_ADDRESS, STAFF, free_port
from tests.orders.samples import ALIGNED_TABLE, CSV_SEMICOLON, JSON_ORDER, TAB_TABLE, csv_file, json_file

pytestmark = pytest.mark.slow

MANAGER = "direction@exemple.test"
NS = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}
BIG_ORDER = EXAMPLE_ORDER.replace("- 3 x Audit sécurité", "- 9 x Audit sécurité")


@pytest.fixture(scope="module")
def serve(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("orders_smtp") / "var"
    var_dir.mkdir()
    running = ServeProcess(var_dir, free_port(), {
        "GATEWAY_MAIL__MANAGER": MANAGER, "GATEWAY_APPROVALS__MANAGER_THRESHOLD": "10000.00"}).start()
    yield running
    running.kill(signal.SIGTERM)


def send(serve, body: str, bcc: bool = False, sender: str = STAFF, to: str = CLIENT, subject: str = "Votre commande",
         attachments=(), recipient: str = GATEWAY_ADDRESS, reply_to_id: str = "") -> str:
    """Send one mail over SMTP to the gateway only (the client gets the salesperson's own copy); its Message-ID."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    if not bcc and recipient == GATEWAY_ADDRESS:
        message["Cc"] = GATEWAY_ADDRESS
    message["Message-ID"] = message_id = f"<{uuid.uuid4().hex}@exemple.test>"
    if reply_to_id:
        message["In-Reply-To"] = message["References"] = reply_to_id
    message.set_content(body)
    for file in attachments:
        maintype, _, subtype = file.content_type.partition("/")
        message.add_attachment(file.data, maintype=maintype, subtype=subtype, filename=file.filename)
    with smtplib.SMTP("127.0.0.1", serve.port, timeout=10) as client:
        client.sendmail(sender, [recipient], message.as_bytes(policy=SMTP))
    return message_id


def delivered(serve) -> list[email.message.EmailMessage]:
    folder = serve.config().maildir / "new"
    paths = sorted(folder.iterdir()) if folder.is_dir() else []
    return [email.message_from_bytes(path.read_bytes(), policy=default) for path in paths]


def wait_for(serve, condition, what: str, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [message for message in delivered(serve) if condition(message)]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def answering(message_id: str, template_words: str = ""):
    return lambda message: message_id in str(message["In-Reply-To"] or "") and template_words in str(message["Subject"])


def facturx_totals(message) -> dict[str, str]:
    pdfs = [part.get_content() for part in message.iter_attachments() if part.get_filename().startswith("FA")]
    _, xml = facturx.get_facturx_xml_from_pdf(io.BytesIO(pdfs[0]), check_xsd=False)
    summation = etree.fromstring(xml).find(".//ram:SpecifiedTradeSettlementHeaderMonetarySummation", NS)
    return {etree.QName(child).localname: child.text for child in summation}


def test_example_order_in_cc_then_in_bcc_reaches_the_client_with_its_factur_x_amounts(serve):
    for bcc in (False, True):
        order_id = send(serve, EXAMPLE_ORDER, bcc=bcc)
        invoice = wait_for(serve, answering(order_id, "Facture"), f"the invoice mail (bcc={bcc})")
        assert invoice["To"] == CLIENT and invoice["Cc"] == STAFF
        assert invoice["Auto-Submitted"] == "auto-generated"
        totals = facturx_totals(invoice)
        assert (totals["TaxBasisTotalAmount"], totals["TaxTotalAmount"], totals["GrandTotalAmount"],
                totals["DuePayableAmount"]) == ("4450.00", "890.00", "5340.00", "4840.00")


@pytest.mark.parametrize("body, files", [
    (TAB_TABLE, ()), (ALIGNED_TABLE, ()),
    ("Bonjour,\n\nLa commande en pièce jointe.\n", (csv_file(CSV_SEMICOLON),)),
    ("Hello,\n\nThe order is attached.\n", (json_file(JSON_ORDER),)),
], ids=["tab_table", "aligned_table", "csv", "json"])
def test_every_order_format_gives_an_invoice_of_4450_ht(serve, body, files):
    order_id = send(serve, body, attachments=files)
    invoice = wait_for(serve, answering(order_id, "Facture"), "the invoice mail")
    assert facturx_totals(invoice)["TaxBasisTotalAmount"] == "4450.00"


def test_a_missing_line_is_asked_to_the_salesperson_then_the_answer_issues_the_invoice(serve):
    order_id = send(serve, EXAMPLE_ORDER.replace("- 10 h Développement à 85 € HT", "- Développement, voir devis"))
    question = wait_for(serve, answering(order_id, "à compléter"), "the question to the salesperson")
    assert question["To"] == STAFF and question["Cc"] is None
    token_address = email.utils.parseaddr(str(question["From"]))[1]
    send(serve, "- 10 h Développement à 85 € HT\n", to=token_address, recipient=token_address,
         subject=f"Re: {question['Subject']}", reply_to_id=question["Message-ID"])
    invoice = wait_for(serve, answering(order_id, "Facture"), "the invoice after the answer")
    assert invoice["To"] == CLIENT and facturx_totals(invoice)["GrandTotalAmount"] == "5340.00"


def test_an_order_from_a_stranger_gets_nothing(serve):
    stranger_id = send(serve, EXAMPLE_ORDER, sender="vendeur@ailleurs.example")
    # A later order of the staff is answered: by then the stranger's would have been too.
    order_id = send(serve, EXAMPLE_ORDER)
    wait_for(serve, answering(order_id, "Facture"), "the staff's invoice")
    assert not [message for message in delivered(serve) if answering(stranger_id)(message)]


def test_above_the_threshold_the_manager_ok_issues_the_invoice(serve):
    order_id = send(serve, BIG_ORDER)
    ask = wait_for(serve, lambda message: message["To"] == MANAGER and "Accord demandé" in str(message["Subject"])
                   and "9 × Audit" in message.get_body(("plain",)).get_content(), "the manager's question")
    assert not [message for message in delivered(serve) if answering(order_id, "Facture")(message)]
    token_address = email.utils.parseaddr(str(ask["From"]))[1]
    send(serve, "OK\n", sender=MANAGER, to=token_address, recipient=token_address, subject=f"Re: {ask['Subject']}",
         reply_to_id=ask["Message-ID"])
    invoice = wait_for(serve, answering(order_id, "Facture"), "the invoice after the OK")
    # 9 × 1 200 + 10 × 85 = 11 650,00 HT, 13 980,00 TTC.
    assert facturx_totals(invoice)["GrandTotalAmount"] == "13980.00"


def test_avoir_sends_a_credit_note_to_the_client(serve):
    order_id = send(serve, EXAMPLE_ORDER)
    invoice = wait_for(serve, answering(order_id, "Facture"), "the invoice mail")
    number = str(invoice["Subject"]).split()[1]
    send(serve, f"AVOIR {number} 100 HT geste commercial\n", to=GATEWAY_ADDRESS, subject="Avoir")
    credit = wait_for(serve, lambda message: f"sur la facture {number}" in str(message["Subject"]), "the credit note")
    assert credit["To"] == CLIENT and credit["Cc"] == STAFF
    assert [part.get_filename() for part in credit.iter_attachments()][0].startswith("AV")
