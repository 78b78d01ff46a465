"""The routing table: which conversation a stored mail belongs to. Pure; reads like the user guide."""

from collections.abc import Callable
from dataclasses import dataclass

from bills.senders import is_supplier_sender, supplier_automated
from gateway.addresses import OurAddresses, is_known_sender
from gateway.automated import detect_automated
from gateway.config import Config
from gateway.parsed import ParsedMail
from handlers.bills import BillsMailbox, SupplierBillsMailbox
from handlers.client_answers import ClientAnswersMailbox
from handlers.commands import CommandsMailbox, command_of
from handlers.help import HelpMailbox
from handlers.ignored import IgnoredMailbox
from handlers.orders import OrdersMailbox
from handlers.replies import RepliesMailbox
from handlers.statements import StatementsMailbox, statement_files


@dataclass(frozen=True)
class Facts:
    """What routing needs to know of one mail, computed before the table is read."""

    mail: ParsedMail
    trusted: bool
    trust_detail: str
    answers_our_mail: bool
    config: Config
    loop_marker: str
    # The sender is the client an invoice or reminder it answers went to (even if it looks like staff).
    client_of_invoice: bool = False

    @property
    def ours(self) -> OurAddresses:
        return OurAddresses.from_config(self.config)


# A matcher returns the reason the mail takes this route, or None.
Matcher = Callable[[Facts], str | None]


@dataclass(frozen=True)
class Route:
    name: str
    matches: Matcher
    mailbox: type


def automated_mail(facts: Facts) -> str | None:
    mail = facts.mail
    if facts.ours.is_gateway(mail.sender):
        return f"loop: mail from the gateway's own address {mail.sender}"
    if mail.headers is None:
        return None
    # A configured supplier's invoicing platform looks like a newsletter: only its list signals are overlooked.
    supplier = is_supplier_sender(mail.sender, facts.config.bills.supplier_senders)
    detect = supplier_automated if supplier else detect_automated
    found = detect(mail.headers, mail.envelope_from, facts.loop_marker)
    return found.reason if found else None


def client_answering_our_mail(facts: Facts) -> str | None:
    if facts.client_of_invoice:
        return f"answer from the client {facts.mail.sender} to an invoice or a reminder"
    if facts.answers_our_mail and not is_known_sender(facts.mail.sender, facts.config):
        return f"answer from {facts.mail.sender or 'an unknown sender'} to a mail we sent"
    return None


def untrusted_sender(facts: Facts) -> str | None:
    return None if facts.trusted else f"untrusted sender {facts.mail.sender or '(none)'}: {facts.trust_detail}"


def supplier_sending_a_bill(facts: Facts) -> str | None:
    mail = facts.mail
    if not is_supplier_sender(mail.sender, facts.config.bills.supplier_senders):
        return None
    if any(facts.ours.is_gateway(address) for address in [*mail.to, *mail.cc, *mail.envelope_to]):
        return f"configured supplier sender {mail.sender}: a bill sent directly"
    return None


def unknown_sender(facts: Facts) -> str | None:
    if is_known_sender(facts.mail.sender, facts.config):
        return None
    return f"unknown sender {facts.mail.sender or '(none)'}: not staff, manager or accountant"


def reply_to_token_address(facts: Facts) -> str | None:
    for address in [*facts.mail.envelope_to, *facts.mail.to, *facts.mail.cc]:
        token = facts.ours.token_of(address)
        if token:
            return f"reply to token address {address}"
    return None


def command(facts: Facts) -> str | None:
    found = command_of(facts.mail)
    return f"command {found}" if found else None


def statement_to_gateway(facts: Facts) -> str | None:
    mail = facts.mail
    # Written to the gateway (in To): a file copied with an order (Cc, Bcc) is the order's.
    if not any(facts.ours.is_gateway(address) for address in mail.to):
        return None
    files = statement_files(mail)
    return f"bank statement {files[0].filename}" if files else None


def gateway_in_to(facts: Facts) -> str | None:
    if any(facts.ours.is_gateway(address) for address in facts.mail.to):
        return "gateway in To: a forwarded bill"
    return None


def gateway_in_cc_or_bcc(facts: Facts) -> str | None:
    mail = facts.mail
    # Mail written to the gateway (in To) is never an order copied to it, whatever else it holds.
    if any(facts.ours.is_gateway(address) for address in mail.to):
        return None
    if any(facts.ours.is_gateway(address) for address in mail.cc):
        return "gateway in Cc: an order"
    if any(facts.ours.is_gateway(address) for address in mail.envelope_to):
        return "gateway in Bcc: an order"
    return None


def anything(facts: Facts) -> str | None:
    return "staff mail that matches no conversation"


def build_routes() -> list[Route]:
    """The ordered table; the first route that matches wins, the last matches everything."""
    return [
        Route("automated", automated_mail, IgnoredMailbox),  # bounces, auto-replies, lists, loops
        Route("client_answer", client_answering_our_mail, ClientAnswersMailbox),  # never answered
        Route("untrusted", untrusted_sender, IgnoredMailbox),
        # Suppliers listed in bills.supplier_senders: summarised to staff, never answered.
        Route("supplier_bill", supplier_sending_a_bill, SupplierBillsMailbox),
        Route("unknown_sender", unknown_sender, IgnoredMailbox),
        # Conversations with trusted staff; what matches none of them gets the help reply.
        Route("reply", reply_to_token_address, RepliesMailbox),  # answers to our mail, by token
        Route("command", command, CommandsMailbox),  # STATUT, AIDE, AVOIR, PAYÉ, PAUSE, RELANCE…
        Route("statement", statement_to_gateway, StatementsMailbox),  # bank statements: payments
        Route("bill", gateway_in_to, BillsMailbox),  # forwarded supplier bills
        Route("order", gateway_in_cc_or_bcc, OrdersMailbox),  # orders copied to the gateway
        Route("help", anything, HelpMailbox),
    ]


ROUTES = build_routes()


def pick_route(facts: Facts, routes: list[Route] = ROUTES) -> tuple[Route, str]:
    for route in routes:
        reason = route.matches(facts)
        if reason is not None:
            return route, reason
    raise LookupError("the routing table has no catch-all route")
