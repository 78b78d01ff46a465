"""Document classification: every corpus invoice, short texts of each kind in three languages, traps."""

import json
from pathlib import Path

import pypdfium2
import pytest

from extraction.classify import classify, classify_document
from extraction.model import KINDS, Page, TextDocument, Word

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "invoices"
PDFS = sorted([*(CORPUS / "facturx").glob("*.pdf"), *(CORPUS / "pdf-text").glob("*.pdf")])
EXPECTED_KIND = {"380": "invoice", "381": "credit_note"}


def pdf_text(path: Path) -> str:
    document = pypdfium2.PdfDocument(path.read_bytes())
    try:
        return "\f".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


@pytest.mark.parametrize("path", PDFS, ids=lambda path: path.name)
def test_corpus_invoice_pdf_is_classified_by_its_text(path):
    expected = json.loads(path.with_suffix(".expected.json").read_text())
    kind = classify(pdf_text(path), path.name)
    assert kind in ("invoice", "credit_note")
    if expected.get("type_code") in EXPECTED_KIND:
        assert kind == EXPECTED_KIND[expected["type_code"]]


def test_corpus_has_invoice_pdfs():
    assert len(PDFS) >= 16


TEXTS = {
    "invoice": [
        "ACME SARL\nFACTURE N° FA2025-0042\nDate : 02/06/2025\nDésignation Qté PU HT\nTotal HT 100,00 €\n"
        "TVA 20 % 20,00 €\nTotal TTC 120,00 €\nÉchéance : 02/07/2025",
        "Invoice #INV-2291\nBill to: Globex Ltd\nSubtotal $120.00\nTax $0.00\nTotal $120.00\nDue date: 2025-07-01",
        "Muster GmbH\nRechnung Nr. 2025-117\nRechnungsdatum 02.06.2025\nNettobetrag 100,00 €\nUSt 19 % 19,00 €\n"
        "Zahlbar bis 02.07.2025",
    ],
    "credit_note": [
        "ACME SARL\nAVOIR N° AV2025-0003\nEn remboursement de la facture n° FA2025-0042\nTotal TTC -120,00 €",
        "Facture d'avoir\nAnnule et remplace la facture FA-2025-12\nMontant HT -50,00 €",
        "CREDIT NOTE CN-0007\nRelated invoice: INV-2291\nCredit total $-40.00",
        "Muster GmbH\nGutschrift Nr. G-2025-4\nzur Rechnung Nr. 2025-117\nBetrag -19,00 €",
        "Rechnungskorrektur 2025-9\nzu Rechnung 2025-117 vom 02.06.2025",
    ],
    "quote": [
        "Atelier Dupont\nDEVIS N° D2025-18\nValidité de l'offre : 30 jours\nTotal TTC 1 440,00 €\nBon pour accord, "
        "date et signature",
        "Proposition commerciale\nRefonte du site web\nMontant HT 4 000,00 €",
        "QUOTATION Q-552\nPrepared for Globex Ltd\nValid until 2025-07-15\nTotal $980.00",
        "Angebot Nr. 2025-33\nSehr geehrte Damen und Herren, wir bieten Ihnen an:\nGültig bis 30.06.2025",
    ],
    "receipt": [
        "CARREFOUR CITY\nTICKET DE CAISSE\n2 x Pain 2,40\nTOTAL 2,40 EUR\nCB 2,40\nMerci de votre visite",
        "Reçu\nReçu de Mme Martin la somme de 50,00 € en espèces",
        "Quittance de loyer\nPériode : juin 2025\nLoyer 650,00 €  Charges 50,00 €",
        "Payment receipt\nReceipt number 1043-2231\nAmount paid $25.00\nPaid with Visa",
        "Quittung\nBetrag 30,00 € dankend erhalten",
    ],
    "reminder": [
        "Relance : facture impayée\nMadame, Monsieur,\nSauf erreur de notre part, la facture n° 12 du 02/05/2025 "
        "d'un montant de 1 200,00 € reste impayée à ce jour.\nFacture n° 12 — échéance 02/06/2025",
        "RAPPEL DE PAIEMENT\nFacture FA-2025-0042 échue le 02/06/2025",
        "Mise en demeure de payer\nFactures n° 12 et n° 15 restées impayées",
        "Payment reminder\nInvoice #INV-2291 is now overdue. Please pay the outstanding amount.",
        "Zahlungserinnerung\nRechnung Nr. 2025-117 vom 02.06.2025 ist noch offen.",
        "1. Mahnung\nRechnung 2025-117, Betrag 119,00 €",
    ],
    "statement": [
        "BANQUE POPULAIRE\nRELEVÉ DE COMPTE N° 6\nAncien solde 1 250,00\nPRLV EDF 84,10\nNouveau solde 1 165,90",
        "Bank statement\nAccount 12345678\nOpening balance £1,000.00\nClosing balance £920.00",
        "Kontoauszug Nr. 6/2025\nAlter Kontostand 1.250,00 EUR\nNeuer Kontostand 1.165,90 EUR",
        "RELEVÉ DE FACTURES\nFacture 12 100,00 €\nFacture 13 200,00 €\nSolde dû 300,00 €",
    ],
    "terms": [
        "CONDITIONS GÉNÉRALES DE VENTE\nArticle 1 - Objet\nLes présentes CGV s'appliquent à toute commande.\n"
        "Article 2 - Prix\nArticle 3 - Paiement",
        "Terms and Conditions\n1. Definitions\n2. Orders\nThese terms and conditions govern every sale.",
        "Allgemeine Geschäftsbedingungen (AGB)\n§ 1 Geltungsbereich\n§ 2 Vertragsschluss\n§ 3 Preise",
    ],
    "other": [
        "Bonjour, voici les photos du chantier comme convenu. Bonne journée.",
        "",
        "Meeting notes\nAgenda: roadmap, hiring, budget",
    ],
}
CASES = [(kind, text) for kind, texts in TEXTS.items() for text in texts]


