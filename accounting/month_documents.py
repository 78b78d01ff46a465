"""The month's documents for the accountant: the bills received (their original files) and the
invoices, deposit invoices and credit notes issued, as zip files of a bounded size."""

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from accounting.entries import BookedEntry
from accounting.text import ascii_text
from bills.models import ReceivedBill
from gateway.models import Mail
from gateway.parsing import MalformedMail, parse_mail
from invoicing.models import Invoice
from invoicing.pdf_store import file_stem

PURCHASE_SOURCES = ("bill", "credit_note")


@dataclass(frozen=True)
class Piece:
    path: str          # its name in the zip: "achats/…" or "ventes/…"
    data: bytes


@dataclass(frozen=True)
class MissingPiece:
    reference: str
    reason: str        # French, shown in the summary


def month_pieces(session: Session, booked: list[BookedEntry], limits) -> tuple[list[Piece], list[MissingPiece]]:
    """The files behind the entries: each bill's original file, each issued document's PDF."""
    bill_ids = {item.entry.source_id for item in booked if item.entry.source_kind in PURCHASE_SOURCES}
    invoice_ids = {item.entry.source_id for item in booked if item.entry.source_kind == "issued"}
    pieces, missing = _bill_pieces(session, bill_ids, limits)
    for invoice in session.execute(select(Invoice).where(Invoice.id.in_(invoice_ids)).order_by(Invoice.number)).scalars():
        if invoice.pdf:
            pieces.append(Piece(f"ventes/{file_stem(invoice.number)}.pdf", invoice.pdf))
        else:
            missing.append(MissingPiece(invoice.number, "PDF pas encore produit"
                                        + (f" ({invoice.render_error})" if invoice.render_error else "")))
    return pieces, missing


def _bill_pieces(session: Session, bill_ids: set, limits) -> tuple[list[Piece], list[MissingPiece]]:
    pieces, missing = [], []
    bills = session.execute(select(ReceivedBill).where(ReceivedBill.id.in_(bill_ids))
                            .order_by(ReceivedBill.issue_date, ReceivedBill.id)).scalars().all()
    for bill in bills:
        name = _safe(f"{bill.issue_date} {bill.supplier_name} {bill.number}".strip()) or f"facture-{bill.id}"
        mail = session.get(Mail, bill.mail_id) if bill.mail_id else None
        if mail is None:
            missing.append(MissingPiece(bill.number or f"#{bill.id}", "courriel d'origine supprimé"))
            continue
        original = _original_file(mail, bill, limits)
        if original is None:
            # The bill was read from the mail itself (no attachment matches): the mail is the piece.
            pieces.append(Piece(f"achats/{name}.eml", mail.raw))
        else:
            filename, data = original
            extension = filename.rpartition(".")[2].lower() if "." in filename else "bin"
            pieces.append(Piece(f"achats/{name}.{_safe(extension)[:8]}", data))
    return pieces, missing


def _original_file(mail: Mail, bill: ReceivedBill, limits) -> tuple[str, bytes] | None:
    try:
        parsed = parse_mail(mail.raw, mail.envelope_from, list(mail.envelope_to or []), limits)
    except MalformedMail:
        return None
    for attachment in parsed.attachments:
        if bill.file_sha256 and hashlib.sha256(attachment.data).hexdigest() == bill.file_sha256:
            return attachment.filename or bill.filename or "facture", attachment.data
    return None


def zip_parts(pieces: list[Piece], max_bytes: int) -> list[bytes]:
    """The pieces in as few zips as fit under max_bytes each (a piece larger than that has a zip to itself)."""
    parts: list[list[Piece]] = []
    size = 0
    for piece in pieces:
        if not parts or (size + len(piece.data) > max_bytes and parts[-1]):
            parts.append([])
            size = 0
        parts[-1].append(piece)
        size += len(piece.data)
    return [_zip(part) for part in parts]


def _zip(pieces: list[Piece]) -> bytes:
    buffer = io.BytesIO()
    seen: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for piece in pieces:
            path = _unique(piece.path, seen)
            archive.writestr(path, piece.data)
    return buffer.getvalue()


def _unique(path: str, seen: set[str]) -> str:
    """Two bills with the same name keep both: the second gets "-2" before its extension."""
    stem, dot, extension = path.rpartition(".")
    candidate, counter = path, 2
    while candidate in seen:
        candidate = f"{stem}-{counter}{dot}{extension}"
        counter += 1
    seen.add(candidate)
    return candidate


def _safe(text: str) -> str:
    """A file name every system accepts: ASCII letters, digits, spaces, dots and dashes."""
    cleaned = re.sub(r"[^A-Za-z0-9 ._-]+", "-", ascii_text(text or "")).strip(" .-")
    return re.sub(r"\s+", " ", cleaned)[:120]
