"""The labels of an order block (« Client : », « Échéance : », « PO: »…) and the field each one fills."""

import re

from gateway.command_text import fold
from orders.values import ODD_SPACES

# Folded label → field. A label is matched whole, before a colon (docs/orders.md lists them).
LABELS = {
    **dict.fromkeys(("client", "customer", "acheteur", "buyer", "bill to", "facturer a", "client final",
                     "a facturer a", "invoice to"), "client"),
    **dict.fromkeys(("nom", "name", "raison sociale", "nom du client", "client name", "customer name",
                     "company", "societe"), "client.name"),
    **dict.fromkeys(("adresse", "address", "adresse de facturation", "billing address", "adresse client",
                     "customer address", "client address", "siege", "invoice address"), "client.address"),
    **dict.fromkeys(("adresse de livraison", "delivery address", "livraison", "ship to", "shipping address",
                     "livrer a", "lieu de livraison", "deliver to"), "delivery_address"),
    **dict.fromkeys(("email", "e-mail", "mail", "courriel", "adresse email", "adresse e-mail", "adresse mail",
                     "email client", "e-mail client"), "client.email"),
    **dict.fromkeys(("siren", "siren client", "n siren", "no siren", "numero siren"), "client.siren"),
    **dict.fromkeys(("siret", "siret client", "n siret", "no siret", "numero siret"), "client.siret"),
    **dict.fromkeys(("tva intracom", "tva intracommunautaire", "n tva", "no tva", "numero de tva", "n de tva",
                     "numero tva", "tva client", "vat number", "vat no", "vat id", "vat nr", "n tva intracom",
                     "identifiant tva", "vat reg no"), "client.vat_number"),
    **dict.fromkeys(("tva", "vat", "taux de tva", "taux tva", "vat rate"), "vat"),
    **dict.fromkeys(("pays", "country"), "client.country"),
    **dict.fromkeys(("type de client", "client type", "customer type"), "client.kind"),
    **dict.fromkeys(("reference", "ref", "votre commande", "votre reference", "bon de commande", "bc", "po",
                     "n de commande", "numero de commande", "commande n", "purchase order", "order number",
                     "order no", "order", "your order", "order ref", "po number", "reference commande",
                     "reference client", "your reference"), "reference"),
    **dict.fromkeys(("echeance", "payment terms", "due", "conditions de paiement", "delai de paiement",
                     "reglement", "paiement", "terms", "due date", "date d'echeance", "conditions de reglement",
                     "payment", "a payer", "payable"), "payment_terms"),
    **dict.fromkeys(("acompte verse", "acompte recu", "acompte deja verse", "deja verse", "acompte paye",
                     "deposit paid", "deposit received", "advance paid", "acompte", "deposit",
                     "facture d'acompte", "deposit invoice", "acomptes"), "deposit"),
    **dict.fromkeys(("date de vente", "date de livraison", "date de la prestation", "date de prestation",
                     "sale date", "delivery date", "date of sale", "service date", "livre le", "date"), "sale_date"),
    **dict.fromkeys(("notes", "note", "observations", "observation", "remarque", "remarques", "commentaire",
                     "commentaires", "comments", "comment"), "notes"),
    **dict.fromkeys(("nature", "operation", "type d'operation", "type de vente", "nature de l'operation"),
                    "operation"),
}
# The fields that say a mail is an order; « Date : » or « Note : » alone could be any mail.
ORDER_FIELDS = frozenset({"client", "client.siren", "client.siret", "client.vat_number", "reference",
                          "payment_terms", "deposit", "delivery_address", "client.address"})
_BULLET = re.compile(r"^[-*•·▪►]\s*")
# The longest label of the table, with room for spaces and « N° »; a longer head is prose.
MAX_LABEL_CHARS = 45


# Identifiers are often written without a colon: « SIREN 732 829 320 », « TVA intracom FR96552100554 ».
_WITHOUT_COLON = re.compile(r"(siren|siret|tva intracom\w*|n[°o]\.? ?tva|vat(?: number| no| id)?|e-?mail|courriel)"
                            r"\s+(\S.*)", re.IGNORECASE)


def match_label(line: str) -> tuple[str, str] | None:
    """(field, value) when the line is « Label : value » with a known label, else None."""
    head, colon, value = line.translate(ODD_SPACES).replace("：", ":").partition(":")
    head = head.strip()
    if not colon and (bare := _WITHOUT_COLON.fullmatch(_BULLET.sub("", head))):
        head, colon, value = bare[1], ":", bare[2]
    if not colon or len(head) > MAX_LABEL_CHARS:
        return None
    label = " ".join(re.sub(r"[°º.#]", " ", fold(_BULLET.sub("", head))).split())
    field = LABELS.get(label)
    if field is None:
        return None
    return field, value.strip()
