"""What kind of document an attachment is: invoice, credit note, quote, receipt, reminder, statement, terms."""

import re
import unicodedata

from extraction.model import KINDS, TextDocument, Word
from extraction.type_codes import kind_of_type_code

# Each row is evidence for one kind: a regex on folded text (lower case, no accents, straight
# apostrophes), the points per hit anywhere in the text (three hits at most), and the points of its
# best-placed hit in the title area (scaled by position, see _title_weight).
# Words that footers and cross-references use ("conditions générales", "devis n°", "reçu",
# "avoir" the verb) score little in the body and a lot in the title: a document names itself at
# the top. Specific words (relance, gutschrift) outweigh "facture", which every kind mentions.
EVIDENCE = [
    ("invoice", r"\bfactures?\b(?!\s*d\s*'?\s*avoir)", 0.5, 4),
    ("invoice", r"\b(invoice|rechnung(?!skorrektur)|handelsrechnung|factuur|fattura|factura)\b", 0.5, 4),
    ("invoice", r"\b(facture|invoice|rechnung)\s*(n\s*[o°]|numero|number|nr|#)", 0, 2),
    ("invoice", r"\b(note d'honoraires|date d'echeance|due date|zahlbar bis|net a payer)\b", 0.5, 1),
    # Totals: every bill has them, terms and statements of account do not.
    ("invoice", r"\b(total (ht|ttc|tva)|montant (ht|ttc)|amount due|total due|gesamtbetrag|nettobetrag)\b", 0.7, 0),
    ("credit_note", r"\bfacture\s*d\s*'?\s*avoir\b", 4, 6),
    ("credit_note", r"\b(note de credit|credit note|credit memo|gutschrift|rechnungskorrektur|stornorechnung|"
                    r"creditnota)\b|\bavoir\s*(n\s*[o°]|numero)", 3, 6),
    ("credit_note", r"^\s*avoir\b", 0, 6),
    ("quote", r"\bdevis\b", 0.5, 5),
    ("quote", r"\b(proposition commerciale|offre de prix|quotation|angebot|kostenvoranschlag|offerte)\b", 1, 5),
    ("quote", r"\b(quote|estimate)\b", 0.3, 5),
    ("quote", r"\b(bon pour accord|validite de l'offre|offre valable|valid until|gultig bis)\b", 1.5, 1.5),
    ("receipt", r"\brecu\b", 0.3, 5),
    ("receipt", r"\b(ticket de caisse|quittance|quittung|kassenbon|kassenbeleg|recu de paiement)\b", 3, 5),
    ("receipt", r"\breceipt\b", 1, 5),
    ("receipt", r"\b(rendu monnaie|monnaie rendue|change due|dankend erhalten|amount paid)\b", 2, 2),
    ("reminder", r"\b(relance|mise en demeure|mahnung|zahlungserinnerung|payment reminder|"
                 r"(premier|1er|deuxieme|second|dernier) rappel|rappel de (paiement|facture|reglement))\b", 2, 6),
    # Invoices' legal mentions speak of late payment too ("tout impayé…"): little weight in the body.
    ("reminder", r"\b(reminder|overdue|past due|impayee?s?|unpaid|sauf erreur de notre part)\b", 1, 3),
    # A statement of account lists invoices already received: booking it too would count them twice.
    ("statement", r"\b(releve de compte|releve bancaire|extrait de compte|releve des operations|bank statement|"
                  r"releve (de|des) factures|"
                  r"account statement|statement of account|kontoauszug)\b", 3, 6),
    ("statement", r"\b(ancien solde|nouveau solde|solde precedent|opening balance|closing balance|"
                  r"alter kontostand|neuer kontostand|anfangssaldo|endsaldo)\b", 2, 2),
    ("terms", r"\b(conditions generales( de vente| d'achat| de prestation)?|cgv|terms and conditions|"
              r"general terms|terms of sale|allgemeine geschaftsbedingungen|agb)\b", 0.5, 6),
    ("terms", r"(^|\n)\s*(article\s+\d+|§\s*\d+)\b", 1, 0),
]
PATTERNS = [(kind, re.compile(regex, re.MULTILINE), body, title) for kind, regex, body, title in EVIDENCE]
# Words in the file name ("facture_123.pdf", "devis-acme.pdf") count like a title word.
FILENAME_WORDS = [
    ("invoice", r"facture|invoice|rechnung|factuur"), ("credit_note", r"avoir|credit|gutschrift"),
    ("quote", r"devis|quote|quotation|angebot"), ("receipt", r"recu|receipt|ticket|quittung"),
    ("reminder", r"relance|rappel|reminder|mahnung"), ("statement", r"releve|statement|kontoauszug"),
    ("terms", r"cgv|conditions|terms|agb"),
]
FILENAME_POINTS = 3
MAX_BODY_HITS = 3
# Below this score nothing speaks clearly for a kind: "other".
MIN_SCORE = 2
# The title area of plain text: its first non-empty lines. A title word counts less the lower it
# sits, and a third as much in a long line, which is a sentence ("CGV disponibles sur notre site…")
# rather than a heading ("CONDITIONS GÉNÉRALES DE VENTE").
TITLE_LINES = 10
DECAY_PER_LINE, LOWEST_DECAY = 0.08, 0.3
HEADING_WORDS, SENTENCE_FACTOR = 6, 0.35


