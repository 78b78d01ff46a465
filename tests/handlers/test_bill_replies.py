"""Answers to bill summaries: OK books the bill, NON keeps the motif, corrections re-check, tokens hold."""

from decimal import Decimal

from sqlalchemy import delete, select

from accounting.models import JournalLine
from bills.models import ReceivedBill, Supplier
from gateway.app import open_gateway
from gateway.tokens import issue_token
from tests.bills.mails import AKRETION, NETPRESSE, SUPPLIER, answer, forward, supplier_mail, token_of
from tests.helpers import CORPUS, STAFF, deliver, make_config, make_mail

MANAGER = "direction@exemple.test"


def bill_of(gateway, bill_id: int = 1) -> ReceivedBill:
    with gateway.database.sessions() as session:
        return session.get(ReceivedBill, bill_id)


def summarised(gateway, path=NETPRESSE, **options) -> str:
    mail, outbox = forward(gateway, path, **options)
    return token_of(next(row for row in outbox if row.template == "bill_summary"))


def journal_lines(gateway, entry_id: int) -> list[tuple[str, str, str]]:
    with gateway.database.sessions() as session:
        rows = session.scalars(
            select(JournalLine).where(JournalLine.entry_id == entry_id).order_by(JournalLine.position))
        return [(row.account, row.debit, row.credit) for row in rows]


def amounts(lines):
    return [(account, Decimal(debit), Decimal(credit)) for account, debit, credit in lines]


def test_ok_validates_the_bill_and_books_its_purchase_entry(gateway):
    mail, [reply] = answer(gateway, summarised(gateway), "OK merci\n")
    bill = bill_of(gateway)
    assert (mail.route, bill.status, reply.template) == ("reply", "validated", "bill_validated")
    assert reply.recipients == [STAFF] and bill.decided_at is not None
    assert amounts(journal_lines(gateway, bill.journal_entry_id)) == [
        ("6068", Decimal("46.68"), 0), ("44566", Decimal("9.34"), 0), ("401", 0, Decimal("56.02"))]
    with gateway.database.sessions() as session:
        supplier = session.scalars(select(Supplier)).one()
        assert (supplier.key, supplier.validated_count, supplier.last_account) == ("530848134", 1, "6068")
        assert supplier.validated_ibans[0]["iban"] == "FR7610107002450061705231739"


def test_account_correction_then_ok_in_one_reply_books_on_that_account(gateway):
    mail, [reply] = answer(gateway, summarised(gateway), "Compte : 6064\nOK\n")
    bill = bill_of(gateway)
    assert (bill.status, bill.account) == ("validated", "6064")
    assert journal_lines(gateway, bill.journal_entry_id)[0][0] == "6064"
    assert bill.corrections[0]["field"] == "account" and bill.corrections[0]["by"] == STAFF


def test_correction_sends_a_new_summary_and_retires_the_old_one(gateway):
    first = summarised(gateway)
    mail, [summary] = answer(gateway, first, "TTC : 60,00\n")
    bill = bill_of(gateway)
    assert (summary.template, bill.status, bill.total_incl_tax) == ("bill_summary", "awaiting_staff", "60.00")
    assert bill.corrections[0]["old"] == "56.02"
    text = summary.body_text.replace("\u00a0", " ").replace("\u202f", " ")
    assert "60,00 €   [✎ corrigé]" in text and "ne correspond pas à HT + TVA" in text
    second = token_of(summary)
    assert second != first
    mail, [refusal] = answer(gateway, first, "OK\n")
    assert refusal.template == "reply_refused" and "plus récent" in refusal.body_text
    assert bill_of(gateway).status == "awaiting_staff"


