"""The archive is tamper-evident: one changed byte of a document, a PDF or a row is named."""

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from invoicing.archive import GENESIS_HASH, export_zip, verify_chain
from invoicing.models import ArchiveEntry, Invoice
from invoicing.pdf_store import render_and_store
from tests.invoicing.issuing import flip_one_byte, issue_without_pdf, tamper


@pytest.fixture(scope="module")
def renderer(tmp_path_factory):
    from invoicing.render import InvoiceRenderer
    from tests.helpers import make_config

    return InvoiceRenderer(make_config(tmp_path_factory.mktemp("render")))


def stored(database, number: str) -> Invoice:
    with database.sessions() as session:
        return session.execute(select(Invoice).where(Invoice.number == number)).scalar_one()


def test_an_untouched_archive_verifies(invoicing_gateway):
    for _ in range(3):
        issue_without_pdf(invoicing_gateway)
    assert verify_chain(invoicing_gateway.database) is None


def test_one_changed_byte_of_a_document_snapshot_names_that_document(invoicing_gateway):
    numbers = [issue_without_pdf(invoicing_gateway) for _ in range(3)]
    document = stored(invoicing_gateway.database, numbers[1]).document
    changed = document.replace("650.00", "650.01", 1)
    assert changed != document
    tamper(invoicing_gateway.database, "UPDATE invoices SET document = :document WHERE number = :number", document=changed, number=numbers[1])
    alteration = verify_chain(invoicing_gateway.database)
    assert alteration.number == numbers[1]
    assert "document" in alteration.reason


def test_a_changed_total_column_is_caught(invoicing_gateway):
    number = issue_without_pdf(invoicing_gateway)
    tamper(invoicing_gateway.database, "UPDATE invoices SET total_incl_tax = '1.00' WHERE number = :number", number=number)
    assert verify_chain(invoicing_gateway.database).number == number


def test_a_changed_archive_link_is_caught(invoicing_gateway):
    numbers = [issue_without_pdf(invoicing_gateway) for _ in range(3)]
    tamper(invoicing_gateway.database, "UPDATE archive_entries SET previous_hash = :fake WHERE seq = 2", fake="f" * 64)
    alteration = verify_chain(invoicing_gateway.database)
    assert (alteration.number, alteration.seq) == (numbers[1], 2)


def test_a_deleted_document_or_link_is_caught(invoicing_gateway):
    numbers = [issue_without_pdf(invoicing_gateway) for _ in range(3)]
    # The intruder first removes what points at the invoice (what the client owes, its history).
    for statement in ("DELETE FROM receivable_events WHERE receivable_id IN (SELECT id FROM receivables WHERE number = :number)",
                      "DELETE FROM receivables WHERE number = :number", "DELETE FROM invoices WHERE number = :number"):
        tamper(invoicing_gateway.database, statement, number=numbers[2])
    assert verify_chain(invoicing_gateway.database).number == numbers[2]
    tamper(invoicing_gateway.database, "DELETE FROM archive_entries WHERE seq = 2")
    alteration = verify_chain(invoicing_gateway.database)
    assert (alteration.number, alteration.seq) == (numbers[1], 2)


def test_the_database_refuses_to_edit_or_delete_an_issued_document(invoicing_gateway):
    number = issue_without_pdf(invoicing_gateway)
    engine = invoicing_gateway.database.engine
    for statement in (
        "UPDATE invoices SET total_incl_tax = '1.00' WHERE number = :number",
        "DELETE FROM invoices WHERE number = :number",
        "UPDATE archive_entries SET content_sha256 = 'x' WHERE number = :number",
        "DELETE FROM archive_entries WHERE number = :number",
    ):
        with pytest.raises(DatabaseError, match="never edited or deleted"):
            with engine.begin() as connection:
                connection.execute(text(statement), {"number": number})
    # What may still move (rendering, transmission) moves.
    with engine.begin() as connection:
        connection.execute(text("UPDATE invoices SET transmission_status = 'sent' WHERE number = :number"), {"number": number})
    assert verify_chain(invoicing_gateway.database) is None


def test_one_changed_byte_of_a_pdf_is_caught_in_the_database_and_on_disk(invoicing_gateway, renderer):
    number = issue_without_pdf(invoicing_gateway)
    assert render_and_store(invoicing_gateway.database, invoicing_gateway.config, number, renderer)
    invoice = stored(invoicing_gateway.database, number)
    assert invoice.status == "rendered" and Path(invoice.pdf_path).read_bytes() == invoice.pdf
    assert verify_chain(invoicing_gateway.database) is None
    path = Path(invoice.pdf_path)
    path.write_bytes(flip_one_byte(invoice.pdf, len(invoice.pdf) // 2))
    assert verify_chain(invoicing_gateway.database).number == number
    path.write_bytes(invoice.pdf)
    tamper(invoicing_gateway.database, "UPDATE invoices SET pdf = :pdf WHERE number = :number", pdf=flip_one_byte(invoice.pdf, 100), number=number)
    alteration = verify_chain(invoicing_gateway.database)
    assert alteration.number == number and "PDF" in alteration.reason


def test_export_gives_a_zip_whose_manifest_rebuilds_the_chain(invoicing_gateway, tmp_path):
    numbers = [issue_without_pdf(invoicing_gateway) for _ in range(2)]
    manifest = export_zip(invoicing_gateway.database, tmp_path / "archive.zip")
    assert manifest["intact"]
    with zipfile.ZipFile(tmp_path / "archive.zip") as archive:
        written = json.loads(archive.read("manifest.json"))
        previous = written["genesis_hash"]
        for entry in written["entries"]:
            assert hashlib.sha256(archive.read(entry["file"])).hexdigest() == entry["sha256"]
            fields = (previous, str(entry["seq"]), entry["number"], entry["event"], entry["sha256"], entry["created_at"])
            assert entry["previous_hash"] == previous
            assert hashlib.sha256("\n".join(fields).encode()).hexdigest() == entry["chain_hash"]
            previous = entry["chain_hash"]
    assert [entry["number"] for entry in written["entries"]] == numbers
    assert written["head"]["hash"] == previous != GENESIS_HASH
    with invoicing_gateway.database.sessions() as session:
        assert session.execute(select(ArchiveEntry.chain_hash).order_by(ArchiveEntry.seq.desc())).scalars().first() == previous
