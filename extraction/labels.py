"""Label vocabularies per field (French first, then English, German, Dutch), as patterns on folded text.

Text is folded first (lower case, no accents: « Échéance » → « echeance »). Each label carries a
strength: how surely a value right of it or below it is that field. Where two labels overlap,
the longer one wins, so « Total HT » is never read as « Total ».
"""

import re

_HT = r"h\.?\s?t\.?(?![a-z])"
_TTC = r"t\.?\s?t\.?\s?c\.?(?![a-z])"
_TVA = r"t\.?\s?v\.?\s?a\.?(?![a-z])"

# field → [(pattern, strength)]
_LABELS: dict[str, list[tuple[str, float]]] = {
    "number": [
        (r"(?:n\s?[°o]|num(?:ero)?\.?)\s*(?:de\s+)?(?:la\s+)?facture", 0.95),
        (r"facture\s*(?:n\s?[°o]\.?|no\.?(?![a-z])|num(?:ero)?\.?|#)", 0.95),
        (r"avoir\s*(?:n\s?[°o]\.?|no\.?(?![a-z])|num(?:ero)?\.?)", 0.9),
        (r"invoice\s*(?:number|no\.?(?![a-z])|nr\.?|num\.?|#|id(?![a-z]))", 0.95),
        (r"credit\s*note\s*(?:number|no\.?(?![a-z])|#)", 0.9),
        (r"[a-z]*rechnung(?:s)?\s*(?:\(\d+\)\s*)?-?\s*(?:nummer|nr\.?|no\.?(?![a-z]))", 0.95),
        (r"gutschrift(?:s)?\s*-?\s*(?:nummer|nr\.?)", 0.9),
        (r"factuur\s*-?\s*(?:nummer|nr\.?|no\.?(?![a-z]))", 0.95),
        (r"(?<![\w])(?:facture|invoice|rechnung|factuur|avoir|gutschrift)(?![\w])", 0.55),
        # A bare « Numéro : » or « N° : » names the document only when nothing better does.
        (r"(?<![\w])(?:numero|n\s?°|no\.|number|nummer|nr\.?)(?=\s*:)", 0.45),
        (r"^\s*(?:n\s?°|no\.|nr\.)", 0.5),
    ],
    "issue_date": [
        (r"date\s*(?:de\s+)?(?:la\s+)?(?:facture|facturation|d'emission|emission)", 0.95),
        (r"invoice\s*date|date\s*of\s*(?:invoice|issue)|issue\s*date|issued\s*(?:on|at)|billing\s*date", 0.95),
        (r"rechnungsdatum|belegdatum|ausstellungsdatum|(?:emise|etablie|editee|faite)\s*le", 0.95),
        (r"factuur\s*datum", 0.95),
        (r"(?<![a-z])(?:date|datum|dated)(?![a-z])", 0.55),
        (r",\s*(?:den|le)(?![a-z])", 0.6),
        (r"(?<![a-z])(?:vom|du)(?![a-z])", 0.25),
    ],
    "due_date": [
        (r"date\s*d'?\s*echeance|(?<![a-z])echeance|date\s*limite\s*de\s*(?:paiement|reglement)", 0.9),
        (r"a\s*regler\s*avant\s*le|payable\s*(?:avant\s*)?(?:le|au)|a\s*payer\s*avant\s*le|exigibilite", 0.85),
        (r"due\s*date|payment\s*due(?:\s*date)?|date\s*due|due\s*(?:on|by)|pay(?:able)?\s*by", 0.85),
        (r"please\s*(?:remit|pay)\s*(?:until|by|before)", 0.8),
        (r"falligkeit(?:sdatum)?|fallig\s*(?:am|bis)?|zahlbar\s*(?:ohne\s*abzug\s*)?bis|zahlungsziel", 0.8),
        (r"vervaldatum|vervaldag|te\s*betalen\s*voor", 0.85),
    ],
    "amount_due": [
        (r"net\s*a\s*payer|montant\s*(?:net\s*)?a\s*payer|reste\s*a\s*payer|montant\s*du(?![a-z])", 0.9),
        (r"solde\s*du(?![a-z])|total\s*a\s*payer|somme\s*a\s*payer", 0.85),
        (r"(?:total\s*)?amount\s*due|balance\s*due|total\s*due|due\s*payable|amount\s*payable", 0.85),
        (r"zahlbetrag|zu\s*zahlen(?:der\s*betrag)?|offener\s*betrag|restbetrag", 0.85),
        (r"te\s*betalen(?:\s*bedrag)?", 0.8),
    ],
    "total_incl_tax": [
        (rf"total\s*{_TTC}|montant\s*{_TTC}|net\s*{_TTC}|total\s*toutes\s*taxes(?:\s*comprises)?", 0.95),
        (rf"(?<![a-z]){_TTC}", 0.6),
        (r"total\s*(?:incl\.?|including|inc\.?)\s*(?:vat|tax(?:es)?)|grand\s*total|invoice\s*total", 0.85),
        (r"total\s*amount|total\s*for\s*this\s*invoice|gross\s*total|total\s*gross", 0.8),
        (r"bruttosumme|bruttobetrag|gesamtbetrag(?!\s*(?:der|netto))|rechnungssumme(?!\s*ohne)", 0.85),
        (r"rechnungsbetrag|summe\s*gesamt|gesamtsumme|endbetrag|brutto(?![a-z])", 0.75),
        (r"factuur\s*totaal|totaalbedrag|totaal\s*incl\.?\s*btw", 0.85),
        (r"(?<![a-z])(?:total|totaal|summe|gesamt)(?![a-z])", 0.5),
    ],
    "total_excl_tax": [
        (rf"total\s*{_HT}|montant\s*{_HT}|total\s*hors\s*tax(?:es?)?|base\s*{_HT}|net\s*{_HT}", 0.95),
        (rf"sous[\s-]*total(?:\s*{_HT})?|(?<![a-z]){_HT}", 0.6),
        (r"total\s*(?:excl\.?|excluding|ex\.?|before|net\s*of)\s*(?:vat|tax(?:es)?)|net\s*total|total\s*net", 0.85),
        (r"sub\s*-?\s*total|net\s*amount|amount\s*(?:excl\.?|before)\s*(?:vat|tax)", 0.75),
        (r"rechnungssumme\s*ohne\s*ust\.?|summe\s*netto|nettosumme|gesamtbetrag\s*netto", 0.9),
        (r"nettobetrag|netto\s*gesamt|warenwert|netto(?![a-z])", 0.55),
        (r"exclusief\s*btw|totaal\s*excl\.?\s*btw|subtotaal", 0.8),
    ],
    "total_tax": [
        (rf"total\s*{_TVA}|montant\s*(?:de\s*(?:la\s*)?)?{_TVA}|(?<![a-z]){_TVA}", 0.85),
        (r"total\s*vat|vat\s*total|vat\s*amount|total\s*tax|tax\s*amount|sales\s*tax", 0.85),
        (r"(?<![a-z])(?:vat|tax)(?![a-z])", 0.6),
        (r"steuerbetrag|umsatzsteuer(?:betrag)?|mehrwertsteuer", 0.8),
        (r"(?<![a-z])(?:mwst|ust)\.?(?:-?betrag)?(?![a-z])", 0.75),
        (r"(?<![a-z])btw(?:\s*bedrag)?(?![a-z])", 0.7),
    ],
    # Advances already paid: the amount due is the total less these.
    "paid": [
        (r"acompte(?:\s*verse)?|(?:montant\s*)?deja\s*(?:paye|regle|verse)|avance\s*versee", 0.8),
        (r"already\s*paid|amount\s*paid|paid\s*to\s*date|prepaid|prepayment|advance\s*payment", 0.8),
        (r"erhaltene\s*anzahlung(?:en)?|anzahlung|bereits\s*(?:gezahlt|bezahlt)|reeds\s*betaald", 0.8),
    ],
    # Labels whose values are no field of ours: they stop a neighbour label from reaching over.
    "other": [
        (r"(?:n\s?[°o]|numero)\s*(?:de\s+)?(?:tva|client|commande|bon|contrat|dossier|siren|siret|devis|compte)", 1.0),
        (r"(?:commande|bon\s*de\s*\w+|devis|contrat|dossier|client|compte)\s*(?:n\s?°|no\.?|numero)", 1.0),
        (rf"{_TVA}\s*intra(?:com\w*)?|(?:numero|n\s?[°o]|id\.?)\s*(?:de\s*)?{_TVA}", 1.0),
        (rf"{_TVA}\s*(?:acquittee|non\s*applicable|sur\s*les\s*encaissements)", 1.0),
        (r"vat\s*(?:number|no\.?|id|reg\w*)|tax\s*id|ust\.?\s*-?\s*id\w*|(?:u\s*st|ust)\s*-?\s*idnr", 1.0),
        (r"steuer\s*-?\s*(?:nummer|nr)|btw\s*-?\s*(?:nummer|nr)|kvk", 1.0),
        (r"facture\s*associee|date\s*de\s*facture\s*associee|(?:order|customer|account)\s*(?:number|no|id|#)", 1.0),
        (r"(?:bestell|kunden|auftrags|liefer|leistungs)\w*|(?:klant|order)\w*", 1.0),
        (r"date\s*de\s*(?:livraison|commande|debut|fin)|delivery\s*date|order\s*date", 1.0),
        (r"periode|period|zeitraum|seite|page", 1.0),
    ],
}

