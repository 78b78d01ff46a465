"""Forwarded supplier bills: read, checked against history and duplicates, summarised or settled alone."""

import re

from sqlalchemy import select

from bills.models import ReceivedBill, Supplier
from gateway.models import Decision, utcnow
from tests.bills.mails import (
    AKRETION,
    AKRETION_IBAN,
    AKRETION_NUMBER,
    NETPRESSE,
    OTHER_IBAN,
    akretion_xml,
    forward,
    SUPPLIER,
    forward_message,
    supplier_mail,
    terms_pdf,
    token_of,
)
from gateway.app import open_gateway
from tests.helpers import CORPUS, STAFF, UNTRUSTED, deliver, make_config, make_mail


def bills_of(gateway) -> list[ReceivedBill]:
    with gateway.database.sessions() as session:
        return list(session.scalars(select(ReceivedBill).order_by(ReceivedBill.id)))


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def gateway_with(tmp_path, **bills):
    return open_gateway(make_config(tmp_path / "var", bills=bills))


def test_forwarded_text_pdf_gets_a_summary_with_its_values_and_marks(gateway):
    mail, [summary] = forward(gateway, NETPRESSE)
    [bill] = bills_of(gateway)
    assert (mail.route, mail.status, bill.status) == ("bill", "processed", "awaiting_staff")
    assert (bill.number, bill.total_incl_tax, bill.supplier_siren) == ("2022089083", "56.02", "530848134")
    assert (bill.forwarded_by, bill.reviewer, bill.mail_id) == (STAFF, STAFF, mail.id)
    assert summary.template == "bill_summary" and summary.recipients == [STAFF]
    assert re.fullmatch(r".*<factures\+[a-z2-7]{26}@exemple\.test>", summary.sender)
    text = plain(summary.body_text)
    for shown in ("NETPRESSE", "2022089083", "56,02 €", "46,68 €", "9,34 €", "FR7610107002450061705231739",
                  "28 novembre 2022", "✓ sûr", "Compte proposé : 6068", "Premier envoi de ce fournisseur", "NON motif"):
        assert shown in text, shown
    assert "<table" in summary.body_html and "NETPRESSE" in summary.body_html


def test_forward_as_attached_message_reads_the_factur_x_data(gateway):
    mail, [summary] = forward(gateway, AKRETION, as_rfc822=True)
    [bill] = bills_of(gateway)
    assert (bill.source, bill.number, bill.total_incl_tax) == ("facturx", AKRETION_NUMBER, "104.90")
    assert len(bill.tax_lines) == 4 and bill.extraction["number"] == AKRETION_NUMBER
    assert "les montants concordent" in summary.body_text


def test_pdf_with_its_own_xml_is_one_bill(gateway):
    raw = forward_message([(AKRETION.name, AKRETION.read_bytes()), ("factur-x.xml", akretion_xml())])
    mail, outbox = deliver(gateway, raw)
    assert len(bills_of(gateway)) == 1
    assert [row.template for row in outbox] == ["bill_summary"]
    assert "même facture que" in outbox[0].body_text


def test_two_invoices_in_one_mail_get_one_summary_and_one_token_each(gateway):
    mail, outbox = forward(gateway, NETPRESSE, AKRETION)
    assert [bill.number for bill in bills_of(gateway)] == ["2022089083", AKRETION_NUMBER]
    assert [row.template for row in outbox] == ["bill_summary", "bill_summary"]
    assert token_of(outbox[0]) != token_of(outbox[1])
    assert "1 sur 2" in outbox[0].body_text and "2 sur 2" in outbox[1].body_text


def test_forward_with_only_terms_of_sale_says_what_was_found(gateway):
    raw = forward_message([("CGV.pdf", terms_pdf())])
    mail, [reply] = deliver(gateway, raw)
    assert bills_of(gateway) == []
    assert reply.template == "bill_nothing_found" and reply.recipients == [STAFF]
    assert "CGV.pdf : conditions générales, non comptabilisé" in reply.body_text


def test_forward_without_any_file_says_no_bill_was_found(gateway):
    mail, [reply] = deliver(gateway, make_mail(subject="TR: Facture 2026-114"))
    assert (mail.route, reply.template) == ("bill", "bill_nothing_found")
    assert "aucune facture" in reply.body_text


