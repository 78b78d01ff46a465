"""The tamper-evident archive: every issued document and PDF sealed in one chain of hashes.

Each link hashes its content (the invoice row with its document snapshot when numbered, the PDF
bytes once rendered) together with the previous link's hash. Changing one byte of a document, a
PDF or an archive row breaks the chain from there on; `verify_chain` recomputes it and names the
first document that no longer matches.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.orm import Session

from gateway.db import Database
from gateway.models import as_utc, utcnow
from invoicing.models import ArchiveEntry, ArchiveHead, Invoice

GENESIS_HASH = "0" * 64
HEAD_ID = 1
BATCH = 200
# Any fixed number works: it only has to be the same in every gateway process.
CHAIN_LOCK = 7_340_301
ENTRY_COLUMNS = ("seq", "number", "event", "content_sha256", "previous_hash", "chain_hash", "created_at")
# Built once: they run inside the locked section of every issue.
LOCK_CHAIN = text("SELECT pg_advisory_xact_lock(:key)")
HEADS = ArchiveHead.__table__
LOCK_HEAD = select(HEADS.c.last_seq, HEADS.c.last_hash).where(HEADS.c.id == HEAD_ID).with_for_update()
INSERT_ENTRY = insert(ArchiveEntry.__table__)
MOVE_HEAD = update(HEADS).where(HEADS.c.id == HEAD_ID).values(last_seq=bindparam("new_seq"), last_hash=bindparam("new_hash"))


@dataclass(frozen=True)
class Alteration:
    """The first place where the stored archive differs from what was sealed."""

    number: str
    seq: int
    reason: str


def canonical_json(value) -> str:
    """One spelling for one value: sorted keys, no spaces, UTF-8 kept; what gets hashed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def invoice_record(invoice: Invoice) -> bytes:
    """Everything an issued row fixes for ever, as the bytes that are hashed: columns, then snapshot."""
    fields = {
        "number": invoice.number, "kind": invoice.kind, "series": invoice.series, "seq": invoice.seq,
        "issue_date": invoice.issue_date.isoformat(), "buyer_name": invoice.buyer_name,
        "buyer_email": invoice.buyer_email, "currency": invoice.currency,
        "total_excl_tax": invoice.total_excl_tax, "total_tax": invoice.total_tax,
        "total_incl_tax": invoice.total_incl_tax, "amount_due": invoice.amount_due,
        "corrects_number": invoice.corrects_number or "",
    }
    return canonical_json(fields).encode() + b"\n" + invoice.document.encode()


def invoice_content_hash(invoice: Invoice) -> str:
    return sha256_hex(invoice_record(invoice))


def link_hash(previous_hash: str, entry: ArchiveEntry) -> str:
    created = as_utc(entry.created_at).isoformat()
    text = "\n".join((previous_hash, str(entry.seq), entry.number, entry.event, entry.content_sha256, created))
    return sha256_hex(text.encode())


