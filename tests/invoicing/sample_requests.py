"""Invoice requests for each VAT case, computed by invoicing.compute into the published samples."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from gateway.config import Config, load_config

ISSUE_DATE = date(2026, 11, 26)
FR_BUYER = {
    "name": "Client Industrie SAS", "address": ["12 avenue du Client", "Bâtiment B"], "postcode": "33000",
    "city": "Bordeaux", "country": "FR", "siren": "552100554", "vat_number": "FR96552100554",
    "email": "compta@client-industrie.example",
}
EU_BUYER = {"name": "Kunde GmbH", "address": ["Hauptstraße 5"], "postcode": "10115", "city": "Berlin",
            "country": "DE", "vat_number": "DE136695976"}
EXPORT_BUYER = {"name": "Client Suisse SA", "address": ["Rue du Lac 3"], "postcode": "1201", "city": "Genève",
                "consumer": False,
                "country": "CH"}
CONSUMER = {"name": "Paul Durand", "address": ["4 rue des Particuliers"], "postcode": "44000", "city": "Nantes",
            "consumer": True}

REQUESTS = {
    "standard": {
        "buyer": {**FR_BUYER, "delivery_address": ["Entrepôt Nord", "ZI des Pins", "33520 Bruges"]},
        "operation": "mixed", "purchase_order": "BC-2026-118", "period": {"start": "2026-11-02", "end": "2026-11-20"},
        "lines": [
            {"description": "Développement de l'application de réservation", "quantity": "12", "unit": "jour",
             "unit_price": "650.00", "vat_rate": "20", "nature": "services"},
            {"description": "Ouvrages techniques", "quantity": "3", "unit": "pièce", "unit_price": "42.50",
             "vat_rate": "5.5", "nature": "goods"},
            {"description": "Repas de travail servis sur place", "quantity": "6", "unit": "unité",
             "unit_price": "18.90", "vat_rate": "10", "nature": "services"},
        ],
        "payment_terms": "30 jours",
    },
    "reverse_charge_eu": {
        "buyer": EU_BUYER, "operation": "services", "sale_date": "2026-11-20", "vat_case": "reverse_charge_eu",
        "lines": [{"description": "Audit de sécurité du système d'information", "quantity": "5", "unit": "jour",
                   "unit_price": "900.00"}],
    },
    "export": {
        "buyer": EXPORT_BUYER, "operation": "goods", "sale_date": "2026-11-24", "vat_case": "export",
        "purchase_order": "PO-7781",
        "lines": [{"description": "Machine de découpe laser LX-200", "quantity": "1", "unit": "unité",
                   "unit_price": "18500.00"},
                  {"description": "Pièces de rechange", "quantity": "10", "unit": "pièce", "unit_price": "35.00"}],
    },
    "franchise": {
        "buyer": FR_BUYER, "operation": "services", "sale_date": "2026-11-18",
        "lines": [{"description": "Création d'un logo et charte graphique", "quantity": "1", "unit": "forfait",
                   "unit_price": "1200.00"},
                  {"description": "Retouches supplémentaires", "quantity": "3", "unit": "heure", "unit_price": "45.00"}],
    },
    "b2c": {
        "buyer": CONSUMER, "operation": "mixed", "sale_date": "2026-11-25", "payment_terms": "à réception",
        "lines": [{"description": "Réparation d'un ordinateur portable", "quantity": "1.5", "unit": "heure",
                   "unit_price": "60.00", "vat_rate": "20", "nature": "services"},
                  {"description": "Disque SSD 1 To", "quantity": "1", "unit": "pièce", "unit_price": "89.90",
                   "vat_rate": "20", "nature": "goods"}],
    },
    "deposit": {
        "kind": "deposit", "buyer": FR_BUYER, "operation": "services", "purchase_order": "BC-2026-200",
        "deposit": {"percent": "30"},
        "lines": [{"description": "Développement du portail client", "quantity": "1", "unit": "forfait",
                   "unit_price": "10000.00", "vat_rate": "20"}],
    },
    "final_with_deposit": {
        "buyer": FR_BUYER, "operation": "services", "purchase_order": "BC-2026-200", "deposits": ["AC2026-0001"],
        "sale_date": "2026-11-26",
        "lines": [{"description": "Développement du portail client", "quantity": "1", "unit": "forfait",
                   "unit_price": "10000.00", "vat_rate": "20"}],
    },
}


def sample_config(case: str) -> Config:
    """The shipped example company; a franchise sample needs a company under the franchise."""
    config = load_config(None, environ={})
    if case == "franchise":
        company = replace(config.company, vat_franchise=True, vat_number="")
        config = replace(config, company=company)
    return config


def computed_documents() -> dict:
    """Every request through parse_request and invoicing.compute, numbered as a series would be;
    plus a credit note of part of the standard invoice and the standard invoice in English."""
    from invoicing.compute import build_credit_note, build_document, reference_of
    from invoicing.request import parse_request

    documents, invoice_seq = {}, 0
    for case, data in REQUESTS.items():
        if data.get("kind") == "deposit":
            number = "AC2026-0001"
        else:
            invoice_seq += 1
            number = f"FA2026-{invoice_seq:04d}"
        deposits = [reference_of(documents["deposit"])] if data.get("deposits") else ()
        documents[case] = build_document(parse_request(data), config=sample_config(case), number=number,
                                         issue_date=ISSUE_DATE, deposits=deposits)
    documents["credit_note"] = build_credit_note(
        documents["standard"], config=sample_config("standard"), number="AV2026-0001", issue_date=ISSUE_DATE,
        amount=Decimal("500.00"), basis="HT", reason="Remise commerciale sur le développement")
    english = parse_request({**REQUESTS["standard"], "language": "en"})
    documents["standard_en"] = build_document(english, config=sample_config("standard"),
                                              number=documents["standard"].number, issue_date=ISSUE_DATE)
    return documents
