"""What is missing or doubtful in an order: each kind of problem, named by field, in French and English."""

from datetime import date

import pytest

from gateway.parsed import Attachment
from orders import read_order
from tests.orders.samples import CSV_COMMA, ISSUE_EXAMPLE, csv_file

TODAY = date(2026, 11, 26)
ACME = "Client : ACME SAS — SIREN 732 829 320 — compta@acme.fr\nAdresse : 12 rue de la Paix, 75002 Paris\n"
LINE = "- 3 x Audit à 1 200 € HT\n"
KUNDE = "Customer: Kunde GmbH - einkauf@kunde.de\nAddress: Hauptstraße 5, 10115 Berlin, Germany\n"
SWISS = "Client : Client Suisse — achats@suisse.ch\nAdresse : Rue du Lac 3, 1201 Genève, Suisse\n"

PROBLEMS = [
    # (case, text, field, words of the French sentence, the line quoted)
    ("no client", "Référence : BC-1\nAdresse : 1 rue X, 75001 Paris\n" + LINE, "client", "Client :", ""),
    ("no email", "Client : ACME SAS — SIREN 732 829 320\nAdresse : 12 rue de la Paix, 75002 Paris\n" + LINE,
     "client.email", "e-mail", ""),
    ("no address", "Client : ACME SAS — SIREN 732 829 320 — compta@acme.fr\n" + LINE, "client.address", "adresse", ""),
    ("French business without SIREN", "Client : ACME SAS — compta@acme.fr\nAdresse : 1 rue X, 75001 Paris\n" + LINE,
     "client.siren", "SIREN", ""),
    ("invalid SIREN", ACME.replace("732 829 320", "732 829 321") + LINE, "client.siren", "pas valide", "732 829 321"),
    ("invalid VAT number", ACME + "TVA intracom : FR00000000000\n" + LINE, "client.vat_number", "pas valide",
     "FR00000000000"),
    ("bad email", ACME.replace("— compta@acme.fr", "") + "Email : compta(at)acme\n" + LINE, "client.email",
     "compta(at)acme", "compta(at)acme"),
    ("unknown country", ACME + "Pays : Atlantide\n" + LINE, "client.country", "Atlantide", "Atlantide"),
    ("consumer with a SIREN", ACME.replace("ACME SAS", "ACME SAS (particulier)") + LINE, "client", "particulier",
     "particulier"),
    ("unreadable line", ACME + "- 3 x Audit à 1.234 € HT\n", "line 1", "deux façons", "- 3 x Audit à 1.234 € HT"),
    ("line without price", ACME + LINE + "- Audit sécurité\n", "line 2", "prix", "- Audit sécurité"),
    ("zero quantity", ACME + "- 0 x Audit à 100 € HT\n", "line 1", "quantité", "- 0 x Audit à 100 € HT"),
    ("negative price", ACME + "- 1 x Audit à -100 € HT\n", "line 1", "prix", "- 1 x Audit à -100 € HT"),
    ("zero price", ACME + "- 1 x Audit à 0 € HT\n", "line 1", "prix", "- 1 x Audit à 0 € HT"),
    ("no line", ACME + "Référence : BC-1\n", "lines", "aucune ligne", ""),
    ("not a French rate", ACME + "- 1 x Audit à 100 € HT, TVA 19,6 %\n", "line 1", "19.6", "Audit"),
    ("rate 0 for a French client", ACME + "- 1 x Audit à 100 € HT, TVA 0 %\n", "line 1", "0 %", "Audit"),
    ("EU client without VAT number", KUNDE + "- 1 x Consulting at 900 EUR excl. VAT\n", "vat", "numéro de TVA",
     "Kunde GmbH"),
    ("VAT charged to an EU business", KUNDE.replace("GmbH", "GmbH - VAT DE136695976")
     + "- 1 x Consulting at 900 EUR excl. VAT, VAT 20%\n", "line 1", "autoliquidation", "Consulting"),
    ("VAT number of another country", ACME + "Pays : France\nTVA intracom : DE136695976\n" + LINE, "vat", "pays", "DE136695976"),
    ("services outside the EU, business or consumer unknown", SWISS + "- 1 x Conseil à 900 € HT\n", "vat",
     "particulier", "Client Suisse"),
    ("goods or services unknown for an intra-EU sale", KUNDE.replace("GmbH", "GmbH - VAT DE136695976")
     + "- 4 x Widget @ 12.50 EUR excl. VAT\n", "line 1", "bien ou un service", "Widget"),
    ("payment term above the legal cap", ACME + "Échéance : 90 jours\n" + LINE, "payment_terms", "L441-10",
     "90 jours"),
    ("English payment term above the cap", ACME + "Payment terms: 75 days end of month\n" + LINE, "payment_terms",
     "plafond", "75 days end of month"),
    ("due date above the cap", ACME + "Échéance : 15/06/2027\n" + LINE, "payment_terms", "plafond", "15/06/2027"),
    ("unreadable payment term", ACME + "Échéance : quand il veut\n" + LINE, "payment_terms", "comprends pas",
     "quand il veut"),
    ("past due date", ACME + "Échéance : 01/10/2026\n" + LINE, "payment_terms", "passée", "01/10/2026"),
    ("unreadable deposit", ACME + "Acompte versé : la moitié\n" + LINE, "deposit_paid", "acompte", "la moitié"),
    ("deposit written HT", ACME + "Acompte versé : 500 € HT\n" + LINE, "deposit_paid", "TTC", "500 € HT"),
    ("unreadable sale date", ACME + "Date de livraison : bientôt\n" + LINE, "sale_date", "date", "bientôt"),
    ("unknown operation", ACME + "Nature : divers\n" + LINE, "operation", "biens", "divers"),
]


