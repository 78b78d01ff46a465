"""Helpers of the reminder tests: invoices issued on a given day, and a clock the tests move."""

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from gateway.app import Gateway
from gateway.config import Config
from gateway.models import Outbox
from gateway.tick import tick
from invoicing.issue import issue_request
from invoicing.request import parse_request
from receivables.models import Receivable

PARIS = ZoneInfo("Europe/Paris")
CLIENT_EMAIL = "compta@durand-btp.example"
BUSINESS = {"name": "Durand BTP SARL", "address": ["3 rue des Artisans"], "postcode": "69003", "city": "Lyon",
            "country": "FR", "siren": "552100554", "email": CLIENT_EMAIL}
CONSUMER = {"name": "Paul Martin", "address": ["4 rue des Particuliers"], "postcode": "44000", "city": "Nantes",
            "consumer": True, "email": "paul.martin@example.org"}


def at(moment: str) -> datetime:
    """"2026-11-09T10:00" in Paris."""
    return datetime.fromisoformat(moment).replace(tzinfo=PARIS)


def issue(gateway: Gateway, issued_on: date, terms: str = "30 jours", buyer: dict = BUSINESS,
          unit_price: str = "1000.00") -> str:
    """An invoice of one line (TTC = 1.2 × unit_price), issued on `issued_on`; its number."""
    request = {"buyer": buyer, "operation": "services", "sale_date": issued_on.isoformat(), "payment_terms": terms,
               "lines": [{"description": "Travaux de maçonnerie", "quantity": "1", "unit": "forfait",
                          "unit_price": unit_price, "vat_rate": "20"}]}
    return issue_request(gateway.database, gateway.config, parse_request(request), issued_on)


def run_tick(gateway: Gateway, moment: str) -> dict:
    return tick(gateway.database, gateway.config, at(moment))


def sent(gateway: Gateway, *templates: str) -> list[Outbox]:
    with gateway.database.sessions() as session:
        query = select(Outbox).order_by(Outbox.id)
        if templates:
            query = query.where(Outbox.template.in_(templates))
        return list(session.scalars(query))


def receivable(gateway: Gateway, number: str) -> Receivable:
    with gateway.database.sessions() as session:
        return session.scalar(select(Receivable).where(Receivable.number == number))


def with_reminders(config: Config, **values) -> Config:
    return replace(config, reminders=replace(config.reminders, **values))
