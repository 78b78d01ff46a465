"""The salesperson answers the « missing data » mail with the missing lines only; the order is completed."""

from datetime import date
from decimal import Decimal

from orders import complete_order, order_totals, read_order
from tests.orders.samples import CSV_SEMICOLON, ISSUE_EXAMPLE, csv_file

TODAY = date(2026, 11, 26)
WITHOUT_EMAIL = ISSUE_EXAMPLE.replace(" — compta@acme.fr", "")
ISSUE_TOTALS = (Decimal("4450.00"), Decimal("890.00"), Decimal("5340.00"))


def test_answer_adds_the_missing_email():
    assert [problem.field for problem in read_order(WITHOUT_EMAIL, [], TODAY).problems] == ["client.email"]
    answer = "Bonjour,\n\nEmail : compta@acme.fr\n\nMerci !\nMarie\n\n> Il manque l'e-mail du client."
    reading = complete_order(WITHOUT_EMAIL, answer, [], TODAY)
    assert reading.found and reading.problems == ()
    assert reading.order.client.email == "compta@acme.fr" and reading.order.client.name == "ACME SAS"
    assert order_totals(reading.order, issue_date=TODAY) == ISSUE_TOTALS


def test_answer_line_replaces_the_unreadable_line_and_readable_lines_stay():
    original = ISSUE_EXAMPLE.replace("à 85 € HT", "à 8.500 € HT")
    assert [problem.field for problem in read_order(original, [], TODAY).problems] == ["line 2"]
    reading = complete_order(original, "- 10 h Développement à 85 € HT", [], TODAY)
    assert reading.problems == ()
    assert [line.description for line in reading.order.lines] == ["Audit sécurité", "Développement"]
    assert order_totals(reading.order, issue_date=TODAY) == ISSUE_TOTALS


def test_answer_replaces_a_zero_quantity_line():
    original = ISSUE_EXAMPLE.replace("10 h Développement", "0 h Développement")
    reading = complete_order(original, "- 10 h Développement à 85 € HT", [], TODAY)
    assert reading.problems == () and order_totals(reading.order, issue_date=TODAY) == ISSUE_TOTALS


def test_answer_that_repeats_the_whole_order_does_not_double_the_lines():
    original = WITHOUT_EMAIL
    reading = complete_order(original, WITHOUT_EMAIL.replace("SAS", "SAS — compta@acme.fr"), [], TODAY)
    assert reading.problems == () and len(reading.order.lines) == 2


def test_answer_field_overrides_the_original():
    reading = complete_order(ISSUE_EXAMPLE, "Échéance : 45 jours fin de mois\nRéférence : BC-2026-115", [], TODAY)
    assert (reading.order.payment_terms, reading.order.reference) == ("45 jours fin de mois", "BC-2026-115")


def test_answer_can_bring_a_new_problem():
    reading = complete_order(WITHOUT_EMAIL, "Email : compta@acme.fr\nÉchéance : 120 jours", [], TODAY)
    assert [problem.field for problem in reading.problems] == ["payment_terms"]


def test_answer_without_the_missing_data_keeps_the_problem():
    reading = complete_order(WITHOUT_EMAIL, "Je regarde et je reviens vers toi.", [], TODAY)
    assert reading.found and [problem.field for problem in reading.problems] == ["client.email"]


def test_original_order_file_is_completed_by_the_answer_text():
    original_csv = csv_file(CSV_SEMICOLON.replace("Email;compta@acme.fr\n", ""))
    reading = complete_order("Commande jointe.", "Email : compta@acme.fr", [], TODAY,
                             original_attachments=[original_csv])
    assert reading.problems == () and reading.source == "csv"
    assert order_totals(reading.order, issue_date=TODAY) == ISSUE_TOTALS


def test_answer_particulier_alone_on_its_line_settles_the_missing_siren():
    original = "Client : Paul Durand — paul@example.fr\nAdresse : 4 rue des Lilas, 44000 Nantes\n- 1 x Conseil à 90 € HT"
    assert [problem.field for problem in read_order(original, [], TODAY).problems] == ["client.siren"]
    reading = complete_order(original, "Bonjour,\n\nParticulier\n\nMerci", [], TODAY)
    assert reading.problems == () and not reading.order.client.is_business


def test_answer_vat_number_settles_an_intra_eu_client():
    original = "Customer: Kunde GmbH - einkauf@kunde.de\nAddress: Hauptstraße 5, 10115 Berlin, Germany\n" \
               "- 1 x Consulting at 900 EUR excl. VAT"
    assert [problem.field for problem in read_order(original, [], TODAY).problems] == ["vat"]
    reading = complete_order(original, "TVA : DE136695976", [], TODAY)
    assert reading.problems == () and order_totals(reading.order, issue_date=TODAY)[1] == Decimal("0.00")
