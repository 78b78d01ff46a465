"""The problems of an order that are about something missing or an unreadable or impossible line."""

from decimal import Decimal

from invoicing.request import MAX_LINES
from orders.item_line import ItemRead
from orders.model import ClientDetails, OrderProblem

# The precision invoicing accepts (invoicing/request.py).
QUANTITY_PLACES, PRICE_PLACES = 4, 6


def missing_client_problems(client: ClientDetails, fields: dict[str, str]) -> list[OrderProblem]:
    """No name, no email, no address, a French business without SIREN: each one is its own problem.

    The handler may drop « client.email », « client.address » and « client.siren » when its client
    directory already knows them (docs/orders.md).
    """
    problems = []
    if not client.name:
        problems.append(OrderProblem("client", "", "Le client n'est pas indiqué : ajoutez une ligne « Client : Nom de "
                                     "la société — SIREN 123 456 789 — compta@client.fr ».", "The client is missing: "
                                     "add a line « Customer: Company name — VAT DE136695976 — accounts@client.com »."))
    if not client.email and not fields.get("client.email"):
        problems.append(OrderProblem("client.email", "", "L'adresse e-mail du client manque : ajoutez « Email : "
                                     "compta@client.fr ».", "The client's email address is missing: add « Email: "
                                     "accounts@client.com »."))
    if not client.address and not client.city and not fields.get("client.address"):
        problems.append(OrderProblem("client.address", "", "L'adresse du client manque (mention obligatoire) : ajoutez "
                                     "« Adresse : 12 rue de la Paix, 75002 Paris ».", "The client's address is missing "
                                     "(mandatory on an invoice): add « Address: 12 rue de la Paix, 75002 Paris »."))
    if client.country == "FR" and client.is_business and not client.siren and not fields.get("client.siren") \
            and not fields.get("client.siret"):
        problems.append(OrderProblem("client.siren", "", "Le SIREN du client manque (mention obligatoire entre "
                                     "professionnels) : ajoutez « SIREN : 123 456 789 », ou « Particulier » si le "
                                     "client est un particulier.", "The client's SIREN is missing (mandatory between "
                                     "businesses): add « SIREN: 123 456 789 », or « Consumer » for a private person."))
    return problems


def line_problems(items: list[ItemRead]) -> list[OrderProblem]:
    """Unreadable lines quoted with their reason; zero or negative quantities and prices; no line at all."""
    if not items:
        return [OrderProblem("lines", "", "La commande n'a aucune ligne : ajoutez par exemple « - 3 x Audit à "
                             "1 200,00 € HT, TVA 20 % ».", "The order has no item line: add for example « - 3 x Audit "
                             "at 1,200.00 EUR excl. VAT, VAT 20% ».")]
    if len(items) > MAX_LINES:
        return [OrderProblem("lines", "", f"La commande a {len(items)} lignes, plus que les {MAX_LINES} qu'une facture "
                             "peut porter : partagez-la en plusieurs commandes.", f"The order has {len(items)} lines, "
                             f"more than the {MAX_LINES} an invoice can hold: split it into several orders.")]
    problems = []
    for number, item in enumerate(items, start=1):
        field = f"line {number}"
        if item.line is None:
            problems.append(OrderProblem(field, item.text, f"Ligne illisible : {item.french}",
                                         f"Unreadable line: {item.english}"))
        elif item.line.quantity <= 0:
            problems.append(OrderProblem(field, item.text, "La quantité doit être positive ; une remise se fait en "
                                         "baissant le prix, un remboursement par un avoir.", "The quantity must be "
                                         "positive; lower the price for a discount, issue a credit note for a refund."))
        elif _too_precise(item.line.quantity, QUANTITY_PLACES) or _too_precise(item.line.unit_price, PRICE_PLACES):
            problems.append(OrderProblem(field, item.text, f"Trop de décimales : {QUANTITY_PLACES} au plus pour une "
                                         f"quantité, {PRICE_PLACES} pour un prix.", f"Too many decimals: at most "
                                         f"{QUANTITY_PLACES} for a quantity, {PRICE_PLACES} for a price."))
        elif item.line.unit_price <= 0:
            problems.append(OrderProblem(field, item.text, "Le prix doit être supérieur à zéro ; une remise se fait en "
                                         "baissant le prix, un remboursement par un avoir.", "The price must be above "
                                         "zero; lower the price for a discount, issue a credit note for a refund."))
    return problems


def _too_precise(number: Decimal, places: int) -> bool:
    return -number.as_tuple().exponent > places