@pytest.mark.parametrize("kind, text", CASES, ids=[f"{kind}-{i}" for i, (kind, _) in enumerate(CASES)])
def test_short_texts_are_classified(kind, text):
    assert classify(text) == kind


def test_invoice_with_cgv_and_rib_in_its_footer_stays_an_invoice():
    text = ("SARL Dupont\nConditions générales de vente disponibles sur dupont.fr\n"
            "FACTURE N° 2025-88\nDate : 03/06/2025\nTotal HT 500,00 €\nTVA 100,00 €\nTotal TTC 600,00 €\n"
            "Règlement par virement, relevé d'identité bancaire (RIB) ci-joint.\n"
            "Conditions générales de vente : voir au verso. Pénalités de retard : 3 fois le taux légal.")
    assert classify(text) == "invoice"


@pytest.mark.parametrize("text", [
    "ACME Ltd\nINVOICE\nInvoice number: 1001\nTotal due: $500.00\nTerms and conditions apply: see acme.com/terms",
    "Muster GmbH\nRechnung\nRechnungsnummer 55\nGesamtbetrag 119,00 EUR\nEs gelten unsere AGB.",
    "Plomberie Martin\nFacture n° 2025-14\nTotal TTC 360,00 €\nEn cas de retard de paiement, une relance sera "
    "adressée ; tout impayé donne lieu à une indemnité forfaitaire de 40 €.",
])
def test_invoice_footers_in_english_german_and_french_do_not_change_the_kind(text):
    assert classify(text) == "invoice"


def test_invoice_mentioning_the_quote_it_follows_stays_an_invoice():
    assert classify("Facture n° 2025-90\nSuivant votre devis n° D-12 accepté le 02/05/2025\nTotal TTC 240,00 €") \
        == "invoice"


def test_invoice_thanking_for_a_payment_received_stays_an_invoice():
    assert classify("Facture FA-77\nTotal TTC 60,00 €\nNous avons bien reçu votre acompte, merci.") == "invoice"


def test_reminder_citing_invoice_numbers_is_a_reminder():
    text = ("Objet : relance\nFacture n° 12\nFacture n° 13\nFacture n° 14\n"
            "Nous vous rappelons que les factures ci-dessus restent impayées.")
    assert classify(text) == "reminder"


@pytest.mark.parametrize("code, kind", [
    ("380", "invoice"), ("386", "invoice"), ("389", "invoice"), ("384", "invoice"), ("381", "credit_note"),
    ("261", "credit_note"), ("396", "credit_note"), ("325", "quote"),
])
def test_type_code_wins_over_the_text(code, kind):
    assert classify("Devis n° 4\nBon pour accord", "devis.pdf", code) == kind


def test_unknown_type_code_falls_back_to_the_text():
    assert classify("AVOIR N° 3\nFacture d'avoir", "", "999") == "credit_note"


@pytest.mark.parametrize("filename, kind", [
    ("facture_2025-88.pdf", "invoice"), ("Devis-Acme.pdf", "quote"), ("CGV.pdf", "terms"),
    ("scan0001.pdf", "other"),
])
def test_file_name_alone_can_decide_for_a_structured_document_without_text(filename, kind):
    assert classify("", filename) == kind


def test_every_answer_is_one_of_the_kinds():
    assert all(classify(text) in KINDS for _, text in CASES)


def page_of(lines: list[tuple[float, str]], height: float = 842.0) -> Page:
    words = []
    for y, line in lines:
        x = 50.0
        for text in line.split():
            words.append(Word(text, x, y, x + 6 * len(text), y + 10))
            x += 6 * len(text) + 4
    return Page(number=1, width=595.0, height=height, words=words)


def test_document_title_at_the_top_of_the_first_page_counts_more():
    # A credit note whose body cites the invoice it corrects, several times.
    page = page_of([(60, "AVOIR N° AV-3"), (300, "Facture n° 12"), (320, "Facture n° 12 du 02/05/2025"),
                    (340, "Facture n° 12 : remboursement"), (780, "SARL Dupont, facture acquittée")])
    assert classify_document(TextDocument(pages=[page])) == "credit_note"


def test_document_title_in_the_footer_does_not_count_as_title():
    page = page_of([(60, "FACTURE N° 2025-88"), (400, "Total TTC 600,00 €"),
                    (800, "Conditions générales de vente"), (810, "CGV au verso")])
    assert classify_document(TextDocument(pages=[page])) == "invoice"


def test_document_without_pages_is_other():
    assert classify_document(TextDocument(pages=[]), "") == "other"