def lock_chain(session: Session) -> None:
    """Queue for the right to extend the chain; call it first in any transaction that will.

    Every issue and every stored PDF extends the one chain, so they run one at a time anyway. On
    PostgreSQL a transaction-scoped advisory lock makes them wait in a queue, each woken alone,
    instead of all waking on every commit to race for the counter and head rows (which cut the
    throughput by half with eight issuers). It also fixes one lock order: this lock, the counter,
    document rows, the head. SQLite needs nothing: BEGIN IMMEDIATE already serialises writers.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.connection().execute(LOCK_CHAIN, {"key": CHAIN_LOCK})


def append_entry(session: Session, number: str, event: str, content_sha256: str) -> ArchiveEntry:
    """Add a link at the end of the chain; call it inside the transaction that stores the content."""
    # Every append locks the one head row, so concurrent issuers queue up and the links form a line.
    connection = session.connection()
    head = connection.execute(LOCK_HEAD).one()
    entry = ArchiveEntry(
        seq=head.last_seq + 1, number=number, event=event, content_sha256=content_sha256,
        previous_hash=head.last_hash, created_at=utcnow(),
    )
    entry.chain_hash = link_hash(head.last_hash, entry)
    connection.execute(INSERT_ENTRY, {column: getattr(entry, column) for column in ENTRY_COLUMNS})
    connection.execute(MOVE_HEAD, {"new_seq": entry.seq, "new_hash": entry.chain_hash})
    return entry


def export_zip(database: Database, path: Path) -> dict:
    """Write the archive as a zip with a manifest; see invoicing.archive_export."""
    from invoicing.archive_export import write_archive_zip

    return write_archive_zip(database, Path(path))


def verify_chain(database: Database) -> Alteration | None:
    """Recompute the whole chain; None when intact, else the first altered document."""
    with database.sessions() as session:
        previous, expected_seq = GENESIS_HASH, 1
        for batch in entry_batches(session):
            invoices = invoices_by_number(session, {entry.number for entry in batch})
            for entry in batch:
                if entry.seq != expected_seq:
                    return _missing_link(session, expected_seq, entry.seq)
                reason = _check_entry(entry, previous, invoices.get(entry.number))
                if reason:
                    return Alteration(entry.number, entry.seq, reason)
                previous, expected_seq = entry.chain_hash, expected_seq + 1
        return _check_head(session, expected_seq - 1, previous) or _check_unsealed(session)


def entry_batches(session: Session):
    # Keyset pages keep memory flat however long the archive grows (each page loads its PDFs).
    last_seq = 0
    while True:
        query = select(ArchiveEntry).where(ArchiveEntry.seq > last_seq).order_by(ArchiveEntry.seq).limit(BATCH)
        batch = list(session.execute(query).scalars())
        if not batch:
            return
        yield batch
        last_seq = batch[-1].seq
        session.expunge_all()


def invoices_by_number(session: Session, numbers: set[str]) -> dict[str, Invoice]:
    rows = session.execute(select(Invoice).where(Invoice.number.in_(numbers))).scalars()
    return {invoice.number: invoice for invoice in rows}


def _missing_link(session: Session, missing_seq: int, next_seq: int) -> Alteration:
    # The deleted link's document is the one the chain no longer seals, when it is still there.
    unsealed = _check_unsealed(session)
    number = unsealed.number if unsealed else ""
    return Alteration(number, missing_seq, f"archive link {missing_seq} was removed (the chain jumps to {next_seq})")


def _check_entry(entry: ArchiveEntry, previous: str, invoice: Invoice | None) -> str:
    if entry.previous_hash != previous or link_hash(previous, entry) != entry.chain_hash:
        return f"archive link {entry.seq} was altered (its hash no longer chains)"
    if invoice is None:
        return "the document was deleted"
    if entry.event == "issued":
        if invoice_content_hash(invoice) != entry.content_sha256:
            return "the stored document (row or JSON snapshot) was altered"
        return ""
    return _check_pdf(entry, invoice)


def _check_pdf(entry: ArchiveEntry, invoice: Invoice) -> str:
    if invoice.pdf is None or sha256_hex(invoice.pdf) != entry.content_sha256:
        return "the stored PDF was altered"
    if invoice.pdf_sha256 != entry.content_sha256:
        return "the PDF's recorded hash was altered"
    # The file on disk is a convenience copy; when present it must be the sealed one.
    path = Path(invoice.pdf_path) if invoice.pdf_path else None
    if path is not None and path.is_file() and sha256_hex(path.read_bytes()) != entry.content_sha256:
        return f"the PDF file {path} was altered"
    return ""


def _check_head(session: Session, last_seq: int, last_hash: str) -> Alteration | None:
    head = session.get(ArchiveHead, HEAD_ID)
    if head is None or head.last_seq != last_seq or head.last_hash != last_hash:
        return Alteration("", last_seq + 1, "the end of the archive chain was removed or altered")
    return None


def _check_unsealed(session: Session) -> Alteration | None:
    """An issued row or a stored PDF that the chain does not know of was slipped in afterwards."""
    sealed = select(ArchiveEntry.number).where(ArchiveEntry.event == "issued")
    stray = session.execute(select(Invoice.number).where(Invoice.number.not_in(sealed)).limit(1)).scalar()
    if stray:
        return Alteration(stray, 0, "the document is not in the archive chain")
    rendered = select(ArchiveEntry.number).where(ArchiveEntry.event == "rendered")
    query = select(Invoice.number).where(Invoice.pdf.is_not(None), Invoice.number.not_in(rendered)).limit(1)
    stray = session.execute(query).scalar()
    if stray:
        return Alteration(stray, 0, "the document's PDF is not in the archive chain")
    return None
