"""The charge account proposed for a bill: the supplier's last one, else a category found in its words."""

import re

from accounting.text import ascii_text

# Checked in this order, the first category whose word appears wins: telecoms before software
# ("abonnement internet"), fees before everything (a lawyer's "conseil" is not a service bought in).
# Words are matched whole, on the text without accents and in lower case.
CATEGORIES = (
    ("6226", "honoraires", ("honoraires", "avocat", "avocats", "expert-comptable", "expert comptable",
                            "commissaire aux comptes", "notaire")),
    ("6132", "loyer", ("loyer", "loyers", "bail commercial", "charges locatives")),
    ("616", "assurance", ("assurance", "assurances", "prime d'assurance", "mutuelle")),
    ("6061", "énergie", ("electricite", "energie", "gaz", "edf", "engie", "totalenergies", "eau potable")),
    ("626", "télécom", ("telecom", "telecommunications", "telephone", "telephonie", "internet", "fibre",
                        "mobile", "forfait", "orange", "sfr", "bouygues telecom", "affranchissement", "la poste")),
    ("6135", "logiciels et abonnements", ("logiciel", "logiciels", "saas", "cloud", "hebergement", "licence",
                                          "abonnement", "subscription", "software", "hosting")),
    ("6064", "fournitures de bureau", ("fournitures de bureau", "papeterie", "papier", "ramette", "toner",
                                       "cartouche", "cartouches", "enveloppes")),
    ("6063", "petit équipement", ("petit equipement", "materiel", "outillage", "outil", "outils", "accessoires")),
    ("6241", "transport", ("transport", "livraison", "frais de port", "messagerie", "transporteur")),
    ("6256", "déplacements", ("deplacement", "deplacements", "hotel", "train", "sncf", "billet", "avion",
                              "taxi", "peage", "parking", "nuitee")),
    ("6257", "restaurant", ("restaurant", "repas", "dejeuner", "diner", "traiteur")),
    ("623", "publicité", ("publicite", "annonce", "marketing", "campagne", "affichage", "flyers")),
    ("615", "entretien", ("entretien", "reparation", "reparations", "depannage", "maintenance", "nettoyage")),
    ("604", "sous-traitance", ("sous-traitance", "sous traitance", "prestation", "prestations")),
)


def category_of(text: str) -> tuple[str, str, str] | None:
    """(account, category, the word found) of the first category named in the text, or None."""
    words = ascii_text(text).lower()
    for account, category, keywords in CATEGORIES:
        for keyword in keywords:
            if re.search(rf"(?<![a-z0-9]){re.escape(keyword)}(?![a-z0-9])", words):
                return account, category, keyword
    return None


def propose_account(bill_text: str, supplier_history_account: str | None, settings) -> tuple[str, str]:
    """(account, French reason): the supplier's last validated account, else a category, else the default."""
    if supplier_history_account:
        return supplier_history_account, "dernier compte utilisé pour ce fournisseur"
    found = category_of(bill_text)
    if found:
        account, category, word = found
        return account, f"catégorie « {category} » (mot « {word} » dans la facture)"
    return settings.default_charge_account, "compte par défaut : aucune catégorie reconnue"
