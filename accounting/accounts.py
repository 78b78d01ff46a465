"""Names of the French chart of accounts (PCG) used by the entries, for the files that print them."""

# The most specific prefix wins: 445662 before 4456, 6064 before 606.
ACCOUNT_NAMES = {
    "401": "Fournisseurs",
    "411": "Clients",
    "4191": "Clients - Avances et acomptes reçus sur commandes",
    "4452": "TVA due intracommunautaire",
    "44566": "TVA déductible sur autres biens et services",
    "445662": "TVA intracommunautaire déductible",
    "44571": "TVA collectée",
    "471": "Compte d'attente",
    "512": "Banques",
    "604": "Achats d'études et prestations de services",
    "6061": "Fournitures non stockables (eau, énergie)",
    "6063": "Fournitures d'entretien et de petit équipement",
    "6064": "Fournitures administratives",
    "6068": "Autres matières et fournitures",
    "607": "Achats de marchandises",
    "6132": "Locations immobilières",
    "6135": "Locations mobilières",
    "615": "Entretien et réparations",
    "6156": "Maintenance",
    "616": "Primes d'assurances",
    "6226": "Honoraires",
    "623": "Publicité, publications, relations publiques",
    "6241": "Transports sur achats",
    "6256": "Missions",
    "6257": "Réceptions",
    "626": "Frais postaux et de télécommunications",
    "706": "Prestations de services",
    "707": "Ventes de marchandises",
}
CLASS_NAMES = {"1": "Capitaux", "2": "Immobilisations", "3": "Stocks", "4": "Tiers",
               "5": "Financier", "6": "Charges", "7": "Produits"}


def account_name(account: str) -> str:
    """The PCG name of an account by its longest known prefix, else the name of its class."""
    for length in range(len(account), 2, -1):
        name = ACCOUNT_NAMES.get(account[:length])
        if name:
            return name
    return CLASS_NAMES.get(account[:1], "Compte")