def classify(text: str, filename: str = "", type_code: str | None = None) -> str:
    """The kind of a document from its text; a structured document's UNTDID 1001 type code wins."""
    from_code = kind_of_type_code(type_code)
    if from_code:
        return from_code
    first_page = fold(text.split("\f", 1)[0])
    lines = [line for line in first_page.splitlines() if line.strip()][:TITLE_LINES]
    title = [(line, max(1 - DECAY_PER_LINE * index, LOWEST_DECAY)) for index, line in enumerate(lines)]
    return best_kind(title, fold(text), filename)


def classify_document(doc: TextDocument, filename: str = "") -> str:
    """Like classify, the title area being the first page's top: full weight in the top third,
    fading to LOWEST_DECAY at mid-page (titles sit below a tall letterhead now and then)."""
    if not doc.pages:
        return best_kind([], "", filename)
    first = doc.pages[0]
    top = [word for word in first.words if word.y0 < first.height / 2]
    title = [(fold(" ".join(w.text for w in row)), _height_weight(row[0].y0, first.height)) for row in _rows(top)]
    body = "\n".join(_lines(page.words) for page in doc.pages)
    return best_kind(title, fold(body), filename)


def _height_weight(y: float, height: float) -> float:
    if y < height / 3:
        return 1.0
    return max(1 - (1 - LOWEST_DECAY) * (y - height / 3) / (height / 6), LOWEST_DECAY)


def best_kind(title_lines: list[tuple[str, float]], body: str, filename: str = "") -> str:
    scores = scores_of(title_lines, body, filename)
    kind, score = max(scores.items(), key=lambda item: item[1])
    return kind if score >= MIN_SCORE else "other"


def scores_of(title_lines: list[tuple[str, float]], body: str, filename: str = "") -> dict[str, float]:
    """Points per kind from folded text; ties go to the kind listed first in KINDS (invoice)."""
    scores = dict.fromkeys(KINDS, 0.0)
    for kind, pattern, body_points, title_points in PATTERNS:
        body_hits = min(len(pattern.findall(body)), MAX_BODY_HITS)
        scores[kind] += body_points * body_hits + title_points * _title_weight(pattern, title_lines)
    name = fold(re.sub(r"[_\-.]+", " ", filename))
    for kind, words in FILENAME_WORDS:
        if re.search(rf"(^|[^a-z])({words})([^a-z]|$)", name):
            scores[kind] += FILENAME_POINTS
    return scores


def _title_weight(pattern: re.Pattern, title_lines: list[tuple[str, float]]) -> float:
    """0..1: how much like a title the best-placed hit of the pattern is (one title per document)."""
    best = 0.0
    for line, weight in title_lines:
        if pattern.search(line):
            best = max(best, weight if len(line.split()) <= HEADING_WORDS else weight * SENTENCE_FACTOR)
    return best


def fold(text: str) -> str:
    """Lower case without accents, typographic apostrophes made straight."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("`", "'"))
    return "".join(char for char in text if not unicodedata.combining(char)).lower()


def _rows(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines by their vertical position (within 3 points), left to right."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.y0, w.x0)):
        if rows and abs(rows[-1][0].y0 - word.y0) <= 3:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w.x0) for row in rows]


def _lines(words: list[Word]) -> str:
    return "\n".join(" ".join(word.text for word in row) for row in _rows(words))
