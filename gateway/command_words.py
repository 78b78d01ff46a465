"""The vocabulary of the command grammar, as data: every word is written folded (lowercase, no accents)."""

# Canonical command names, in the order the help lists them.
COMMANDS = ("approve", "reject", "correct", "duplicate", "new", "paid", "credit", "pause", "resume", "stop", "remind",
            "formal_notice", "status", "help")

# Words that approve on their own. They approve only when the whole line is made of these and
# of the companions below: any other word, a question mark or an ellipsis makes the line a doubt.
APPROVALS = {
    "ok", "okay", "oui", "d'accord", "d accord", "daccord", "dac", "accord", "ok d'accord",
    "valide", "validee", "je valide", "nous validons", "on valide", "bon pour accord", "bon a payer", "bap",
    "approuve", "approuvee", "j'approuve", "accepte", "acceptee", "j'accepte", "je confirme", "confirme", "confirmee",
    "yes", "approved", "approve", "i approve", "confirm", "confirmed", "i confirm", "agreed", "accepted", "validated",
}

# Polite words that may stand beside an approval ("OK merci") and, alone on a line, are ignored.
POLITE = {
    "merci", "merci beaucoup", "merci bien", "mille mercis", "merci a vous", "merci a toi", "merci d'avance",
    "bonjour", "bonsoir", "salut", "cordialement", "bien cordialement", "bonne journee", "bonne soiree",
    "bonne fin de journee", "bon week-end", "bonne semaine", "a bientot", "bien a vous",
    "thanks", "thank you", "thanks a lot", "many thanks", "thx", "cheers", "hello", "hi",
    "regards", "best regards", "kind regards", "have a nice day", "et", "svp", "stp", "s'il vous plait",
    "s'il te plait", "please",
}

# Words that may stand beside an approval ("C'est OK pour moi") but are no approval on their own:
# "C'est bon" alone may mean "that will do" as well as "approved", so it is asked again.
ASSENTING = {
    "c'est", "tout est", "tout", "pour moi", "pour nous", "de mon cote", "de notre cote", "c'est bon",
    "tout est bon", "parfait", "super", "tres bien", "nickel", "impeccable", "ca marche", "ca me va",
    "all good", "looks good", "sounds good", "good", "great", "perfect", "fine", "for me",
}

# Punctuation allowed beside an approval. "?" and "..." are doubt; ":" may announce a "but".
QUIET_PUNCTUATION = {".", ",", "!", ";", "-", "\u2013", "\u2014"}
# Smileys and emoji may stand beside OK ("OK 👍"), but none approves alone: a thumbs-up may mean
# "seen" as well as "approved", and mail clients send emoji reactions as mails of their own.
EMOJI = {":)", ":-)", "\U0001f642", "\U0001f60a", "\U0001f44d", "\U0001f44c", "\u2705", "\u2714", "\ufe0f",
         "\U0001f3fb", "\U0001f3fc", "\U0001f3fd", "\U0001f3fe", "\U0001f3ff"}

# Words that signal doubt, a negation or a problem. They never pass beside an approval (no
# unknown word does); here they serve to keep a line after a sign-off, where names are skipped.
DOUBT = {
    "pas", "ne", "n'est", "non", "no", "not", "don't", "nope", "mais", "sauf", "hormis", "except", "but",
    "however", "cependant", "toutefois", "attention", "sans", "without", "reserve", "unless", "si", "if",
    "peut-etre", "maybe", "perhaps", "presque", "almost", "faux", "fausse", "erreur", "errone", "erronee",
    "incorrect", "wrong", "error", "mistake", "probleme", "problem", "souci", "corriger", "verifier", "revoir",
    "check", "manque", "manquant", "missing", "attendre", "attends", "wait", "patienter", "encore", "yet",
    "ps", "nb", "ko", "trop", "too", "incomplet", "incomplete", "annuler", "annule", "cancel", "refaire",
    "douteux", "suspect", "inexact",
}
# Words of the legal notices and printing reminders that close many company signatures.
DISCLAIMERS = ("confidentiel", "confidential", "intended recipient", "destinataire", "disclaimer",
               "avant d'imprimer", "before printing", "l'environnement", "the environment")

