"""The PDF of an issued document: rendered after the commit, stored, sealed in the archive, retried."""

import logging
import os
import re
from pathlib import Path

from gateway.config import Config
from gateway.db import Database
from gateway.models import utcnow
from invoicing.archive import append_entry, lock_chain, sha256_hex
from invoicing.stored import find_invoice, stored_document

log = logging.getLogger(__name__)
# One warm renderer per process: WeasyPrint's fonts and templates load once (≈ 0.5 s saved each).
# A single slot: a process works for one configuration (tests make many; none is kept for ever).
_warm: list = [None, None]


def shared_renderer(config: Config):
    from invoicing.render import InvoiceRenderer

    if _warm[0] is not config:
        _warm[:] = [config, InvoiceRenderer(config)]
    return _warm[1]


def render_and_store(database: Database, config: Config, number: str, renderer=None) -> bool:
    """Render and keep the PDF of `number` unless it already has one; False when rendering failed.

    A failure is recorded on the row (attempts, reason) and never touches the number.
    """
    with database.sessions() as session:
        invoice = find_invoice(session, number)
        if invoice.status == "rendered":
            return True
        document = stored_document(invoice)
    try:
        pdf = (renderer or shared_renderer(config)).render_pdf(document)
    except Exception as error:  # noqa: BLE001 - any rendering failure leaves the row to retry
        log.exception("rendering %s failed", number)
        _record_failure(database, number, f"{type(error).__name__}: {error}")
        return False
    _store_pdf(database, config, number, pdf)
    return True


def _store_pdf(database: Database, config: Config, number: str, pdf: bytes) -> None:
    with database.transaction() as session:
        lock_chain(session)
        # The row lock makes a second renderer (render_pending on another machine) find it done.
        invoice = find_invoice(session, number, lock=True)
        if invoice.status == "rendered":
            return
        path = write_pdf_file(config.invoice_pdf_dir, number, pdf)
        digest = sha256_hex(pdf)
        invoice.pdf, invoice.pdf_sha256, invoice.pdf_path = pdf, digest, str(path)
        invoice.status, invoice.rendered_at, invoice.render_error = "rendered", utcnow(), ""
        invoice.render_attempts += 1
        append_entry(session, number, "rendered", digest)


def _record_failure(database: Database, number: str, reason: str) -> None:
    with database.transaction() as session:
        invoice = find_invoice(session, number, lock=True)
        invoice.render_attempts += 1
        invoice.render_error = reason[:2000]


def file_stem(number: str) -> str:
    """A document number as a file name: patterns may hold slashes ("FA/2026/0001"), names may not."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", number)


def write_pdf_file(folder: Path, number: str, pdf: bytes) -> Path:
    """Write the PDF whole or not at all (temporary file, fsync, rename)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = (folder / f"{file_stem(number)}.pdf").resolve()
    temporary = path.with_suffix(".pdf.tmp")
    with open(temporary, "wb") as handle:
        handle.write(pdf)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return path