def test_question_typed_to_the_gateway_gets_the_help(gateway):
    mail, [reply] = deliver(gateway, make_mail(subject="Question", body="Comment ça marche ?\n"))
    assert reply.template == "help_reply" and bills_of(gateway) == []


def test_terms_beside_an_invoice_are_named_in_the_summary_and_not_booked(gateway):
    raw = forward_message([(NETPRESSE.name, NETPRESSE.read_bytes()), ("CGV.pdf", terms_pdf())])
    mail, [summary] = deliver(gateway, raw)
    assert len(bills_of(gateway)) == 1
    assert "CGV.pdf : conditions générales, non comptabilisé" in summary.body_text


def test_same_file_again_is_a_duplicate_naming_the_earlier_bill(gateway):
    forward(gateway, NETPRESSE)
    mail, [summary] = forward(gateway, NETPRESSE, sender="paul@exemple.test")
    first, second = bills_of(gateway)
    assert (second.status, second.duplicate_of_bill_id) == ("awaiting_duplicate", first.id)
    assert second.duplicate_match == "file"
    text = summary.body_text
    assert "DOUBLON POSSIBLE" in text and "le même fichier" in text
    assert "n° 2022089083" in text and "de marie@exemple.test" in text
    assert "DOUBLON" in text and "NOUVEAU" in text and summary.recipients == ["paul@exemple.test"]


def test_same_siren_and_number_in_another_file_is_a_duplicate(gateway):
    forward(gateway, AKRETION)
    deliver(gateway, forward_message([("facture.xml", akretion_xml())]))
    assert bills_of(gateway)[1].duplicate_match == "number"


def test_same_supplier_total_and_date_under_another_number_is_a_possible_duplicate(gateway):
    forward(gateway, AKRETION)
    mail, [summary] = deliver(gateway, forward_message([("facture.xml", akretion_xml(number="F20260099"))]))
    assert bills_of(gateway)[1].duplicate_match == "amount_date"
    assert "le même fournisseur, le même montant TTC et la même date" in summary.body_text


def test_automatic_policy_closes_a_certain_duplicate_with_a_notice(tmp_path):
    gateway = gateway_with(tmp_path, duplicate_policies={"123456782": "automatic"})
    try:
        forward(gateway, AKRETION)
        mail, [notice] = forward(gateway, AKRETION)
        assert notice.template == "bill_duplicate_closed"
        assert [bill.status for bill in bills_of(gateway)] == ["awaiting_staff", "duplicate"]
        # The weaker ground (same total and date) is still asked about.
        mail, [summary] = deliver(gateway, forward_message([("f.xml", akretion_xml(number="F20260099"))]))
        assert summary.template == "bill_summary" and bills_of(gateway)[2].status == "awaiting_duplicate"
    finally:
        gateway.close()


def seed_supplier(gateway, iban: str, streak: int = 0) -> None:
    with gateway.database.transaction() as session:
        session.add(Supplier(key="123456782", siren="123456782", name="LE FOURNISSEUR", last_account="6135",
                             validated_ibans=[{"iban": iban, "first": "2026-01-01", "last": "2026-01-01", "count": 1}],
                             validated_totals=["104.90"], validated_count=max(1, streak), corrected_count=0,
                             streak_iban=iban, streak_count=streak, duplicate_policy="review", updated_at=utcnow()))


def test_trusted_supplier_bill_is_validated_alone_with_a_notice(tmp_path):
    gateway = gateway_with(tmp_path, trusted_suppliers=["123456782"])
    try:
        mail, [notice] = forward(gateway, AKRETION)
        [bill] = bills_of(gateway)
        assert notice.template == "bill_auto_validated" and notice.recipients == [STAFF]
        assert bill.status == "validated" and bill.journal_entry_id is not None
        with gateway.database.sessions() as session:
            [decision] = session.scalars(select(Decision).where(Decision.object_kind == "bill"))
            assert (decision.verdict, decision.role) == ("approved", "system")
            assert session.scalars(select(Supplier)).one().validated_count == 1
    finally:
        gateway.close()


def test_trust_earned_by_three_clean_bills_to_the_same_iban(gateway):
    seed_supplier(gateway, AKRETION_IBAN.replace(" ", ""), streak=3)
    mail, [notice] = forward(gateway, AKRETION)
    assert notice.template == "bill_auto_validated"
    assert bills_of(gateway)[0].account == "6135"  # the supplier's last account


