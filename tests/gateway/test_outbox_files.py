"""Files sent with outgoing mail: bytes kept beside the row, issued PDFs attached when the mail leaves."""

import email
from email.policy import default

from sqlalchemy import select

from gateway.compose import build_message
from gateway.delivery import deliver
from gateway.models import Outbox
from gateway.outbox_files import OutgoingFile, attach, load_attachments
from invoicing.models import Invoice
from tests.invoicing.issuing import issue_without_pdf


def write_row(gateway, files: list[OutgoingFile]) -> int:
    with gateway.database.transaction() as session:
        row = Outbox(kind="generated", template="test", message_id="<outbox-files@exemple.test>",
                     sender="factures@exemple.test", recipients=["client@client.example"], cc=["marie@exemple.test"],
                     subject="Votre facture", body_text="Bonjour,\nvoici votre facture.\n", body_html="<p>Bonjour</p>",
                     status="pending", attempts=0, last_error="", delivered_as="")
        session.add(row)
        session.flush()
        attach(session, row.id, files)
        return row.id


def delivered_message(gateway, outbox_id: int):
    deliver(gateway, outbox_id)
    with gateway.database.sessions() as session:
        row = session.get(Outbox, outbox_id)
    assert row.status == "sent", row.last_error
    with open(row.delivered_as, "rb") as handle:
        return email.message_from_binary_file(handle, policy=default)


def test_a_file_kept_with_the_row_is_attached_and_the_copy_is_byte_for_byte_the_same(gateway):
    outbox_id = write_row(gateway, [OutgoingFile("export.csv", "text/csv", b"a;b\r\n1;2\r\n")])
    message = delivered_message(gateway, outbox_id)
    attachments = list(message.iter_attachments())
    assert [(part.get_filename(), part.get_content_type()) for part in attachments] == [("export.csv", "text/csv")]
    assert attachments[0].get_payload(decode=True) == b"a;b\r\n1;2\r\n"
    assert message["Cc"] == "marie@exemple.test"
    with gateway.database.sessions() as session:
        row = session.get(Outbox, outbox_id)
    files = load_attachments(gateway, outbox_id)
    assert build_message(row, "marker", files) == build_message(row, "marker", files)


def test_an_issued_invoice_is_rendered_at_delivery_and_its_stored_pdf_attached(gateway):
    number = issue_without_pdf(gateway)
    outbox_id = write_row(gateway, [OutgoingFile(f"{number}.pdf", invoice_number=number)])
    message = delivered_message(gateway, outbox_id)
    with gateway.database.sessions() as session:
        invoice = session.scalars(select(Invoice).where(Invoice.number == number)).one()
    assert invoice.status == "rendered"
    (pdf,) = [part for part in message.iter_attachments()]
    assert pdf.get_filename() == f"{number}.pdf"
    assert pdf.get_payload(decode=True) == invoice.pdf


def test_a_file_naming_no_issued_document_ends_the_row_as_failed_with_the_reason(gateway):
    outbox_id = write_row(gateway, [OutgoingFile("FA2099-9999.pdf", invoice_number="FA2099-9999")])
    assert deliver(gateway, outbox_id) == "failed"
    with gateway.database.sessions() as session:
        row = session.get(Outbox, outbox_id)
    assert "FA2099-9999" in row.last_error
