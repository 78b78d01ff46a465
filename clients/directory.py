"""Finding a client again, filling an order's gaps from what is known, and recording what changed."""

import unicodedata
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clients.models import Client
from gateway.models import utcnow
from orders.model import ClientDetails

# The fields kept in the directory, with the words the salesperson reads when one changes.
FIELD_LABELS = {
    "name": "Nom", "siren": "SIREN", "siret": "SIRET", "vat_number": "N° TVA", "email": "E-mail",
    "address": "Adresse", "postcode": "Code postal", "city": "Ville", "country": "Pays",
}
ADDRESS_FIELDS = {"address", "postcode", "city", "country"}


@dataclass(frozen=True)
class Change:
    """One field of a known client that an order or an import changed: shown to the salesperson."""

    field: str
    label: str
    before: str
    after: str


def normalised_name(name: str) -> str:
    """« ACME S.A.S. » and « Acme SAS » are the same client: case, accents and punctuation aside."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    kept = "".join(char if char.isalnum() else " " for char in folded.replace(".", ""))
    return " ".join(kept.split())


def client_key(details: ClientDetails) -> str:
    """SIREN first (it names a company for good), else the e-mail address, else the name."""
    siren = details.siren or details.siret[:9]
    if siren:
        return f"siren:{siren}"
    if details.email:
        return f"email:{details.email.strip().lower()}"
    return f"name:{normalised_name(details.name)}"


def find_client(session: Session, details: ClientDetails) -> Client | None:
    """The known client an order names: by SIREN, else by e-mail, else by name."""
    siren = details.siren or details.siret[:9]
    if siren:
        found = session.scalars(select(Client).where(Client.siren == siren).order_by(Client.id)).first()
        if found is not None:
            return found
    if details.email:
        query = select(Client).where(func.lower(Client.email) == details.email.strip().lower()).order_by(Client.id)
        found = session.scalars(query).first()
        if found is not None and (not siren or not found.siren):
            return found
    if details.name and not siren:
        # Names are compared normalised, which SQL cannot do portably; a small company's
        # directory of a few thousand rows is read in milliseconds.
        wanted = normalised_name(details.name)
        for client in session.scalars(select(Client).where(Client.name != "").order_by(Client.id)):
            if normalised_name(client.name) == wanted:
                return client
    return None


def as_details(client: Client) -> ClientDetails:
    return ClientDetails(
        name=client.name, siren=client.siren, siret=client.siret, vat_number=client.vat_number,
        email=client.email, address=tuple(line for line in client.address.splitlines() if line.strip()),
        postcode=client.postcode, city=client.city, country=client.country, is_business=client.is_business,
    )


def filled_from(details: ClientDetails, known: Client | None) -> ClientDetails:
    """The order's client with the fields it leaves empty taken from the directory."""
    if known is None:
        return details
    stored = as_details(known)
    fields = set(FIELD_LABELS)
    # An address is one whole: an order that writes any part of it gives the whole new address,
    # and a new street is never mixed with the town the directory had.
    if details.address or details.postcode or details.city:
        fields -= ADDRESS_FIELDS
    gaps = {name: getattr(stored, name) for name in fields if not getattr(details, name) and getattr(stored, name)}
    return replace(details, **gaps)


def record_client(session: Session, details: ClientDetails) -> tuple[Client, list[Change]]:
    """Create the client or update it with these details; return it and every field that changed
    (a field the directory did not have yet is a change whose `before` is empty)."""
    known = find_client(session, details)
    values = _values_of(details)
    if known is None:
        client = Client(key=_free_key(session, client_key(details)), created_at=utcnow(), updated_at=utcnow(), **values)
        session.add(client)
        session.flush()
        return client, []
    changes = []
    for field, value in values.items():
        before = getattr(known, field)
        # « Acme S.A.S. » for « ACME SAS » is the same name: the directory keeps its spelling.
        same_name = field == "name" and normalised_name(value) == normalised_name(before)
        if field in FIELD_LABELS and value and value != before and not same_name:
            changes.append(Change(field, FIELD_LABELS[field], before, value))
            setattr(known, field, value)
    if changes:
        known.updated_at = utcnow()
    return known, changes


def _values_of(details: ClientDetails) -> dict:
    return {
        "name": details.name.strip(), "siren": details.siren or details.siret[:9], "siret": details.siret,
        "vat_number": details.vat_number, "email": details.email.strip(), "address": "\n".join(details.address),
        "postcode": details.postcode, "city": details.city, "country": details.country or "FR",
        "is_business": details.is_business,
    }


def _free_key(session: Session, key: str) -> str:
    """Two clients may share a name or an address: the later one gets a numbered key."""
    candidate, suffix = key, 2
    while session.scalar(select(Client.id).where(Client.key == candidate)) is not None:
        candidate, suffix = f"{key}#{suffix}", suffix + 1
    return candidate
