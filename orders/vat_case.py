"""Which VAT case an order falls in, with invoicing's own rules, and why it cannot be decided."""

from invoicing.vat import EU_COUNTRIES, FRENCH_VAT_TERRITORY, STANDARD_RATES, ZERO_RATE, ZERO_VAT_CASES
from invoicing.vat import derive_vat_case
from orders.countries import country_of_vat_number
from orders.model import ClientDetails, OrderLine, OrderProblem


def order_vat_case(client: ClientDetails, operation: str, franchise: bool = False) -> str:
    """The case invoicing derives for this client (invoicing.vat.derive_vat_case)."""
    return derive_vat_case(seller_franchise=franchise, buyer_country=client.country,
                           buyer_vat_number=client.vat_number, buyer_consumer=not client.is_business,
                           operation=operation or "services")


def vat_problems(client: ClientDetails, lines: list[tuple[int, OrderLine]], operation: str,
                 business_known: bool, operation_written: bool = False) -> list[OrderProblem]:
    """Why the VAT case is undetermined or contradicted; empty when every line's VAT is clear.

    `lines` are the readable lines with their number among all the item lines of the order.
    Without VAT (export, intra-EU), goods and services are worded differently: a line whose nature
    nothing tells is a problem, unless the order says « Nature : biens » or « services ».
    """
    undetermined = _undetermined(client, operation, business_known)
    if undetermined:
        return [undetermined]
    case = order_vat_case(client, operation)
    problems = []
    for number, line in lines:
        if line.vat_rate is None:
            continue
        if case in ZERO_VAT_CASES and line.vat_rate != ZERO_RATE:
            problems.append(_problem(
                f"line {number}", line.description,
                f"TVA {line.vat_rate} % écrite pour « {line.description} », mais ce client ne paie pas de TVA française "
                f"({_CASE_FR[case]}) : retirez le taux ou corrigez le pays / numéro de TVA du client.",
                f"VAT {line.vat_rate}% written for « {line.description} », but this client pays no French VAT "
                f"({case}): remove the rate or correct the client's country / VAT number."))
        elif case == "standard" and line.vat_rate not in STANDARD_RATES:
            problems.append(_problem(
                f"line {number}", line.description,
                f"Le taux de TVA {line.vat_rate} % n'existe pas pour ce client : écrivez 20, 10, 5,5 ou 2,1 %.",
                f"The VAT rate {line.vat_rate}% does not apply to this client: write 20, 10, 5.5 or 2.1%."))
    if case in ("reverse_charge_eu", "export") and (operation == "mixed" or not operation_written):
        problems.extend(_problem(f"line {number}", line.description,
                                 f"Précisez si « {line.description} » est un bien ou un service : ajoutez « (biens) » "
                                 "ou « (services) » à la ligne.",
                                 f"Say whether « {line.description} » is goods or services: add « (goods) » or "
                                 "« (services) » to the line.")
                        for number, line in lines if line.nature is None)
    return problems


def _undetermined(client: ClientDetails, operation: str, business_known: bool) -> OrderProblem | None:
    country = client.country
    if client.vat_number and country_of_vat_number(client.vat_number) != country:
        return _problem("vat", client.vat_number,
                        f"Le numéro de TVA {client.vat_number} ne correspond pas au pays du client ({country}) : "
                        "corrigez l'un ou l'autre.",
                        f"The VAT number {client.vat_number} does not match the client's country ({country}): "
                        "correct one of them.")
    if country in FRENCH_VAT_TERRITORY or not client.is_business and business_known:
        return None
    if country in EU_COUNTRIES and not client.vat_number:
        return _problem("vat", client.name,
                        "Client établi dans un autre pays de l'UE sans numéro de TVA : écrivez son numéro de TVA "
                        "intracommunautaire (« TVA : DE136695976 ») si c'est une entreprise, ou « Particulier ».",
                        "Client in another EU country without a VAT number: write its VAT number (« VAT: DE136695976 ») "
                        "if it is a business, or « Consumer ».")
    hypotheses = {order_vat_case(ClientDetails(country=country, vat_number=client.vat_number, is_business=business),
                                 operation) for business in (True, False)}
    if len(hypotheses) > 1 and not business_known:
        return _problem("vat", client.name,
                        "Client hors de l'UE : précisez s'il s'agit d'une entreprise (« Type de client : entreprise ») "
                        "ou d'un particulier (« Particulier »), la TVA en dépend.",
                        "Client outside the EU: say whether it is a business (« Customer type: business ») or a "
                        "consumer (« Consumer »); the VAT depends on it.")
    return None


_CASE_FR = {"reverse_charge_eu": "autoliquidation intracommunautaire", "export": "exportation hors UE",
            "franchise": "franchise en base"}


def _problem(field: str, line: str, french: str, english: str) -> OrderProblem:
    return OrderProblem(field=field, line=line, french=french, english=english)