# Replies that open with "no" but refuse nothing.
NOT_A_REFUSAL = {"no problem", "no problems", "no worries", "no issue", "no issues", "no prob"}

# The words that open a command line, longest first when matched.
KEYWORDS = {
    "non": "reject", "no": "reject", "refuse": "reject", "refusee": "reject", "je refuse": "reject",
    "nous refusons": "reject", "rejete": "reject", "rejetee": "reject", "rejet": "reject",
    "reject": "reject", "rejected": "reject", "refused": "reject", "decline": "reject", "declined": "reject",
    "doublon": "duplicate", "c'est un doublon": "duplicate", "duplicate": "duplicate",
    "it's a duplicate": "duplicate",
    "nouveau": "new", "nouvelle": "new", "nouvelle facture": "new", "new": "new", "pas un doublon": "new",
    "not a duplicate": "new",
    "paye": "paid", "payee": "paid", "paid": "paid", "regle": "paid", "reglee": "paid",
    # Only the French word: "credit" and "note" are common in signatures, which grammar words keep.
    "avoir": "credit",
    "pause": "pause", "suspendre": "pause", "suspends": "pause",
    "reprendre": "resume", "reprends": "resume", "reprise": "resume", "resume": "resume",
    "stop": "stop", "arreter": "stop", "arret": "stop", "arrete": "stop",
    "relance": "remind", "relancer": "remind", "relancez": "remind",
    "mise en demeure": "formal_notice", "mettre en demeure": "formal_notice", "formal notice": "formal_notice",
    "statut": "status", "status": "status", "etat": "status",
    "aide": "help", "help": "help", "?": "help", "commandes": "help", "commands": "help",
}

# Sign-offs: the lines after one are a signature, skipped unless they hold a grammar word.
SIGNOFFS = {
    "merci", "merci beaucoup", "merci bien", "mille mercis", "merci a vous", "merci a toi", "merci d'avance",
    "cordialement", "bien cordialement", "tres cordialement", "cdlt", "cdt", "bien a vous", "bien a toi",
    "salutations", "sinceres salutations", "bonne journee", "bonne soiree", "bonne fin de journee",
    "bon week-end", "bonne semaine", "a bientot", "a plus",
    "thanks", "thank you", "thanks a lot", "many thanks", "thx", "cheers", "regards", "best regards",
    "kind regards", "best", "best wishes", "sincerely", "yours", "bye", "have a nice day",
}
# Mobile mail apps add a footer line that starts like this.
FOOTERS = ("envoye de mon", "envoye depuis", "sent from my", "get outlook for", "telecharger outlook")
GREETINGS = {"bonjour", "bonsoir", "hello", "hi", "hey", "salut", "coucou", "dear", "madame", "monsieur"}
# Words a greeting line may hold beside names ("Bonjour à tous").
GREETING_WORDS = {"a", "tous", "toutes", "all", "team", "everyone", "madame", "monsieur", "mme", "m", "mr", "ms", "mrs"}

# Corrections: the names of fields, French first, mapped to the bill's fields.
FIELDS = {
    "total_incl_tax": ("ttc", "total ttc", "montant ttc", "net a payer", "total a payer", "total incl tax",
                       "total including tax", "total including vat", "gross", "gross amount", "amount due"),
    "total_excl_tax": ("ht", "total ht", "montant ht", "net ht", "total excl tax", "total excluding tax",
                       "subtotal", "net amount"),
    "total_tax": ("tva", "total tva", "montant tva", "montant de la tva", "taxe", "taxes", "vat", "total vat",
                  "tax", "total tax", "vat amount", "tax amount"),
    "number": ("numero", "num", "no", "n", "numero de facture", "numero facture", "n facture", "facture",
               "reference", "ref", "invoice number", "invoice no", "number", "invoice"),
    "issue_date": ("date", "date de facture", "date facture", "date d'emission", "emise le", "date emission",
                   "invoice date", "issue date"),
    "due_date": ("echeance", "date d'echeance", "date echeance", "date limite", "date limite de paiement",
                 "a payer avant le", "payable le", "due", "due date", "payment due"),
    "supplier.name": ("fournisseur", "emetteur", "raison sociale", "supplier", "vendor", "seller"),
    "supplier.siren": ("siren", "n siren", "numero siren"),
    "supplier.siret": ("siret", "n siret", "numero siret"),
    "supplier.vat_number": ("tva intracom", "tva intracommunautaire", "n tva", "numero de tva", "numero tva",
                            "vat number", "vat id", "vat no"),
    "supplier.iban": ("iban", "rib"),
    "account": ("compte", "compte comptable", "compte de charge", "imputation", "account", "gl account"),
    "currency": ("devise", "monnaie", "currency"),
}
FIELD_NAMES = {name: field for field, names in FIELDS.items() for name in names}
# Lone amounts that do not say whether tax is included are asked again rather than guessed.
UNCLEAR_FIELDS = {"total", "montant", "amount", "total amount", "prix", "price"}

