"""The manager's one-line commands on invoices: PAUSE, REPRENDRE, STOP, RELANCE and PAYÉ, as state changes.

Each function returns what it did as sentences (French, English) for the answer; none sends mail.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clients.directory import normalised_name
from gateway.config import Accounting, Config
from gateway.templating import euros
from receivables.business_days import add_business_days, next_business_day
from receivables.ladder import ladder_for, remaining
from receivables.ledger import add_event, find_receivable, pause, receivables_answered, resume, schedule_next, settle
from receivables.models import OWED_STATES, Receivable
from receivables.sending import MANUAL


@dataclass(frozen=True)
class Outcome:
    ok: bool
    text: str
    text_en: str


@dataclass(frozen=True)
class PaymentResult:
    number: str
    amount: Decimal
    paid_on: str
    outstanding: Decimal
    state: str  # paid | partial | overpaid | refused
    note: str = ""


def find_targets(session: Session, args: dict, referenced: list[str] = ()) -> tuple[list[Receivable], Outcome | None]:
    """The invoices a command names: one number, every open invoice of a client named, or without
    either the invoices of the mail it answers (`referenced`: its In-Reply-To and References)."""
    if number := args.get("invoice") or args.get("reference"):
        receivable = find_receivable(session, number, lock=True)
        if receivable is None:
            return [], Outcome(False, f"Je ne trouve pas de facture {number} à encaisser.", f"no receivable {number}")
        return [receivable], None
    if client := args.get("client"):
        wanted = normalised_name(client)
        owed = session.scalars(select(Receivable).where(Receivable.state.in_(OWED_STATES)).order_by(Receivable.id))
        found = [receivable for receivable in owed if wanted and wanted in normalised_name(receivable.client_name)]
        if not found:
            return [], Outcome(False, f"Aucune facture ouverte pour le client « {client} ».", f"no open invoice for {client!r}")
        return found, None
    if found := receivables_answered(session, list(referenced)):
        return found, None
    return [], Outcome(False, "Précisez la facture (FA2026-0012) ou le client.", "no invoice or client named")


def pause_invoices(session: Session, config: Config, found: list[Receivable], args: dict, today: date,
                   mail_id: int | None) -> list[Outcome]:
    until = args.get("until") or _later(today, args, config)
    outcomes = []
    for receivable in found:
        if refusal := _settled(receivable):
            outcomes.append(refusal)
            continue
        pause(session, receivable, until, today, "PAUSE de la direction", mail_id)
        outcomes.append(Outcome(True, f"{receivable.number} : relances suspendues jusqu'au {until:%d/%m/%Y}.",
                                f"{receivable.number}: reminders paused until {until:%Y-%m-%d}."))
    return outcomes


def resume_invoices(session: Session, config: Config, found: list[Receivable], today: date,
                    mail_id: int | None) -> list[Outcome]:
    outcomes = []
    for receivable in found:
        if refusal := _settled(receivable):
            outcomes.append(refusal)
            continue
        resume(session, receivable, today, "REPRENDRE de la direction", mail_id)
        if receivable.next_on is None:
            schedule_next(config, receivable, today, opening=True)
        when = f", prochaine relance le {receivable.next_on:%d/%m/%Y}" if receivable.next_on else ", plus aucune relance prévue"
        outcomes.append(Outcome(True, f"{receivable.number} : relances reprises{when}.", f"{receivable.number}: resumed."))
    return outcomes


def stop_invoices(session: Session, found: list[Receivable], today: date, mail_id: int | None,
                  why: str = "STOP de la direction") -> list[Outcome]:
    outcomes = []
    for receivable in found:
        if refusal := _settled(receivable):
            outcomes.append(refusal)
            continue
        receivable.state, receivable.paused_until = "stopped", None
        add_event(session, receivable, today, "stop", f"{why} : relances arrêtées", mail_id)
        outcomes.append(Outcome(True, f"{receivable.number} : relances arrêtées (REPRENDRE {receivable.number} pour les relancer).",
                                f"{receivable.number}: reminders stopped."))
    return outcomes


def remind_invoices(session: Session, config: Config, found: list[Receivable], days: int, today: date,
                    mail_id: int | None) -> list[Outcome]:
    """The next reminder goes in `days` days (0: at the next tick in business hours), ladder done or not."""
    outcomes = []
    for receivable in found:
        if refusal := _settled(receivable):
            outcomes.append(refusal)
            continue
        if not receivable.client_email:
            outcomes.append(Outcome(False, f"{receivable.number} : le client n'a pas d'adresse e-mail.",
                                    f"{receivable.number}: the client has no address"))
            continue
        ladder = ladder_for(config.reminders, receivable.client_email, receivable.client_siren)
        steps = remaining(ladder, receivable.last_step)
        receivable.state, receivable.paused_until = "open", None
        receivable.next_step = steps[0].name if steps else MANUAL
        receivable.next_on = next_business_day(today + timedelta(days=days), config.reminders.holidays_subdivision)
        add_event(session, receivable, today, "remind", f"RELANCE de la direction pour le {receivable.next_on:%d/%m/%Y}", mail_id)
        outcomes.append(Outcome(True, f"{receivable.number} : relance programmée le {receivable.next_on:%d/%m/%Y}.",
                                f"{receivable.number}: reminder scheduled on {receivable.next_on:%Y-%m-%d}."))
    return outcomes


def record_payment(session: Session, number: str, amount: Decimal | None, paid_on: date, source: str, actor: str,
                   mail_id: int | None, reference: str = "", *, accounting: Accounting) -> tuple[PaymentResult, Receivable | None]:
    """A payment of `amount` (default: all that is still due) on one invoice, booked in the bank
    journal with `accounting`'s accounts; refused when nothing is due."""
    receivable = find_receivable(session, number, lock=True)
    if receivable is None:
        return PaymentResult(number, amount or Decimal(0), f"{paid_on:%d/%m/%Y}", Decimal(0), "refused",
                             f"Je ne trouve pas de facture {number}."), None
    outstanding = Decimal(receivable.outstanding)
    if outstanding <= 0:
        return PaymentResult(number, amount or Decimal(0), f"{paid_on:%d/%m/%Y}", Decimal(0), "refused",
                             f"{number} est déjà soldée : rien n'a été enregistré."), None
    amount = outstanding if amount is None else amount
    if amount <= 0:
        return PaymentResult(number, amount, f"{paid_on:%d/%m/%Y}", outstanding, "refused",
                             "Le montant doit être positif."), None
    state = settle(session, receivable, "payment", amount, paid_on, source, reference=reference, actor=actor,
                   mail_id=mail_id, accounting=accounting)
    left = Decimal(receivable.outstanding)
    note = f"Trop-perçu de {euros(-left)} à rembourser ou à imputer." if left < 0 else ""
    return PaymentResult(number, amount, f"{paid_on:%d/%m/%Y}", max(left, Decimal(0)), state, note), receivable


def _later(today: date, args: dict, config: Config) -> date:
    if "days" in args:
        return today + timedelta(days=args["days"])
    if "months" in args:
        return today + timedelta(days=30 * args["months"])
    return add_business_days(today, config.reminders.pause_days, config.reminders.holidays_subdivision)


def _settled(receivable: Receivable) -> Outcome | None:
    if receivable.state in OWED_STATES:
        return None
    word = {"paid": "payée", "credited": "annulée par avoir"}.get(receivable.state, receivable.state)
    return Outcome(False, f"{receivable.number} est déjà {word} : rien à relancer.", f"{receivable.number} is {receivable.state}")