LABELS: dict[str, list[tuple[re.Pattern, float]]] = {
    name: [(re.compile(pattern), strength) for pattern, strength in entries]
    for name, entries in _LABELS.items()
}

# Headings after which the block belongs to the buyer, to the seller, or to someone else.
BUYER_HEADINGS = re.compile(
    r"(?<![a-z])(?:client|factur[ea]\s*a|adresse\s*(?:de\s*facturation|du\s*client)|destinataire|acheteur"
    r"|vos\s*(?:identifiants|references|coordonnees)|bill(?:ed)?\s*to(?:\s*address)?|sold\s*to|customer|buyer"
    r"|kaufer|rechnungsempfanger|leistungsempfanger|kunde|empfanger|factuuradres|klant"
    r"|billing\s*address|uw\s*btw(?:\s*nummer)?|your\s*vat\s*(?:number|no\.?|id)?)(?![a-z])"
)
SELLER_HEADINGS = re.compile(
    r"(?<![a-z])(?:vendeur|fournisseur|emetteur|prestataire|nos\s*references|seller|supplier|vendor"
    r"|service\s*provider|sold\s*by|ver\s?kaufer|lieferant|leistungserbringer|rechnungssteller)(?![a-z])"
)
THIRD_PARTY_HEADINGS = re.compile(
    r"(?<![a-z])(?:representant\s*fiscal|beneficiaire|payee|tax\s*representative|livraison|ship\s*to"
    r"|shipping\s*address|delivery|afleveradres|abweichende\w*|warenempfanger|lieferanschrift)(?![a-z])"
)
