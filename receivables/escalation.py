"""Handing a client's file to the manager: one mail per client with every open invoice and its history."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.config import Config
from gateway.outgoing import outbox_row
from gateway.templating import EmailTemplates
from receivables.ledger import add_events, add_mail_links, event_row, mail_link_row
from receivables.models import OWED_STATES, ReceivableEvent, Receivable, Settlement
from receivables.views import OpenInvoiceView, open_invoice_view, rates_of


@dataclass(frozen=True)
class CommandHelp:
    syntax: str
    explanation: str


def commands_help(number: str) -> list[CommandHelp]:
    """The one-line answers the manager may write back, with a real invoice number in them."""
    return [
        CommandHelp(f"MISE EN DEMEURE {number}", "recevoir la mise en demeure en PDF, à envoyer en recommandé"),
        CommandHelp(f"RELANCE {number} +7", "programmer une nouvelle relance dans 7 jours"),
        CommandHelp(f"PAUSE {number} 15 jours", "suspendre les relances (par défaut 10 jours ouvrés)"),
        CommandHelp(f"REPRENDRE {number}", "reprendre les relances"),
        CommandHelp(f"STOP {number}", "arrêter les relances de cette facture"),
        CommandHelp(f"PAYÉ {number} 1 200,00 26/11/2026", "enregistrer un paiement (montant et date facultatifs)"),
        CommandHelp("STATUT", "recevoir l'état des factures ouvertes"),
    ]


def escalate_clients(session: Session, config: Config, templates: EmailTemplates, client_keys: list[str],
                     reason: str, today: date, dispute_text: str = "", mail_id: int | None = None) -> int:
    """Write one mail to the manager per client; return the number of mails written (0 without a manager)."""
    manager = config.mail.manager
    if not manager:
        return 0
    by_client = defaultdict(list)
    # Plain rows, not ORM objects: the mail only reads them, and a client file may hold hundreds.
    table = Receivable.__table__
    owed_query = (select(table).where(table.c.client_key.in_(client_keys), table.c.state.in_(OWED_STATES))
                  .order_by(table.c.due_date, table.c.id))
    for receivable in session.execute(owed_query):
        by_client[receivable.client_key].append(receivable)
    # Every invoice's amounts and history read at once for all the clients, not three queries each.
    views = _views(session, config, [receivable for owed in by_client.values() for receivable in owed], today)
    written, links, events = 0, [], []
    for key in client_keys:
        owed = by_client.get(key)
        if not owed:
            continue
        client_views = [views[receivable.id] for receivable in owed]
        values = {
            "company": config.company, "client_name": owed[0].client_name, "client_email": owed[0].client_email,
            "reason": reason, "dispute_text": dispute_text, "invoices": client_views,
            "total_outstanding": sum((view.outstanding for view in client_views), Decimal(0)),
            "commands_help": commands_help(owed[0].number), "gateway_address": _gateway_address(config),
            "mail": None,
        }
        row = outbox_row(config, templates, "reminders_escalation", [manager], values, mail_id=mail_id)
        session.add(row)
        # The manager answering this mail with a bare « PAUSE » means these invoices.
        links += [mail_link_row(receivable, row.message_id) for receivable in owed]
        events += [event_row(receivable, today, "escalation", "Dossier transmis à la direction", mail_id)
                   for receivable in owed]
        written += 1
    add_mail_links(session, links)
    add_events(session, events)
    return written


def _views(session: Session, config: Config, owed: list, today: date) -> dict[int, OpenInvoiceView]:
    """The mail's view of each owed invoice (receivables rows, read as plain rows)."""
    ids = [receivable.id for receivable in owed]
    settlements, history = defaultdict(list), defaultdict(list)
    for receivable_id, on, amount in session.execute(
            select(Settlement.receivable_id, Settlement.on, Settlement.amount).where(Settlement.receivable_id.in_(ids))):
        settlements[receivable_id].append((on, Decimal(amount)))
    for receivable_id, on, text in session.execute(
            select(ReceivableEvent.receivable_id, ReceivableEvent.on, ReceivableEvent.text)
            .where(ReceivableEvent.receivable_id.in_(ids)).order_by(ReceivableEvent.id)):
        history[receivable_id].append((on, text))
    rates = rates_of(config)
    return {receivable.id: open_invoice_view(config, rates, receivable, settlements[receivable.id],
                                             history[receivable.id], today) for receivable in owed}


def _gateway_address(config: Config) -> str:
    return config.gateway_addresses[0] if config.gateway_addresses else config.mail.address
