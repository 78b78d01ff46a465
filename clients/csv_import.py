"""Reading a client list exported from a spreadsheet or another tool: CSV, `;` or `,`, UTF-8 or Windows-1252."""

import csv
import io
import unicodedata
from dataclasses import dataclass

from invoicing import request_fields as read
from invoicing.request_fields import RequestError
from orders.countries import country_code
from orders.model import ClientDetails

# The columns understood, each with the headers that name it (folded: lowercase, no accents, "_").
COLUMNS = {
    "name": ("name", "nom", "raison_sociale", "client", "societe", "company", "denomination"),
    "siren": ("siren", "n_siren", "numero_siren"),
    "siret": ("siret", "n_siret", "numero_siret"),
    "vat_number": ("vat_number", "vat", "tva", "n_tva", "numero_tva", "tva_intracom", "tva_intracommunautaire"),
    "email": ("email", "e_mail", "mail", "courriel", "adresse_email", "adresse_e_mail"),
    "address": ("address", "adresse", "rue", "adresse_1", "street"),
    "postcode": ("postcode", "code_postal", "cp", "zip", "postal_code"),
    "city": ("city", "ville", "commune", "town"),
    "country": ("country", "pays", "code_pays"),
    "kind": ("kind", "type", "nature", "categorie"),
}
HEADERS = {header: column for column, headers in COLUMNS.items() for header in headers}
BUSINESS_WORDS = {"entreprise", "societe", "professionnel", "pro", "business", "company", "b2b"}
CONSUMER_WORDS = {"particulier", "consommateur", "consumer", "individual", "private", "b2c"}
MAX_ROWS = 100_000


class BadFile(ValueError):
    """The file as a whole cannot be read as a client list (exit code 2)."""


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


def decode(data: bytes) -> str:
    """UTF-8 (with or without its BOM) first; anything else is read as Windows-1252, Excel's French default."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def fold_header(header: str) -> str:
    folded = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode().strip().lower()
    return "_".join("".join(char if char.isalnum() else " " for char in folded).split())


def read_clients(data: bytes) -> tuple[list[tuple[int, ClientDetails]], list[RowError], list[str]]:
    """The clients of a file with their line numbers, the rows refused and why, and the columns ignored."""
    text = decode(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise BadFile("le fichier est vide / the file is empty")
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    columns = [HEADERS.get(fold_header(name)) for name in header]
    if "name" not in columns:
        raise BadFile(f"aucune colonne « nom » / no name column among: {', '.join(header)}")
    ignored = [name for name, column in zip(header, columns) if column is None and name.strip()]
    clients, errors = [], []
    for row in reader:
        if reader.line_num > MAX_ROWS:
            raise BadFile(f"plus de {MAX_ROWS} lignes / more than {MAX_ROWS} rows")
        if not any(cell.strip() for cell in row):
            continue
        values = {column: cell.strip() for column, cell in zip(columns, row) if column}
        try:
            clients.append((reader.line_num, client_of(values)))
        except RequestError as error:
            errors.append(RowError(reader.line_num, str(error)))
    return clients, errors, ignored


def client_of(values: dict) -> ClientDetails:
    """One row checked as invoicing checks a buyer: SIREN by its key, SIRET against it, VAT number by stdnum."""
    if not values.get("name"):
        raise RequestError("name: le nom du client est vide / the client's name is empty")
    siren = read.siren(values, "")
    siret = read.siret(values, "", siren)
    vat_number = read.vat_number(values, "")
    email = values.get("email", "")
    if email and ("@" not in email or " " in email):
        raise RequestError(f"email: {email!r} n'est pas une adresse e-mail / is not an e-mail address")
    # "France" and "Allemagne" are written as often as FR and DE.
    written = values.get("country", "")
    country = read.country({"country": country_code(written) or written} if written else {}, "")
    kind = fold_header(values.get("kind", ""))
    if kind and kind not in BUSINESS_WORDS | CONSUMER_WORDS:
        raise RequestError(f"kind: {values['kind']!r} : « entreprise » ou « particulier » / business or consumer")
    is_business = kind in BUSINESS_WORDS if kind else bool(siren or siret or vat_number)
    address = tuple(line.strip() for line in values.get("address", "").replace(" | ", "\n").splitlines() if line.strip())
    return ClientDetails(
        name=values["name"], siren=siren or siret[:9], siret=siret, vat_number=vat_number, email=email,
        address=address, postcode=values.get("postcode", ""), city=values.get("city", ""), country=country,
        is_business=is_business,
    )
