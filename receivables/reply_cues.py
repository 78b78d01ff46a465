"""The word lists that classify a client's reply, as regular expressions over folded text (see fold())."""

import re


def _words(*patterns: str) -> re.Pattern:
    return re.compile("|".join(patterns))


# Set phrases that carry a negation, a doubt or "erreur" without saying one: masked before reading.
IDIOMS = _words(r"\bpas de (?:souci|soucis|probleme|problemes)\b", r"\bn'hesitez pas\b", r"\bne pas hesiter\b",
                r"\bsans (?:faute|probleme|souci|delai|frais)\b", r"\bno (?:problem|worries)\b",
                r"\bsauf erreur(?: de (?:ma|notre) part)?\b", r"\berreur de (?:ma|notre) part\b", r"\bpar erreur\b",
                r"\bje ne manquerai pas\b", r"\bne manquez pas\b",
                r"\bcomme (?:ca|cela) (?:c'est|ce sera|ca sera) (?:regle|fait|solde|bon)\b",
                r"\b(?:refuse|rejete)e?s? par (?:la|ma|notre|leur|sa|votre) banque\b",
                # A machine refusing (the software, the bank's site) is no client refusing the invoice.
                r"\b(?:logiciel|systeme|banque|application|appli|site|outil|plateforme|carte|terminal|software|system)"
                r"\s+(?:\w+\s+){0,2}?(?:refus|rejet|bloqu)\w*")
NEGATION = _words(r"\bne\b", r"\bn'", r"\bpas\b", r"\bjamais\b", r"\baucun\w*", r"\brien\b", r"\bsans\b", r"\bnon\b",
                  r"\bnot\b", r"n't\b", r"\bnever\b", r"\bno\b", r"\bnothing\b", r"\byet to\b")
# "Pas avant le 15", "ne ... que le 15": a negation that puts the payment off to a date, not a refusal.
DEFERRAL = _words(r"\bpas(?:\s+\w+){0,3}\s+(?:avant|plus tard que)\b", r"\bnot(?:\s+\w+){0,3}\s+(?:before|until)\b",
                  r"\b(?:ne|n')\b[^,]{0,30}\bque\b")
# A payment made to depend on something else: « si notre client nous paie, … ».
CONDITION = _words(r"\bsi\b(?! possible)", r"\bif\b(?! possible)", r"\ba condition (?:que|de)\b", r"\bsous reserve\b",
                   r"\bprovided that\b", r"\bdes que (?:nous|notre|on|j')\w* (?:aur|sera|recev|encaiss)\w*")
UNCERTAIN = _words(r"\bnormalement\b", r"\ba priori\b", r"\bdevrai\w*", r"\bdevrions\b", r"\bessai\w*", r"\bessay\w*",
                   r"\bpeut-etre\b", r"\bprobablement\b", r"\bje (?:pense|crois|suppose)\b", r"\bil me semble\b",
                   r"\bj'espere\b", r"\besperons\b", r"\bsi\b", r"\bshould\b", r"\bmight\b", r"\bmaybe\b",
                   r"\bprobably\b", r"\bhopefully\b", r"\btry\b", r"\bi (?:think|believe)\b")
PARTIAL = _words(r"\bpartiel\w*", r"\bacompte\b", r"\bune partie\b", r"\bmoitie\b", r"\bpartial\w*", r"\bpart of\b", r"\bhalf\b")
# Words of something done or of a date already past: a date beside them is not a promise.
PAST = _words(r"\bhier\b", r"\bce matin\b", r"\bdepuis\b", r"\bderniere?\b", r"\byesterday\b", r"\bthis morning\b",
              r"\blast (?:week|month)\b", r"\bsince\b", r"\bago\b")
# Looking into it, passing it on: a day beside these words is when they will look, not pay.
LOOKING = _words(r"\b(?:je |j|on |nous )?regard\w*", r"\bverifi\w*", r"\bcheck\w*", r"\btransmet\w*", r"\btransmis\b",
                 r"\bforward\w*", r"\blook\w*", r"\bvu\b")
