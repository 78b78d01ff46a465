"""The accountant's monthly mail: the month's entries in their software's format, the documents,
a French summary and the archive's chain head; their reply corrects or closes the month.

The tick writes it once per month (the period row, locked, counts the mails sent); `accounting send`
writes it again on demand. Entries are marked with the first mail that carried them, so that a bill
of an earlier month validated late travels in the next mail (docs/accountant.md).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from babel.dates import format_date
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from accounting.entries import BookedEntry
from accounting.exports import write_entries
from accounting.models import AccountingPeriod, JournalEntry
from accounting.month_documents import MissingPiece, month_pieces, zip_parts
from accounting.month_summary import MonthSummary, summarise
from accounting.periods import month_text, next_month
from gateway.config import Config
from gateway.models import Outbox
from gateway.outbox_files import OutgoingFile, attach
from gateway.outgoing import outbox_row
from gateway.templating import EmailTemplates
from gateway.tokens import issue_token, token_address
from invoicing.models import ArchiveHead

# The accountant may answer a month's mail for a long time: closing often waits for the VAT return.
REPLY_TTL = timedelta(days=180)
FILE_NAMES = {
    "fec": "ecritures-{month}-fec.txt", "sage": "ecritures-{month}.pnm", "ciel": "XIMPORT.TXT",
    "quickbooks": "ecritures-{month}-quickbooks.csv", "quickbooks-bills": "factures-fournisseurs-{month}.csv",
}
CONTENT_TYPES = {"txt": "text/plain", "pnm": "text/plain", "TXT": "text/plain", "csv": "text/csv"}


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str


@dataclass(frozen=True)
class MonthPack:
    month: date
    booked: list[BookedEntry]
    summary: MonthSummary
    files: list[OutgoingFile]
    zips: list[bytes]
    missing: list[MissingPiece]
    head: ChainHead


def month_entries(session: Session, config: Config, month: date) -> list[BookedEntry]:
    """The entries dated in the month, and those of earlier months no mail has carried yet.

    Earlier means from the first month ever mailed on: the first mail does not drag the whole
    history along (the accountant has it from before, or asks for it with `export`).
    """
    from accounting.journal import booked_entries_where

    first_mailed = session.execute(select(func.min(AccountingPeriod.month))
                                   .where(AccountingPeriod.mails_sent > 0)).scalar()
    in_month = (JournalEntry.entry_date >= month) & (JournalEntry.entry_date < next_month(month))
    conditions = [in_month]
    if first_mailed is not None and first_mailed < month:
        late = ((JournalEntry.entry_date >= first_mailed) & (JournalEntry.entry_date < month)
                & JournalEntry.mailed_in.is_(None))
        conditions = [or_(in_month, late)]
    return booked_entries_where(session, conditions, config.timezone)


def journal_file(config: Config, month: date, booked: list[BookedEntry]) -> OutgoingFile:
    format_name = config.accounting.accountant_format
    data = write_entries(format_name, booked, config.accounting)[0]
    name = FILE_NAMES[format_name].format(month=month_text(month))
    return OutgoingFile(name, CONTENT_TYPES.get(name.rpartition(".")[2], "application/octet-stream"), data)


def chain_head(session: Session) -> ChainHead:
    head = session.get(ArchiveHead, 1)
    return ChainHead(head.last_seq, head.last_hash) if head else ChainHead(0, "")


def build_pack(session: Session, config: Config, month: date, with_documents: bool = True) -> MonthPack:
    booked = month_entries(session, config, month)
    pieces, missing = month_pieces(session, booked, config.parsing) if with_documents else ([], [])
    zips = zip_parts(pieces, config.accounting.documents_zip_max_mb * 1024 * 1024) if pieces else []
    return MonthPack(month, booked, summarise(booked, month, config.accounting),
                     [journal_file(config, month, booked)], zips, missing, chain_head(session))


def month_values(config: Config, pack: MonthPack, period: AccountingPeriod) -> dict:
    """What the monthly templates show (also the corrections answer)."""
    month_name = format_date(pack.month, "MMMM y", locale="fr" if config.mail.language != "en" else "en")
    return {
        "company": config.company, "month": pack.month, "month_text": month_text(pack.month),
        "month_name": month_name, "of_month": of_month(month_name),
        "zip_name": _zip_name(pack.month, 1, len(pack.zips)),
        "summary": pack.summary, "files": pack.files, "zip_count": len(pack.zips), "missing": pack.missing,
        "head": pack.head, "period": period, "format_name": config.accounting.accountant_format,
        "entry_count": len(pack.booked), "mail": None,
    }


def of_month(month_name: str) -> str:
    """"d'octobre 2026", "de novembre 2026": French elides « de » before a vowel (avril, août, octobre)."""
    return f"d'{month_name}" if month_name[:1] in "aeiouyâéèêîôû" else f"de {month_name}"


def write_monthly_mail(session: Session, config: Config, templates: EmailTemplates, period: AccountingPeriod,
                       now: datetime, mail_id: int | None = None) -> list[Outbox]:
    """Write the month's mail (and one more per further zip of documents) to the accountant; return the rows.

    `period` is the month's row, locked by the caller (accounting.periods.period_for).
    """
    accountant, month = config.mail.accountant, period.month
    pack = build_pack(session, config, month)
    token = issue_token(session, "period", period.id, accountant, purpose="corrections", ttl=REPLY_TTL, now=now)
    local_part, _, domain = config.gateway_addresses[0].partition("@")
    address = token_address(local_part, domain, token)
    head_file = OutgoingFile(f"chaine-archive-{month_text(month)}.txt", "text/plain", head_text(config, pack, now).encode())
    zips = [OutgoingFile(_zip_name(month, index, len(pack.zips)), "application/zip", data)
            for index, data in enumerate(pack.zips, start=1)]
    values = month_values(config, pack, period)
    first = outbox_row(config, templates, "accountant_monthly", [accountant], values, address=address, mail_id=mail_id)
    rows = [first]
    session.add(first)
    session.flush()
    attach(session, first.id, [*pack.files, head_file, *zips[:1]])
    for index, part in enumerate(zips[1:], start=2):
        row = outbox_row(config, templates, "accountant_documents", [accountant],
                         values | {"part": index, "parts": len(zips)}, address=address,
                         in_reply_to=first.message_id, references=first.message_id, mail_id=mail_id)
        session.add(row)
        session.flush()
        attach(session, row.id, [part])
        rows.append(row)
    mark_mailed(session, pack.booked, period.id)
    period.mails_sent += 1
    period.first_sent_at = period.first_sent_at or now
    period.last_sent_at, period.archive_head = now, pack.head.hash
    session.flush()
    return rows


def mark_mailed(session: Session, booked: list[BookedEntry], period_id: int) -> None:
    """The entries a file carried are sent: a later monthly mail does not carry them as late ones."""
    ids = [item.number for item in booked]
    if ids:
        session.execute(update(JournalEntry).where(JournalEntry.id.in_(ids), JournalEntry.mailed_in.is_(None))
                        .values(mailed_in=period_id).execution_options(synchronize_session=False))


def head_text(config: Config, pack: MonthPack, now: datetime) -> str:
    """The chain head as a small file the accountant keeps: proof of the archive's state on that day."""
    moment = now.astimezone(config.timezone)
    return (f"Archive des factures émises de {config.company.name} (SIREN {config.company.siren})\r\n"
            f"Tête de la chaîne d'empreintes au {moment:%d/%m/%Y %H:%M} : maillon n° {pack.head.seq}\r\n"
            f"SHA-256 : {pack.head.hash}\r\n"
            "Pour vérifier : invoice-gateway archive verify (la tête doit contenir ce maillon).\r\n")


def _zip_name(month: date, index: int, count: int) -> str:
    suffix = f"-{index}-sur-{count}" if count > 1 else ""
    return f"pieces-{month_text(month)}{suffix}.zip"
