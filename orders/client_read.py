"""The client of an order from its raw fields: identifiers checked, address split, business or consumer."""

import re

from invoicing import request_fields
from invoicing.request_fields import RequestError
from orders.client import EMAIL, LEGAL_FORM, kind_is_business, split_address
from orders.countries import country_code, country_of_vat_number
from orders.model import ClientDetails, OrderProblem

IDENTIFIERS = (
    ("siren", request_fields.siren, "Le SIREN « {} » n'est pas valide (9 chiffres) : recopiez-le depuis un Kbis ou "
     "l'annuaire des entreprises.", "The SIREN « {} » is not valid (9 digits): copy it from the company register."),
    ("siret", None, "Le SIRET « {} » n'est pas valide (14 chiffres, commençant par le SIREN).",
     "The SIRET « {} » is not valid (14 digits starting with the SIREN)."),
    ("vat_number", request_fields.vat_number, "Le numéro de TVA « {} » n'est pas valide : écrivez-le avec son code "
     "pays, par exemple « TVA : FR96552100554 ».", "The VAT number « {} » is not valid: write it with its country "
     "code, for example « VAT: DE136695976 »."),
)


def read_client(fields: dict[str, str]) -> tuple[ClientDetails, list[OrderProblem], bool]:
    """(client, problems, whether business or consumer was said or implied rather than assumed)."""
    problems: list[OrderProblem] = []
    values = _identifiers(fields, problems)
    street, postcode, city, address_country = split_address(fields.get("client.address", ""))
    country = _country(fields, address_country, values["vat_number"], problems)
    said = kind_is_business(fields.get("client.kind", ""))
    identified = any(values.values())
    if said is False and identified:
        problems.append(OrderProblem(
            "client", fields.get("client.kind", ""), "Le client est dit « particulier » mais a un SIREN ou un numéro "
            "de TVA : retirez l'un des deux.", "The client is called a consumer but has a SIREN or VAT number: remove "
            "one of them."))
    email = fields.get("client.email", "").strip()
    if email and not EMAIL.fullmatch(email):
        problems.append(OrderProblem("client.email", email, f"L'adresse « {email} » n'est pas une adresse e-mail : "
                                     "écrivez « Email : compta@client.fr ».", f"« {email} » is not an email address: "
                                     "write « Email: accounts@client.com »."))
        email = ""
    is_business = said if said is not None else True
    client = ClientDetails(
        name=fields.get("client.name", "").strip(), siren=values["siren"] or values["siret"][:9],
        siret=values["siret"], vat_number=values["vat_number"], email=email, address=street, postcode=postcode,
        city=city, country=country, is_business=is_business)
    known = said is not None or identified or bool(LEGAL_FORM.search(client.name))
    return client, problems, known


def _identifiers(fields: dict[str, str], problems: list[OrderProblem]) -> dict[str, str]:
    values = {}
    for key, reader, french, english in IDENTIFIERS:
        written = fields.get(f"client.{key}", "").strip()
        digits = re.sub(r"[\s.\-]", "", written)
        try:
            if key == "siret":
                request_fields.siret({"siret": digits}, "client.", "")
                values[key] = digits
            else:
                values[key] = reader({key: digits}, "client.") if written else ""
        except RequestError:
            problems.append(OrderProblem(f"client.{key}", written, french.format(written), english.format(written)))
            values[key] = ""
    if values["siren"] and values["siret"] and not values["siret"].startswith(values["siren"]):
        problems.append(OrderProblem("client.siret", fields["client.siret"], "Le SIRET ne commence pas par le SIREN du "
                                     "client : vérifiez les deux.", "The SIRET does not start with the client's SIREN: "
                                     "check both."))
    return values


def _country(fields: dict[str, str], address_country: str, vat_number: str, problems: list[OrderProblem]) -> str:
    """The country written, else the one ending the address, else the VAT number's, else France."""
    written = fields.get("client.country", "").strip()
    country = country_code(written) if written else address_country
    if written and not country:
        problems.append(OrderProblem("client.country", written, f"Je ne connais pas le pays « {written} » : écrivez "
                                     "son code à deux lettres (« Pays : DE »).", f"Unknown country « {written} »: write "
                                     "its two-letter code (« Country: DE »)."))
    if not country and vat_number:
        country = country_of_vat_number(vat_number)
    return country or "FR"