# An auxiliary of a past tense: « je l'ai envoyé », « nous avons viré », « a été fait ».
PERFECT = _words(r"\b(?:ai|avons|avez|ont|a ete|ete|deja|have|has|had|did)\b", r"\bl'(?:ai|avons|a|ont)\b")
# A future about the money reaching the account, not about paying: « il apparaîtra sous 48 h ».
ARRIVAL = _words(r"\bapparai\w*", r"\bvisible\b", r"\b(?:devriez|devrait|allez|va|pourrez) (?:le |la |les )?(?:recevoir|voir)\b",
                 r"\bshould (?:receive|see|arrive)\b", r"\bshow up\b", r"\bcredite\w* sur\b",
                 r"\b(?:arrivera|arriveront) sur (?:votre|ton) compte\b")
# « Je le relance lundi »: an act on the payment the reply names, with a day.
PRONOUN_ACTION = _words(r"\b(?:je|j'|nous|on)\s*(?:vous\s+|te\s+)?(?:le|la|les)\s+(?:relance\w*|lance\w*|fai\w*|fer\w*|refai\w*|renvoi\w*|"
                        r"envoi\w*|enverr\w*|passe\w*|program\w*|valide\w*|signe\w*)")
# Words of a payment still to come, or of one scheduled: a "done" word beside them is not done yet.
FUTURE = _words(r"\b(?:sera|seront|serons|partira|partiront|ferons|ferai|fera|feront|reglerons|reglerai|reglera|"
                r"regleront|paierons|paierai|paiera|paieront|payerons|payerai|payera|verserons|verserai|versera|"
                r"virerons|virerai|virera|procederons|procederai|effectuerons|effectuerai|enverrons|enverrai|"
                r"enverra|interviendra|lancerons|lancerai|allons|vais|va|vont|will|shall|going to|prevue?s?|"
                r"programmee?s?|planifiee?s?|scheduled|planned|due)\b", r"'ll\b")
PAY_WORD = _words(r"\bpromis\b", r"\bje (?:m'|me )?engage\w*\b", r"\bnous nous engageons\b", r"\bsettle\w*",
                  r"\b(?:je |j|on )(?:te |vous )?(?:fais|fait) (?:ca|cela|le necessaire)\b",r"\b(?:m'en|s'en|nous en|vous en) (?:occupe\w*|charge\w*)\b", r"\btake care of it\b",
                  # « Ce sera fait le 15 », « ça partira lundi »: answering a reminder, the thing done is the payment.
                  r"\b(?:sera|seront|ce sera) (?:fait|faite|parti|partie|envoye|envoyee|effectue|effectuee)\b",
                  r"\b(?:ca|il|elle) partira\b",
                  r"\bregl\w*", r"\bpai\w*", r"\bpay\w*", r"\bvirement\w*", r"\bvir(?:er|e|ons|ez|erons|erai)\b",
                  r"\bvers(?:ement|er|e|ee|erons|erai)\w*", r"\bcheque\w*", r"\bsolde\w*", r"\btransfer\w*",
                  r"\bwire\w*", r"\bremittance\b")

_DONE_RAW = r"\b(?:effectu|regl|pay|vers|vir|sold)ee?s?\b"
_DONE = (r"(?:(?:effectu|envoy|execut|realis|ordonn|lanc|post|expedi|regl|pay|sold|vir|vers)ee?s?|faite?s?|"
         r"partie?s?|emise?s?|transmise?s?|passee?s?|en cours\b(?! d)|sent|made|done|processed|issued|wired|settled|"
         r"paid|completed|executed|initiated|transferred|went out|gone out)\b")
_PAYMENT_NOUN = (r"(?:virement|vir|virt|vrt|paiement|reglement|cheque|versement|transfert|especes|liquide|payment|"
                 r"transfer|wire|check|cheque|cash|cb)s?")
