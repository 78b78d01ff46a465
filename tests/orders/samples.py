"""Order mails and files of the orders tests: the issue's example and its variants in every format."""

import json

from gateway.parsed import Attachment

ISSUE_EXAMPLE = """Client : ACME SAS — SIREN 732 829 320 — compta@acme.fr
Adresse : 12 rue de la Paix, 75002 Paris
Référence : BC-2026-114
Échéance : 30 jours
- 3 x Audit sécurité à 1 200,00 € HT, TVA 20 %
- 10 h Développement à 85 € HT
Acompte versé : 500 €"""

REAL_BODY = f"""Bonjour Paul,

Suite à notre échange de ce matin, voici la commande d'ACME à facturer :

{ISSUE_EXAMPLE}

Merci de leur envoyer la facture aujourd'hui.

Cordialement,
Marie Martin
Commerciale — 06 12 34 56 78
--
Entreprise Exemple SAS
"""

ENGLISH_BLOCK = """Hi team,

Customer: ACME SAS - SIREN 732829320 - compta@acme.fr
Address: 12 rue de la Paix, 75002 Paris
PO: BC-2026-114
Payment terms: net 30
1. Security audit x 3 @ 1,200.00 EUR excl. VAT, VAT 20%
2. 10 hours of development at 85.00 EUR excl. VAT
Deposit paid: 500.00 EUR

Best regards,
John"""

TAB_TABLE = """Bonjour,

Client : ACME SAS — SIREN 732 829 320 — compta@acme.fr
Adresse : 12 rue de la Paix, 75002 Paris
Votre commande : BC-2026-114

Désignation\tQté\tUnité\tPU HT\tTVA
Audit sécurité\t3\t\t1 200,00\t20 %
Développement\t10\th\t85,00\t20 %
Total\t\t\t4 450,00

Bonne journée"""

ALIGNED_TABLE = """Customer: ACME SAS - SIREN 732 829 320 - compta@acme.fr
Address: 12 rue de la Paix, 75002 Paris
Order number: BC-2026-114

Description         Qty   Unit   Unit price   VAT
Security audit      3            1,200.00     20%
Development         10    h      85.00        20%
"""

CSV_SEMICOLON = """Client;ACME SAS
SIREN;732 829 320
Email;compta@acme.fr
Adresse;12 rue de la Paix, 75002 Paris
Référence;BC-2026-114
Échéance;30 jours
Acompte versé;500,00

Désignation;Quantité;Unité;Prix unitaire HT;TVA
Audit sécurité;3;;1 200,00;20
Développement;10;h;85,00;20
"""

CSV_COMMA = """Description,Qty,Unit price,VAT rate
Security audit,3,"1,200.00",20
Development,10,85.00,20
"""

JSON_ORDER = {
    "client": {"name": "ACME SAS", "siren": "732829320", "email": "compta@acme.fr",
               "address": ["12 rue de la Paix"], "postcode": "75002", "city": "Paris", "country": "FR"},
    "reference": "BC-2026-114",
    "payment_terms": "30 jours",
    "deposit_paid": "500.00",
    "lines": [
        {"description": "Audit sécurité", "quantity": 3, "unit_price": "1200.00", "vat_rate": "20"},
        {"description": "Développement", "quantity": 10, "unit": "h", "unit_price": 85, "vat_rate": 20},
    ],
}


def csv_file(text: str, encoding: str = "utf-8", name: str = "commande.csv") -> Attachment:
    return Attachment(filename=name, content_type="text/csv", data=text.encode(encoding))


def json_file(value: object, name: str = "order.json") -> Attachment:
    return Attachment(filename=name, content_type="application/json", data=json.dumps(value).encode())