def test_ok_is_not_taken_when_the_amounts_cannot_be_booked(gateway):
    mail, [summary] = answer(gateway, summarised(gateway), "TTC : 60,00\nOK\n")
    assert bill_of(gateway).status == "awaiting_staff"
    assert summary.template == "bill_summary" and "Je ne peux pas valider" in summary.body_text
    # Correcting the VAT too makes the bill add up; OK then validates it.
    mail, [reply] = answer(gateway, token_of(summary), "TVA 20 : 13,32\nTVA : 13,32\nOK\n")
    assert (reply.template, bill_of(gateway).status) == ("bill_validated", "validated")


def test_non_with_its_motif_rejects_the_bill(gateway):
    mail, [reply] = answer(gateway, summarised(gateway), "NON\nLe montant ne correspond pas au devis.\n")
    bill = bill_of(gateway)
    assert (bill.status, bill.status_reason, bill.journal_entry_id) == (
        "rejected", "Le montant ne correspond pas au devis.", None)
    assert reply.template == "bill_rejected" and "Motif : Le montant ne correspond pas au devis." in reply.body_text


def test_replayed_ok_after_the_decision_is_refused(gateway):
    token = summarised(gateway)
    answer(gateway, token, "OK\n")
    mail, [refusal] = answer(gateway, token, "OK\n")
    assert refusal.template == "reply_refused" and "déjà été validée" in refusal.body_text
    assert mail.reason.startswith("bill reply refused (decided)")


def test_ok_from_another_staff_member_is_refused_as_foreign(gateway):
    mail, [refusal] = answer(gateway, summarised(gateway), "OK\n", sender="paul@exemple.test")
    assert mail.reason.startswith("token refused (foreign)")
    assert bill_of(gateway).status == "awaiting_staff"


def test_ok_acts_only_on_the_bill_of_its_own_token(gateway):
    first = summarised(gateway)
    summarised(gateway, AKRETION)
    answer(gateway, first, "OK\n")
    assert [bill_of(gateway, 1).status, bill_of(gateway, 2).status] == ["validated", "awaiting_staff"]
    # A token issued for another kind of object with the same id does not reach the bill.
    with gateway.database.transaction() as session:
        order_token = issue_token(session, "order", 2, STAFF)
    answer(gateway, order_token, "OK\n")
    assert bill_of(gateway, 2).status == "awaiting_staff"


def test_auto_reply_to_a_summary_is_ignored(gateway):
    token = summarised(gateway)
    address = f"factures+{token}@exemple.test"
    raw = make_mail(to=address, subject="Réponse automatique : absent du bureau", body="Je suis absente.\n",
                    extra_headers="Auto-Submitted: auto-replied\r\n")
    mail, outbox = deliver(gateway, raw, recipients=(address,))
    assert (mail.status, outbox) == ("ignored", [])


def test_doublon_closes_the_duplicate_and_nouveau_lifts_the_hold(gateway):
    summarised(gateway)
    duplicate = summarised(gateway)
    mail, [reply] = answer(gateway, duplicate, "DOUBLON\n")
    assert (reply.template, bill_of(gateway, 2).status) == ("bill_duplicate_closed", "duplicate")
    assert bill_of(gateway, 2).duplicate_of_bill_id == 1
    again = summarised(gateway)
    mail, [reply] = answer(gateway, again, "OK\n")
    assert bill_of(gateway, 3).status == "awaiting_duplicate" and "DOUBLON, ou NOUVEAU" in reply.body_text
    mail, [reply] = answer(gateway, token_of(reply), "NOUVEAU\nOK\n")
    assert (reply.template, bill_of(gateway, 3).status) == ("bill_validated", "validated")


def test_bill_above_the_threshold_needs_the_managers_ok_too(tmp_path):
    config = make_config(tmp_path / "var", approvals={"manager_threshold": "50.00"})
    gateway = open_gateway(config)
    try:
        token = summarised(gateway)
        mail, outbox = answer(gateway, token, "OK\n")
        assert sorted(row.template for row in outbox) == ["approval_request", "bill_sent_to_manager"]
        assert bill_of(gateway).status == "awaiting_manager"
        request = next(row for row in outbox if row.template == "approval_request")
        assert request.recipients == [MANAGER]
        mail, [refusal] = answer(gateway, token, "OK\n")
        assert "attend maintenant" in refusal.body_text
        mail, outbox = answer(gateway, token_of(request), "OK\n", sender=MANAGER)
        assert bill_of(gateway).status == "validated"
        assert sorted((row.template, row.recipients[0]) for row in outbox) == [
            ("bill_validated", MANAGER), ("bill_validated", STAFF)]
    finally:
        gateway.close()