PAYMENT_DONE = _words(
    r"\b" + _PAYMENT_NOUN + r"\b(?:\W+\w+){0,12}?\W+" + _DONE,
    r"\b(?:facture|invoice|montant|somme|tout|it)s?\b(?:\W+\w+){0,4}?\W+(?:reglee?s?|payee?s?|soldee?s?|paid|settled)\b",
    r"\b(?:avons|ai|jai|j ai|g|a|ont|on a)\s+(?:bien\s+|deja\s+|donc\s+|enfin\s+)?(?:regle|paye|vire|verse|solde|"
    r"procede (?:au|a l') ?(?:virement|paiement|reglement)|(?:fait|effectue|emis|envoye|passe|lance|ordonne|poste|"
    r"expedie)\s+(?:le|la|les|un|notre|nos|votre|ce)\s+(?:\w+\s+)?(?:virement|vir|virt|paiement|reglement|cheque|versement))\b",
    r"\b(?:c'est|c|cest|tout est|ete|is|it's|been)\s+(?:bien\s+|deja\s+|donc\s+)?(?:reglee?s?|payee?s?|soldee?s?|viree?s?|"
    r"versee?s?|paid|settled|wired|transferred)\b",
    r"\b(?:c'est fait|c fait|cest fait|ca y est|it's done|c'est parti|c parti|cest parti|c'est envoye|c envoye)\b",
    # « effectué par virement », « réglé en espèces », « payé par chèque »: done, by a means of payment.
    _DONE_RAW + r"(?:\W+\w+){0,3}?\W+(?:par|en|by)\s+(?:virement|vir|cheque|check|cb|carte|prelevement|especes|cash|"
    r"transfer|wire|card)\b",
    r"\b(?:venons|viens|vient)\s+d(?:e |')(?:regler|payer|virer|verser|solder|faire le (?:virement|paiement)|proceder|"
    r"effectuer|lancer|envoyer)\b",
    r"\b(?:mise?s?|passee?s?) en paiement\b", r"\b(?:le necessaire|the needful)\b[^,.;]{0,20}\b(?:fait|done)\b",
    r"\b(?:avons|ai|a) fait le necessaire\b", r"\b(?:demande|donne (?:l')?ordre|ordonne) a (?:ma|notre|la) banque\b",
    # A clause that opens on the participle states a thing done: « Réglé par prélèvement le 24 », « ras, payé ».
    r"\A\W*(?:reglee?s?|payee?s?|soldee?s?|paid|settled)\b",
    r"\b(?:preuve|justificatif|avis|ordre|confirmation|copie|capture)\s+(?:de |du |d')\s?(?:virement|paiement|"
    r"reglement|operation|transfert)\b", r"\bproof of (?:payment|transfer)\b", r"\bremittance advice\b",
    r"\b(?:we|i|we've|i've|have|has|had)\s+(?:already\s+|just\s+)?(?:paid|settled|wired|transferred)\b", r"\bpaid\b")

# "Je l'ai envoyé": done, when the reply names the payment the pronoun stands for.
PRONOUN_DONE = _words(r"\bl'(?:ai|avons|a|ont)\s+(?:bien\s+|deja\s+)?(?:envoy|emis|fait|pass|lanc|regl|pay|vir|post|expedi|"
                      r"effectu)\w*")
PAYMENT_NOUN = _words(r"\b" + _PAYMENT_NOUN + r"\b")