@pytest.mark.parametrize("case, text, field, french, line", PROBLEMS, ids=[row[0] for row in PROBLEMS])
def test_each_problem_is_named_quoted_and_explained(case, text, field, french, line):
    reading = read_order(text, [], TODAY)
    assert reading.found
    matching = [problem for problem in reading.problems if problem.field == field]
    assert matching, [problem.field for problem in reading.problems]
    assert french in matching[0].french
    assert line in matching[0].line
    assert matching[0].english and matching[0].english != matching[0].french


@pytest.mark.parametrize("text", [
    ACME + LINE,
    ACME + "Échéance : 60 jours\n" + LINE,
    ACME + "Échéance : 45 jours fin de mois\n" + LINE,
    ACME + "Payment terms: on receipt\n" + LINE,
    "Client : Paul Durand (particulier) — paul@example.fr\nAdresse : 4 rue des Lilas, 44000 Nantes\n"
    "Échéance : 90 jours\n" + LINE,
    KUNDE.replace("GmbH", "GmbH - VAT DE136695976") + "- 1 x Consulting (services) at 900 EUR excl. VAT\n",
    SWISS + "Type de client : entreprise\n- 1 x Conseil à 900 € HT\n",
    SWISS.replace("Client Suisse", "Client Suisse SA") + "- 1 x Conseil à 900 € HT\n",
    SWISS + "- 2 x Machine (biens) à 900 € HT\n",
    KUNDE.replace("GmbH -", "- particulier -") + "- 1 x Consulting at 900 EUR incl. VAT\n",
])
def test_a_complete_order_has_no_problem(text):
    reading = read_order(text, [], TODAY)
    assert reading.found and reading.problems == (), reading.problems


def test_consumer_is_never_held_to_the_business_payment_cap():
    text = "Client : Paul Durand (particulier) — paul@example.fr\nAdresse : 4 rue des Lilas, 44000 Nantes\n"
    reading = read_order(text + "Échéance : 90 jours\n" + LINE, [], TODAY)
    assert not reading.order.client.is_business and reading.problems == ()


def test_franchise_company_has_no_vat_case_to_decide():
    text = KUNDE + "- 1 x Consulting at 900 EUR excl. VAT\n"
    assert read_order(text, [], TODAY, company_is_franchise=True).problems == ()


def test_partial_order_keeps_what_could_be_read():
    reading = read_order(ISSUE_EXAMPLE + "\n- 2 x Audit à 1.234 € HT", [], TODAY)
    assert [problem.field for problem in reading.problems] == ["line 3"]
    assert len(reading.order.lines) == 2 and reading.order.reference == "BC-2026-114"


def test_lines_both_in_text_and_attachment_are_reported():
    text = ACME + "- 1 x Conseil à 900 € HT\n"
    reading = read_order(text, [csv_file(CSV_COMMA)], TODAY)
    assert "lines" in [problem.field for problem in reading.problems]


def test_unreadable_json_attachment_is_reported():
    reading = read_order("Bonjour", [Attachment("commande.json", "application/json", b"{not json")], TODAY)
    assert reading.found and reading.problems[0].field == "attachment"
    assert "commande.json" in reading.problems[0].french


def test_unreadable_table_row_is_quoted():
    text = ACME + "\nDésignation\tQté\tPU HT\nAudit\t3\t1.234\nConseil\t1\t900\n"
    reading = read_order(text, [], TODAY)
    assert [(problem.field, problem.line) for problem in reading.problems] == [("line 1", "Audit\t3\t1.234")]
    assert reading.order.lines[0].description == "Conseil"
