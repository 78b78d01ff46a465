"""Pure rules of an order: what is still missing, where the invoice goes, what the manager approves."""

import json
from dataclasses import dataclass
from decimal import Decimal
from email.utils import getaddresses

from gateway.addresses import OurAddresses, is_known_sender
from gateway.config import Config
from orders.model import ClientDetails, OrderProblem

MISSING_EMAIL = OrderProblem(
    "client.email", "",
    "Il manque l'adresse e-mail du client, à laquelle envoyer la facture : ajoutez « E-mail : compta@client.fr ».",
    "the client's e-mail address is missing: add \"Email: accounts@client.com\"",
)


@dataclass(frozen=True)
class ReadyOrder:
    """An order with nothing missing: the invoicing request and what issuing it needs besides."""

    request: dict
    client_email: str
    deposit_paid: Decimal | None
    deposit_numbers: tuple[str, ...]
    total_incl_tax: Decimal

    def to_json(self) -> str:
        return json.dumps({
            "request": self.request, "client_email": self.client_email,
            "deposit_paid": str(self.deposit_paid) if self.deposit_paid is not None else None,
            "deposit_numbers": list(self.deposit_numbers), "total_incl_tax": str(self.total_incl_tax),
        }, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "ReadyOrder":
        data = json.loads(text)
        paid = data["deposit_paid"]
        return cls(data["request"], data["client_email"], Decimal(paid) if paid is not None else None,
                   tuple(data["deposit_numbers"]), Decimal(data["total_incl_tax"]))


def client_address_in(written_to: list[str], config: Config) -> str:
    """The client's address when the order names none: the one outsider the order mail was written to.

    Staff, the manager and the gateway are not the client; with two outsiders or none, nobody is guessed.
    """
    ours = OurAddresses.from_config(config)
    outsiders = {address.lower() for _, address in getaddresses(written_to)
                 if address and not ours.is_gateway(address) and not is_known_sender(address, config)}
    return outsiders.pop() if len(outsiders) == 1 else ""


def remaining_problems(problems: tuple[OrderProblem, ...], client: ClientDetails, client_email: str) -> list[OrderProblem]:
    """The reader's problems less those the directory or the mail's recipients answered.

    A problem about one field of the client ("client.email", "client.siren"…) is answered when
    that field is now known; an e-mail address to send the invoice to is always needed.
    """
    left = []
    for problem in problems:
        field = problem.field.removeprefix("client.")
        if problem.field.startswith("client.") and (client_email if field == "email" else getattr(client, field, "")):
            continue
        left.append(problem)
    if not client_email and not any(problem.field == "client.email" for problem in left):
        left.append(MISSING_EMAIL)
    return left
