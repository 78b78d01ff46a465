"""The client line of an order (« ACME SAS — SIREN 732 829 320 — compta@acme.fr ») and addresses."""

import re

from gateway.command_text import fold
from orders.countries import country_code
from orders.values import ODD_SPACES

# Bounded like the parts of a real address (RFC 5321), which also bounds the work on a long line.
EMAIL = re.compile(r"[\w.+'-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
SIRET = re.compile(r"\bsiret\s*(?:n°|no|:)?\s*:?\s*(\d(?:\s?\d){13})\b", re.IGNORECASE)
SIREN = re.compile(r"\bsiren\s*(?:n°|no|:)?\s*:?\s*(\d(?:\s?\d){8})\b", re.IGNORECASE)
VAT_NUMBER = re.compile(
    r"(?i:\b(?:tva(?:\s+intra\w*)?|vat(?:\s+(?:number|no|id))?|n°\s*tva)\s*:?\s*)?"
    r"\b((?:AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI|CHE)"
    r"[\s.-]?[0-9A-Z](?:[\s.-]?[0-9A-Z]){7,13})\b")
CONSUMER = re.compile(r"\b(particulier|consommateur|consumer|private (?:individual|person|customer)|b2c)\b", re.I)
BUSINESS = re.compile(r"\b(professionnel|entreprise|business|b2b)\b", re.IGNORECASE)
# Legal forms that make a name a business (French and common foreign ones).
LEGAL_FORM = re.compile(r"\b(sas|sasu|sarl|eurl|sa|sci|snc|scop|selarl|eirl|ei|gie|association|gmbh|ag|ltd|llc|"
                        r"inc|plc|bv|nv|srl|sl|spa|sprl|ab|oy|as|aps|kg|corp|limited)\b\.?", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+[—–-]\s+|\s*[|;,]\s*|\s+/\s+|[—–]")
POSTCODE_CITY = re.compile(r"^(?:[A-Z]{1,2}-)?(\d{4,5})\s+(.+)$")
_STREET_WORDS = re.compile(r"\b(rue|avenue|av|bd|boulevard|chemin|allee|place|impasse|route|quai|cours|batiment|bat|"
                           r"bp|cs|street|st|road|rd|zi|za|zac|lieu-dit|residence|strasse|str|via|calle)\b")


def client_fields(value: str) -> dict[str, str]:
    """The subfields of a client line: name, email, SIREN, SIRET, VAT number, kind and leftover address."""
    text = value.translate(ODD_SPACES)
    fields: dict[str, str] = {}
    for key, pattern in (("client.email", EMAIL), ("client.siret", SIRET), ("client.siren", SIREN),
                         ("client.vat_number", VAT_NUMBER), ("client.kind", CONSUMER), ("client.kind", BUSINESS)):
        match = pattern.search(text)
        if match and key not in fields:
            fields[key] = match[1] if pattern.groups else match[0]
            text = text[:match.start()] + " — " + text[match.end():]
    text = re.sub(r"\(\s*\)|\b(?:e-?mail|courriel|mail)\s*:?", " ", text, flags=re.IGNORECASE)
    parts = [part.strip(" ()[]:") for part in _SEPARATORS.split(text)]
    parts = [part for part in parts if part]
    if parts:
        fields["client.name"] = parts[0]
    if len(parts) > 1:
        fields["client.address"] = "\n".join(parts[1:])
    return fields


def looks_like_address_line(line: str) -> bool:
    """A line that continues an address: a street, a postcode and city, a country, a BP or a building."""
    stripped = line.strip()
    if not stripped or len(stripped) > 80 or ":" in stripped:
        return False
    return bool(POSTCODE_CITY.match(stripped) or country_code(stripped) or re.match(r"^\d", stripped)
                or _STREET_WORDS.search(fold(stripped)))


def split_address(text: str) -> tuple[tuple[str, ...], str, str, str]:
    """Street lines, postcode, city and the ISO country code written last (empty when none is written)."""
    parts = [part.strip() for part in re.split(r"[\n,]", text.translate(ODD_SPACES)) if part.strip()]
    country = ""
    if len(parts) > 1 and country_code(parts[-1]):
        country = country_code(parts.pop())
    postcode = city = ""
    for index in range(len(parts) - 1, -1, -1):
        match = POSTCODE_CITY.match(parts[index])
        if match:
            postcode, city = match[1], match[2].strip()
            del parts[index]
            break
    return tuple(parts), postcode, city, country


def kind_is_business(kind: str) -> bool | None:
    """« particulier » → False, « entreprise » → True, anything else → None (not said)."""
    if CONSUMER.search(kind):
        return False
    return True if BUSINESS.search(kind) else None