MONTHS = {
    1: ("janvier", "janv", "jan", "january"), 2: ("fevrier", "fevr", "fev", "feb", "february"),
    3: ("mars", "mar", "march"), 4: ("avril", "avr", "apr", "april"), 5: ("mai", "may"),
    6: ("juin", "jun", "june"), 7: ("juillet", "juil", "jul", "july"), 8: ("aout", "aou", "aug", "august"),
    9: ("septembre", "sept", "sep", "september"), 10: ("octobre", "oct", "october"),
    11: ("novembre", "nov", "november"), 12: ("decembre", "dec", "december"),
}
MONTH_NUMBERS = {name: number for number, names in MONTHS.items() for name in names}
WEEKDAYS = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "lun", "mar", "mer", "jeu",
            "ven", "sam", "dim", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "mon", "tue", "wed", "thu", "fri", "sat", "sun"}

# One line of help per command: (syntax, explanation) in French, then in English.
HELP = {
    "approve": (("OK", "valider (OUI, VALIDÉ, BON POUR ACCORD valent aussi)"),
                ("OK", "approve (YES, APPROVED, CONFIRM also work)")),
    "reject": (("NON motif", "refuser, en donnant le motif"), ("NO reason", "reject, giving the reason")),
    "correct": (("champ : valeur", "corriger une valeur, par exemple « TTC : 1 234,56 » ou « Échéance : 30/04/2026 »"),
                ("field: value", "correct a value, e.g. \"Total incl tax: 1,234.56\" or \"Due date: 2026-04-30\"")),
    "duplicate": (("DOUBLON", "c'est un doublon d'une facture déjà reçue"),
                  ("DUPLICATE", "it duplicates a bill already received")),
    "new": (("NOUVEAU", "ce n'est pas un doublon : la traiter comme une nouvelle facture"),
            ("NEW", "not a duplicate: handle it as a new bill")),
    "paid": (("PAYÉ FA2026-0012 [montant] [date]", "la facture a été réglée"),
             ("PAID FA2026-0012 [amount] [date]", "the invoice has been paid")),
    "credit": (("AVOIR FA2026-0012 [montant HT|TTC] [motif]", "émettre un avoir, total ou partiel, et l'envoyer au client"),
               ("AVOIR FA2026-0012 [amount HT|TTC] [reason]", "issue a full or partial credit note and send it to the client")),
    "pause": (("PAUSE [facture | client] [jusqu'au date | N jours]", "suspendre les relances"),
              ("PAUSE [invoice | client] [until date | N days]", "pause the reminders")),
    "resume": (("REPRENDRE [facture | client]", "reprendre les relances"),
               ("RESUME [invoice | client]", "resume the reminders")),
    "stop": (("STOP [facture | client]", "arrêter définitivement les relances"),
             ("STOP [invoice | client]", "stop the reminders for good")),
    "remind": (("RELANCE facture [+N]", "relancer le client maintenant, ou dans N jours"),
               ("RELANCE invoice [+N]", "remind the client now, or in N days")),
    "formal_notice": (("MISE EN DEMEURE [facture | client]", "recevoir la mise en demeure de payer en PDF (recommandé)"),
                      ("MISE EN DEMEURE [invoice | client]", "get the formal notice to pay as a PDF (registered post)")),
    "status": (("STATUT [facture | client]", "recevoir l'état des factures"),
               ("STATUS [invoice | client]", "get the state of the invoices")),
    "help": (("AIDE", "recevoir cette liste"), ("HELP", "get this list")),
}