# Disputes a negation cancels: « je ne conteste pas », « ce n'est pas un refus », « aucune erreur ».
DISPUTE = _words(
    r"\bcontest\w*", r"\blitig\w*", r"\breclamation\w*", r"\bdisput\w*", r"\bdisagree\w*", r"\bcomplain\w*",
    r"\brefus\w*", r"\berreur\w*", r"\berrone\w*", r"\bincorrect\w*", r"\binexact\w*", r"\bwrong\b", r"\bmistake\w*",
    r"\berror\w*", r"\bdefectu\w*", r"\babime\w*", r"\bendommag\w*", r"\bcasse\w*", r"\bdamaged\b", r"\bdefective\b",
    r"\bbroken\b", r"\bmalfacon\w*", r"\ben panne\b", r"\bprobleme de qualite\b", r"\bmauvaise qualite\b",
    r"\bquality (?:issue|problem)\w*", r"\ben double\b", r"\bdoublon\w*", r"\bduplicate\w*",
    r"\b(?:factur\w*|charged|billed)\s+(?:\w+\s+)?(?:deux fois|twice)\b", r"\bdeja (?:ete )?factur\w*",
    r"\bsurfactur\w*", r"\bovercharg\w*", r"(?<!de )(?<!d')(?<!devriez )(?<!devrait )(?<!devrez )(?<!pourrez )(?<!pouvez )(?<!allez )(?<!va )(?<!dois )"
    r"(?<!doit )(?<!devez )(?<!should )(?:\bun |\bl'|\bd'un |\bvotre |\bcet |\bnotre )avoir\b(?! (?:jeudi|lundi|mardi|"
    r"mercredi|vendredi|demain|d'ici|sous|dans|cette|la semaine|bientot))",
    r"\bnote de credit\b", r"\bcredit (?:note|memo)\b",
    r"\b(?:montant|prix|tarif|quantite|total|taux|facture|somme|adresse|raison sociale|denomination|siret|siren|"
    r"amount|price|quantity|address|heures?)\b[^,;]{0,40}"
    r"\b(?:faux|fausse|fausses|inexact\w*)\b",
    r"\b(?:re)?factur\w*[^.;]{0,60}\b(?:alors que|au lieu de|instead of)\b", r"\d[^.;]{0,30}\bau lieu de\s+\d",
    r"\btrompe\w* de (?:client|destinataire|societe|personne)\b",
    r"\b(?:revoir|corriger|rectifier|refaire|annuler) (?:votre|la|cette|ta|the|this|your) (?:facture|invoice)\b",
    r"\b(?:la|le|les) (?:revoir|corriger|rectifier|refaire|reediter|annuler)\b[^.?]{0,40}\b(?:au nom|a l'ordre|adresse)\b",
    r"\b(?:facture|invoice)\b[^.]{0,40}\b(?:adressee?|libellee?|etablie?|addressed)\b[^.]{0,20}\b(?:ancien\w*|mauvais\w*|"
    r"autre societe|wrong)\b",
    r"\bfacture (?:rectifiee|rectificative|corrigee)\b",
    r"\b(?:renvoyer|refaire|reediter|reemettre|send)\b[^.]{0,30}\b(?:avec|with) (?:la|le|les|the) (?:bon|bonne|bons|bonnes|right|correct)\b",
    r"\b(?:tva|taux|rate|vat)\b[^.]{0,40}\b(?:devrait etre|aurait du etre|should be|devait etre)\b",
    r"\b(?:version|facture|invoice) (?:corrigee|rectifiee|modifiee|corrected|amended)\b", r"\bmerci de (?:rectifier|corriger)\b",
    r"\b(?:remise|rabais|ristourne|escompte|geste commercial|discount)\b[^.]{0,100}\b(?:n'apparai\w*|oubli\w*|manqu\w*|"
    r"(?:pas|jamais) (?:ete )?(?:appliqu|dedui|pris en compte)\w*|missing|not (?:applied|deducted))",
    r"\b(?:pouvez|pourriez|pourrais|peux|merci de)\b[^.?]{0,20}\b(?:la|le|les) (?:corriger|rectifier|refaire|modifier)\b", r"\b(?:sur|dans) (?:le|notre|votre) devis\b",
    r"\bpourquoi\b[^.?]{0,40}(?:€|\beur\b|\beuros\b)", r"\b(?:corrected|revised) invoice\b",
    r"\b(?:le|notre|votre|the|our|your) (?:devis|contrat|bon de commande|quote|contract)\b[^.]{0,40}"
    r"\b(?:prevoyait|indiquait|mentionnait|stipulait|annoncait|disait|etait (?:a|de)|said|stated)\b")

_GOODS = (r"(?:marchandise|commande|colis|livraison|materiel|produit|article|piece|prestation|travaux|travail|"
          r"intervention|mission|chantier|machine|lot|goods|order|delivery|parcel|work)s?")
_NOT_DONE = (r"(?:recu|livre|arrive|realise|termine|fini|effectue|fait|installe|commence|execute|repare|eu lieu|"
             r"conforme|received|delivered|arrived|done|completed)\w*")
