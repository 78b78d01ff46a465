"""`archive export`: the archive as a zip anyone can check with sha256sum and the manifest alone."""

import zipfile
from pathlib import Path

from gateway.db import Database
from gateway.models import as_utc, utcnow
from invoicing.archive import (
    GENESIS_HASH,
    canonical_json,
    entry_batches,
    invoice_record,
    invoices_by_number,
    verify_chain,
)
from invoicing.models import ArchiveEntry, Invoice
from invoicing.pdf_store import file_stem

FORMAT = "invoice-gateway-archive/1"
# How a reader recomputes each link, written into the manifest so the zip explains itself.
CHAIN_RULE = (
    "chain_hash = sha256(previous_hash + '\\n' + seq + '\\n' + number + '\\n' + event + '\\n' + "
    "content_sha256 + '\\n' + created_at), UTF-8, hex; the first previous_hash is genesis_hash. "
    "content_sha256 is the sha256 of the entry's file: records/<number>.txt for 'issued' "
    "(the row's fixed columns as canonical JSON, a newline, the document snapshot), "
    "pdf/<number>.pdf for 'rendered'."
)


def write_archive_zip(database: Database, path: Path) -> dict:
    """Write every sealed record and PDF plus manifest.json; return the manifest."""
    alteration = verify_chain(database)
    entries, head = [], {"seq": 0, "hash": GENESIS_HASH}
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive, database.sessions() as session:
        for batch in entry_batches(session):
            invoices = invoices_by_number(session, {entry.number for entry in batch})
            for entry in batch:
                entries.append(_manifest_entry(archive, entry, invoices.get(entry.number)))
                head = {"seq": entry.seq, "hash": entry.chain_hash}
        manifest = {
            "format": FORMAT,
            "exported_at": utcnow().isoformat(),
            "genesis_hash": GENESIS_HASH,
            "chain_rule": CHAIN_RULE,
            "head": head,
            "intact": alteration is None,
            "first_alteration": None if alteration is None else alteration.__dict__,
            "entries": entries,
        }
        archive.writestr("manifest.json", canonical_json(manifest))
    return manifest


def _manifest_entry(archive: zipfile.ZipFile, entry: ArchiveEntry, invoice: Invoice | None) -> dict:
    file_name = _write_content(archive, entry, invoice) if invoice is not None else ""
    return {
        "seq": entry.seq,
        "number": entry.number,
        "event": entry.event,
        "file": file_name,
        "sha256": entry.content_sha256,
        "previous_hash": entry.previous_hash,
        "chain_hash": entry.chain_hash,
        "created_at": as_utc(entry.created_at).isoformat(),
        "kind": invoice.kind if invoice else "",
        "issue_date": invoice.issue_date.isoformat() if invoice else "",
    }


def _write_content(archive: zipfile.ZipFile, entry: ArchiveEntry, invoice: Invoice) -> str:
    safe = file_stem(entry.number)
    if entry.event == "issued":
        name = f"records/{safe}.txt"
        archive.writestr(name, invoice_record(invoice))
        return name
    if invoice.pdf is None:
        return ""
    name = f"pdf/{safe}.pdf"
    archive.writestr(name, invoice.pdf)
    return name