def test_manager_refusal_rejects_and_tells_the_staff(tmp_path):
    gateway = open_gateway(make_config(tmp_path / "var", approvals={"manager_threshold": "50.00"}))
    try:
        mail, outbox = answer(gateway, summarised(gateway), "OK\n")
        request = next(row for row in outbox if row.template == "approval_request")
        mail, outbox = answer(gateway, token_of(request), "NON trop cher\n", sender=MANAGER)
        assert (bill_of(gateway).status, bill_of(gateway).status_reason) == ("rejected", "trop cher")
        assert {row.recipients[0] for row in outbox} == {MANAGER, STAFF}
    finally:
        gateway.close()


def test_forward_then_ok_books_the_bill_on_sqlite_and_postgresql(any_db_gateway):
    gateway = any_db_gateway
    with gateway.database.transaction() as session:
        # The shared PostgreSQL test database keeps suppliers between tests (bills go with their mails).
        session.execute(delete(Supplier))
    mail, [summary] = forward(gateway, AKRETION)
    with gateway.database.sessions() as session:
        bill = session.scalars(select(ReceivedBill).where(ReceivedBill.mail_id == mail.id)).one()
    mail, [reply] = answer(gateway, token_of(summary), "OK\n")
    with gateway.database.sessions() as session:
        bill = session.get(ReceivedBill, bill.id)
    assert (reply.template, bill.status) == ("bill_validated", "validated")
    lines = amounts(journal_lines(gateway, bill.journal_entry_id))
    assert sum(debit for _, debit, _ in lines) == sum(credit for _, _, credit in lines) == Decimal("104.90")


def test_supplier_sent_bill_is_validated_by_the_ok_of_its_reader_and_the_supplier_hears_nothing(tmp_path):
    gateway = open_gateway(make_config(tmp_path / "var", bills={"supplier_senders": [SUPPLIER]}))
    try:
        mail, [summary] = deliver(gateway, supplier_mail(), envelope_from=SUPPLIER)
        assert summary.recipients == [MANAGER]
        mail, outbox = answer(gateway, token_of(summary), "OK\n", sender=MANAGER)
        assert bill_of(gateway).status == "validated"
        assert [row.recipients for row in outbox] == [[MANAGER]]
        # The supplier writing to the manager's token address is only a supplier mail: no bill, no answer.
        mail, outbox = answer(gateway, token_of(summary), "NON\n", sender=SUPPLIER)
        assert (mail.route, outbox, bill_of(gateway).status) == ("supplier_bill", [], "validated")
        assert bill_of(gateway, 2) is None
    finally:
        gateway.close()


def test_bill_in_dollars_is_booked_only_once_converted_to_euros(gateway):
    token = summarised(gateway, CORPUS / "invoices" / "pdf-text" / "AmazonWebServices.pdf")
    assert bill_of(gateway).currency == "USD"
    mail, [summary] = answer(gateway, token, "OK\n")
    assert bill_of(gateway).status == "awaiting_staff" and "Je ne peux pas valider" in summary.body_text
    assert "Facture en USD" in summary.body_text
    mail, [reply] = answer(gateway, token_of(summary), "Devise : EUR\nTTC : 3,80\nHT : 3,80\nTVA : 0\nOK\n")
    bill = bill_of(gateway)
    assert (reply.template, bill.status) == ("bill_validated", "validated")
    assert (bill.currency, bill.total_incl_tax) == ("EUR", "3.80")