def test_iban_change_raises_the_alert_and_blocks_automatic_validation(tmp_path):
    gateway = gateway_with(tmp_path, trusted_suppliers=["123456782"])
    try:
        seed_supplier(gateway, OTHER_IBAN, streak=5)
        mail, [summary] = forward(gateway, AKRETION)
        assert summary.template == "bill_summary" and bills_of(gateway)[0].status == "awaiting_staff"
        text = summary.body_text
        assert "ALERTE" in text and OTHER_IBAN in text and "FR2012542547256985425874698" in text
        assert text.index("ALERTE") < text.index("Voici ce que j'ai lu")
        assert "⚠ ALERTE" in summary.body_html
    finally:
        gateway.close()


def test_direct_supplier_send_is_summarised_to_staff_and_never_answered(tmp_path):
    gateway = gateway_with(tmp_path, supplier_senders=["*@fournisseur.fr"], notify="compta@exemple.test")
    try:
        # Invoicing platforms send like newsletters: the list header does not make it ignored.
        raw = supplier_mail({"List-Unsubscribe": "<mailto:stop@fournisseur.fr>", "Precedence": "bulk"})
        mail, [summary] = deliver(gateway, raw, envelope_from=SUPPLIER)
        [bill] = bills_of(gateway)
        assert (mail.route, mail.status) == ("supplier_bill", "processed")
        assert summary.recipients == ["compta@exemple.test"] and summary.in_reply_to == ""
        assert (bill.channel, bill.forwarded_by, bill.reviewer) == ("supplier", SUPPLIER, "compta@exemple.test")
    finally:
        gateway.close()


def test_direct_send_goes_to_the_manager_without_notify_and_a_mail_without_bill_is_not_answered(tmp_path):
    gateway = gateway_with(tmp_path, supplier_senders=[SUPPLIER])
    try:
        mail, [summary] = deliver(gateway, supplier_mail(), envelope_from=SUPPLIER)
        assert summary.recipients == ["direction@exemple.test"]
        mail, outbox = deliver(gateway, supplier_mail(with_bill=False), envelope_from=SUPPLIER)
        assert (mail.route, outbox) == ("supplier_bill", [])
    finally:
        gateway.close()


def test_supplier_auto_reply_and_unauthenticated_supplier_mail_are_ignored(tmp_path):
    gateway = gateway_with(tmp_path, supplier_senders=[SUPPLIER])
    try:
        mail, outbox = deliver(gateway, supplier_mail({"Auto-Submitted": "auto-replied"}), envelope_from=SUPPLIER)
        assert (mail.status, mail.route, outbox) == ("ignored", "automated", [])
        mail, outbox = deliver(gateway, supplier_mail(), envelope_from=SUPPLIER, trust=UNTRUSTED)
        assert (mail.status, mail.route, outbox) == ("ignored", "untrusted", [])
        assert bills_of(gateway) == []
    finally:
        gateway.close()


def test_unconfigured_supplier_sending_a_bill_is_ignored(gateway):
    mail, outbox = deliver(gateway, supplier_mail(), envelope_from=SUPPLIER)
    assert (mail.status, mail.route, outbox) == ("ignored", "unknown_sender", [])


def test_english_configuration_sends_the_english_summary(tmp_path):
    gateway = open_gateway(make_config(tmp_path / "var", mail={"domains": ["exemple.test"], "staff": ["*@exemple.test"],
                                                               "manager": "direction@exemple.test", "language": "en"}))
    try:
        mail, [summary] = forward(gateway, NETPRESSE)
        assert "This is what I read" in summary.body_text and "Total incl. VAT" in summary.body_text
        assert "to approve" in summary.subject and "Reply to this message" in summary.body_html
    finally:
        gateway.close()


def test_unreadable_file_is_named_and_counted_in_the_status(gateway):
    from gateway.status import gateway_status

    broken = CORPUS / "invoices" / "hostile" / "Mustang-CLI_src_test_resources_corrupt-factur-x-waytoosmall.pdf"
    mail, [reply] = deliver(gateway, forward_message([("facture.pdf", broken.read_bytes())]))
    assert reply.template == "bill_nothing_found" and "facture.pdf : illisible" in reply.body_text
    report = gateway_status(gateway)
    assert report["failures"]["extraction_failed"] == 1
    assert report["bills"]["awaiting_staff"] == 0 and set(report["bills"]) >= {"validated", "rejected"}