# Disputes that are themselves negative: not delivered, not ordered, not ours, will not pay.
DISPUTE_NEGATIVE = _words(
    r"\bpas d'accord\b", r"\bnot agree\b", r"\bne (?:nous |me )?concerne\w* pas\b", r"\bnot (?:ours|for us)\b",
    r"\bpas (?:notre|pour nous|a nous)\b", r"\bpas (?:de |des )?clients?\b", r"\b(?:jamais|pas) command\w*",
    r"\bnever ordered\b", r"\b(?:jamais|pas) (?:signe|accepte)\w*", r"\bnever (?:signed|agreed|accepted)\b",
    r"\b(?:sais|vois) pas (?:de quoi|a quoi)\b", r"\bdon't know what (?:this|it) is\b", r"\bdid ?n[o']t order\b",
    r"\baucune commande\b", r"\bne correspond\w* (?:pas|a rien|a aucun\w*)\b",
    r"\bdoes ?n[o']t match\b", r"\bnon[- ]conforme\w*", r"\bpas conforme\w*",
    r"\bne (?:fonctionne|marche)\w* (?:toujours |plus )?(?:pas|plus)\b", r"\bdoes ?n[o']t work\b", r"\bnot working\b",
    r"\b(?:pas|hors) (?:de |l')?(?:question|intention) de (?:payer|regler)\b", r"\bjamais (?:demande|sollicite)\w*",
    r"\bhors de question\b",
    r"\b(?:recu|livre)e?s? qu'une partie\b", r"\bonly (?:received|got) part\b",
    r"\b(?:livraison|commande) (?:incomplete|partielle)\b",
    r"\b(?:paierai|paierons|payerai|payerons|reglerai|reglerons|payer|regler)\b[^.]{0,20}\bque (?:lorsque|quand|si|une fois)\b",
    r"\bpas de (?:paiement|reglement|virement) (?:tant que|avant que)\b",
    r"\b(?:paiera|paierons|paierai|payera|payerons|reglera|reglerons|reglerai|payer|regler)\b[^.]{0,30}"
    r"\b(?:quand|lorsque|une fois que|des que)\b[^.]{0,30}\b(?:fini|finie|finis|termine\w*|repare\w*|conforme\w*|livre\w*|"
    r"corrige\w*|refait\w*|rectifie\w*)",
    r"\b(?:payer|regler|paiera|paierons|paierai|reglera|reglerons|reglerai|payera|payerons|paiement|reglement)\b"
    r"[^.]{0,30}\btant que\b",
    r"\bne vois pas pourquoi\b[^.]{0,20}\b(?:pai|pay|regl)\w*",
    r"\bn(?:e |')(?:paierons|payerons|reglerons|paierai|payerai|reglerai|payons|reglons)\s+(?:pas|jamais|rien)\b"
    r"(?!\s+(?:avant|tout de suite|maintenant|immediatement|encore))",
    r"\bn(?:e |')(?:allons|vais|va|comptons)\s+(?:pas|jamais|rien)\s+(?:payer|regler)\b(?!\s+(?:avant|tout de suite|encore))",
    r"\b(?:will|shall) not pay\b", r"\bwon't pay\b", r"\brefuse to pay\b", r"\bnot (?:going|willing) to pay\b",
    r"\bpas un (?:centime|sou|euro|rond)\b", r"\bc'est non\b",
    r"\b(?:je |j'|j|on |nous )(?:paye|paie|payons|regle|reglons) pas (?:ca|cela|cette|ce|vos|votre)\b",
    # Spoken French drops the « ne »: « on paiera pas ça » refuses, « on paiera pas avant le 15 » defers.
    r"\b(?:on|nous|je|j')\s*(?:vous\s+)?(?:paiera|paierons|paierai|payera|payerons|payerai|reglera|reglerons|reglerai)"
    r"\s+(?:pas|jamais|rien)\b(?!\s+(?:avant|tout de suite|maintenant|immediatement|encore))")
# Goods or work not delivered, not done: a dispute unless what is "not done" is the payment itself.
NOT_DELIVERED = _words(
    # Spoken French: « le chantier est pas terminé », « le portail est toujours pas posé ».
    r"\b(?:est|sont)\s+(?:toujours\s+|meme\s+)?pas\s+(?:encore\s+)?(?:ete\s+)?(?:posee?s?|installee?s?|livree?s?|"
    r"terminee?s?|finie?s?|reparee?s?|montee?s?|branchee?s?|raccordee?s?)\b",
    r"\b" + _GOODS + r"\b(?:\W+\w+){0,3}?\W+(?:est|sont|a|ont)\s+(?:toujours\s+|meme\s+)?pas\s+(?:encore\s+)?(?:ete\s+)?"
    + _NOT_DONE,
    r"\b" + _GOODS + r"\b(?:\W+\w+){0,5}?\W+(?:ne|n')\W*(?:\w+\W+){0,2}?(?:jamais|pas|toujours pas|pas encore)\W+"
    r"(?:\w+\W+)?(?:ete\W+)?" + _NOT_DONE,
    r"\b(?:ne|n')\W*(?:\w+\W+){0,2}?(?:jamais|pas|pas encore|toujours pas)\W+(?:\w+\W+)?(?:recu|eu|vu)\w*\W+"
    r"(?:\w+\W+){0,2}?" + _GOODS + r"\b",
    r"\b(?:never|not|n't)\s+(?:\w+\s+){0,2}?(?:received|got|delivered)\b(?:\W+\w+){0,3}?\W+" + _GOODS + r"\b",
    r"\b" + _GOODS + r"\b(?:\W+\w+){0,3}?\W*(?:never|not|n't)\W+(?:\w+\W+)?(?:arrived|delivered|received|done|completed)\b")
