"""Helpers of the sales and bank journal tests: issue, credit and pay through the real code paths."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select, text

from accounting.journal import entries_between
from accounting.models import JournalEntry
from invoicing.archive import GENESIS_HASH
from invoicing.models import Invoice

# Everything the issue, settle and booking code writes; the shared PostgreSQL database is emptied of it.
BOOK_TABLES = "invoice_counters, invoices, archive_entries, journal_lines, journal_entries, letterings"
FR_BUYER = {
    "name": "Client Industrie SAS", "address": ["12 avenue du Client"], "postcode": "33000", "city": "Bordeaux",
    "country": "FR", "siren": "552100554", "vat_number": "FR96552100554", "email": "compta@client-industrie.example",
}
MIXED = {
    "buyer": FR_BUYER, "operation": "mixed", "sale_date": "2026-11-20", "payment_terms": "30 jours",
    "lines": [
        {"description": "Serveur de stockage", "quantity": "2", "unit_price": "1500.00", "vat_rate": "20", "nature": "goods"},
        {"description": "Installation du serveur", "quantity": "1", "unit_price": "600.00", "vat_rate": "20", "nature": "services"},
        {"description": "Manuel imprimé", "quantity": "4", "unit_price": "25.00", "vat_rate": "5.5", "nature": "goods"},
    ],
}
SERVICES = {
    "buyer": FR_BUYER, "operation": "services", "sale_date": "2026-11-20",
    "lines": [{"description": "Audit", "quantity": "1", "unit_price": "1000.00", "vat_rate": "20"}],
}
DAY = date(2026, 11, 26)


def empty_books(database) -> None:
    if database.is_sqlite:
        return
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {BOOK_TABLES} RESTART IDENTITY CASCADE"))
        connection.execute(text("UPDATE archive_head SET last_seq = 0, last_hash = :genesis"), {"genesis": GENESIS_HASH})


def issue(gateway, data: dict, day: date = DAY) -> str:
    from invoicing.issue import issue_request
    from invoicing.request import parse_request

    return issue_request(gateway.database, gateway.config, parse_request(data), today=day)


def credit(gateway, number: str, amount: str | None = None, basis: str = "TTC", day: date = DAY) -> str:
    from invoicing.credit import credit_invoice_in

    with gateway.database.transaction() as session:
        return credit_invoice_in(session, gateway.config, number, amount=Decimal(amount) if amount else None,
                                 basis=basis, reason="Geste commercial", today=day)


def pay(gateway, number: str, amount: str, day: date = DAY) -> str:
    """A payment as `settle` records it."""
    from receivables.ledger import find_receivable, settle

    with gateway.database.transaction() as session:
        receivable = find_receivable(session, number, lock=True)
        return settle(session, receivable, "payment", Decimal(amount), day, "command",
                      accounting=gateway.config.accounting)


def invoice_id(gateway, number: str) -> int:
    with gateway.database.sessions() as session:
        return session.scalar(select(Invoice.id).where(Invoice.number == number))


def journal(gateway, journal_code: str | None = None) -> list:
    """Every stored entry (with its lines' lettering), in date then recording order."""
    with gateway.database.sessions() as session:
        journals = (journal_code,) if journal_code else None
        return entries_between(session, date(2000, 1, 1), date(2100, 1, 1), journals)


def entry_count(gateway) -> int:
    with gateway.database.sessions() as session:
        return len(session.scalars(select(JournalEntry.id)).all())


def client_lines(entries, account: str = "411") -> list:
    return [line for entry in entries for line in entry.lines if line.account == account]
