"""Issuing an order's invoice inside the mail's transaction, with the deposit invoice French law wants."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clients.directory import normalised_name
from gateway.config import Config
from invoicing.compute import build_document
from invoicing.document import Document
from invoicing.issue import deducted_by, issue_request_in
from invoicing.models import Invoice
from invoicing.request import parse_request
from invoicing.stored import find_invoice, stored_document

# The number a preview carries: it is never stored, only shown to the manager.
PREVIEW_NUMBER = "APERÇU"


@dataclass(frozen=True)
class OrderInvoice:
    """What was issued for one order: the final invoice, and the deposit invoice issued with it."""

    number: str
    deposit_number: str  # "" when no deposit invoice was issued now
    deducted: tuple[str, ...]  # the deposit invoices the final invoice deducts
    document: Document  # the final invoice as issued


def preview(config: Config, data: dict, today: date) -> Document:
    """The invoice as it would be issued, computed without a number: totals for the approval."""
    request = parse_request({key: value for key, value in data.items() if key != "deposits"})
    return build_document(request, config=config, number=PREVIEW_NUMBER, issue_date=today)


def issue_order(session: Session, config: Config, data: dict, deposit_paid: Decimal | None,
                deposit_numbers: tuple[str, ...], today: date) -> OrderInvoice:
    """Issue the order's invoice in the caller's transaction; nothing is numbered when any step fails.

    A deposit the order says was paid is deducted: the client's deposit invoice of that amount
    when one was issued and not deducted yet, otherwise a deposit invoice issued now for it
    (every deposit received must be invoiced, art. 289 CGI) and deducted at once.
    """
    # A savepoint: a refusal of the final invoice also takes back the deposit invoice's number.
    with session.begin_nested():
        deposits, deposit_number = list(deposit_numbers), ""
        if deposit_paid and not deposits:
            found = undeducted_deposit(session, data["buyer"], deposit_paid)
            if found:
                deposits = [found]
            else:
                deposit_number = issue_request_in(session, config, parse_request(deposit_data(data, deposit_paid)), today)
                deposits = [deposit_number]
        final = dict(data, deposits=deposits) if deposits else data
        number = issue_request_in(session, config, parse_request(final), today)
    document = stored_document(find_invoice(session, number))
    return OrderInvoice(number, deposit_number, tuple(deposits), document)


def deposit_data(data: dict, amount: Decimal) -> dict:
    """The request of a deposit invoice for an amount already received, TTC, on the order's lines."""
    received = f"{amount:.2f}".replace(".", ",")
    note = (f"Acompte de {received} € TTC déjà reçu : facture d'acompte émise pour mémoire, rien à payer. "
            f"/ Deposit already received: nothing to pay.")
    request = {key: value for key, value in data.items() if key not in {"deposits", "notes"}}
    return request | {"kind": "deposit", "deposit": {"amount": f"{amount:.2f}", "basis": "TTC"}, "notes": note}


def undeducted_deposit(session: Session, buyer: dict, amount: Decimal) -> str:
    """The number of this client's deposit invoice of `amount` TTC not deducted yet, or ""."""
    query = select(Invoice).where(Invoice.kind == "deposit").order_by(Invoice.id)
    for invoice in session.scalars(query):
        if Decimal(invoice.total_incl_tax) != amount or not _same_buyer(stored_document(invoice).buyer, buyer):
            continue
        if not deducted_by(session, invoice.number):
            return invoice.number
    return ""


def _same_buyer(party, buyer: dict) -> bool:
    siren = buyer.get("siren") or (buyer.get("siret") or "")[:9]
    if siren and party.siren:
        return siren == party.siren
    return normalised_name(party.name) == normalised_name(buyer.get("name", ""))
