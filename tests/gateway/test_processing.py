"""From stored mail to terminal state: routes, replies as outbox rows, Maildir delivery, failures."""

import email
from dataclasses import replace

import pytest
from sqlalchemy import select

from gateway.delivery import deliver as deliver_outbox
from gateway.models import Mail, Outbox
from gateway.processing import MAX_PROCESSING_ATTEMPTS, process_mail, reset_for_replay
from tests.helpers import (
    GATEWAY_ADDRESS,
    STAFF,
    UNTRUSTED,
    deliver,
    maildir_messages,
    make_mail,
    store,
)


def test_staff_mail_gets_french_help_reply_in_the_outbox_maildir(any_db_gateway):
    gateway = any_db_gateway
    mail, outbox = deliver(gateway, make_mail(subject="Une question", message_id="<q1@client.exemple.test>"))
    assert (mail.status, mail.route) == ("processed", "bill")
    assert [row.status for row in outbox] == ["sent"]
    [path] = maildir_messages(gateway.config)
    reply = email.message_from_bytes(path.read_bytes())
    assert reply["To"] == STAFF
    assert reply["Subject"] == "Re: Une question"
    assert reply["In-Reply-To"] == "<q1@client.exemple.test>"
    assert "<q1@client.exemple.test>" in reply["References"]
    assert reply["Auto-Submitted"] == "auto-replied"
    assert reply["X-Auto-Response-Suppress"] == "All"
    assert reply["X-Invoice-Gateway-Loop"] == GATEWAY_ADDRESS
    assert reply["Message-ID"] == outbox[0].message_id
    assert GATEWAY_ADDRESS in reply["From"]
    plain = next(part for part in reply.walk() if part.get_content_type() == "text/plain")
    assert "La passerelle factures" in plain.get_payload(decode=True).decode()


def test_forward_to_the_gateway_without_a_document_is_answered_that_no_invoice_was_found(gateway):
    mail, outbox = deliver(gateway, make_mail(subject="TR: Facture 2026-114"))
    assert mail.route == "bill"
    assert [row.template for row in outbox] == ["bill_nothing_found"]
    assert "aucune facture" in outbox[0].body_text


def test_gateway_in_bcc_of_mail_without_an_order_is_recorded_and_nobody_is_answered(gateway):
    raw = make_mail(to="client@acme.fr", subject="Confirmation de commande")
    mail, outbox = deliver(gateway, raw)
    assert mail.route == "order"
    assert mail.status == "ignored"
    assert outbox == []


def test_gateway_in_cc_is_recognised_as_an_order(gateway):
    raw = make_mail(to="client@acme.fr", extra_headers=f"Cc: {GATEWAY_ADDRESS}\r\n")
    mail, _ = deliver(gateway, raw)
    assert mail.route == "order"


def test_help_reply_escapes_user_text_in_html(gateway):
    mail, outbox = deliver(gateway, make_mail(subject="<script>alert(1)</script>"))
    assert "<script>" not in outbox[0].body_html
    assert "&lt;script&gt;" in outbox[0].body_html


def test_english_configuration_answers_in_english(gateway):
    from gateway.templating import EmailTemplates

    gateway.templates = EmailTemplates("en")
    _, outbox = deliver(gateway, make_mail())
    assert "The invoice gateway" in outbox[0].body_text


def test_unknown_sender_is_ignored_and_never_answered(gateway):
    mail, outbox = deliver(gateway, make_mail(sender="stranger@gmail.com"), envelope_from="stranger@gmail.com")
    assert mail.status == "ignored"
    assert mail.reason.startswith("unknown sender stranger@gmail.com")
    assert outbox == []
    assert maildir_messages(gateway.config) == []


def test_staff_address_from_an_untrusted_peer_is_ignored(gateway):
    mail, outbox = deliver(gateway, make_mail(), trust=UNTRUSTED)
    assert mail.status == "ignored"
    assert mail.route == "untrusted"
    assert "untrusted sender marie@exemple.test" in mail.reason
    assert outbox == []


def test_mail_claiming_to_come_from_the_gateway_itself_is_ignored(gateway):
    mail, outbox = deliver(gateway, make_mail(sender=GATEWAY_ADDRESS))
    assert mail.status == "ignored" and mail.reason.startswith("loop")
    assert outbox == []


def test_our_own_reply_coming_back_is_ignored_as_a_loop(gateway):
    _, outbox = deliver(gateway, make_mail())
    bounced_back = maildir_messages(gateway.config)[0].read_bytes().replace(b"From: ", b"X-Old-From: ", 1)
    bounced_back = b"From: marie@exemple.test\r\n" + bounced_back
    mail, answers = deliver(gateway, bounced_back)
    assert mail.status == "ignored"
    assert mail.reason.startswith("loop")
    assert answers == []


def test_client_answer_to_our_mail_is_recorded_not_answered(gateway):
    _, outbox = deliver(gateway, make_mail())
    answer = make_mail(sender="client@acme.fr", extra_headers=f"In-Reply-To: {outbox[0].message_id}\r\n")
    mail, answers = deliver(gateway, answer, envelope_from="client@acme.fr", trust=UNTRUSTED)
    assert (mail.status, mail.route) == ("processed", "client_answer")
    assert answers == []


def test_vacation_reply_from_staff_is_ignored_as_auto_reply(gateway):
    raw = make_mail(subject="Réponse automatique : absent du bureau", extra_headers="Auto-Submitted: auto-replied\r\n")
    mail, outbox = deliver(gateway, raw)
    assert mail.status == "ignored" and mail.reason.startswith("auto_reply")
    assert outbox == []


def test_unreadable_bytes_are_quarantined_with_a_reason(gateway):
    mail, outbox = deliver(gateway, b"\x00\x01\x02 not a mail at all \xff")
    assert mail.status == "quarantined"
    assert mail.reason.startswith("malformed:")
    assert outbox == []


def test_processing_twice_sends_one_reply(any_db_gateway):
    gateway = any_db_gateway
    received = store(gateway, make_mail())
    first = process_mail(gateway, received.mail_id)
    second = process_mail(gateway, received.mail_id)
    assert len(first) == 1 and second == []
    for outbox_id in first + first:
        deliver_outbox(gateway, outbox_id)
    assert len(maildir_messages(gateway.config)) == 1


def test_mail_whose_processing_keeps_dying_is_quarantined(gateway):
    received = store(gateway, make_mail())
    # A worker that died mid-message leaves the row in "processing" with its attempt counted.
    with gateway.database.transaction() as session:
        mail = session.get(Mail, received.mail_id)
        mail.status, mail.attempts = "processing", MAX_PROCESSING_ATTEMPTS
    assert process_mail(gateway, received.mail_id) == []
    with gateway.database.sessions() as session:
        mail = session.get(Mail, received.mail_id)
    assert mail.status == "quarantined"
    assert "did not finish" in mail.reason


def test_mail_left_processing_by_a_dead_worker_is_finished_once(gateway):
    received = store(gateway, make_mail())
    with gateway.database.transaction() as session:
        session.get(Mail, received.mail_id).status = "processing"
    outbox_ids = process_mail(gateway, received.mail_id)
    assert len(outbox_ids) == 1


def test_handler_error_ends_failed_with_the_reason(gateway):
    # A template that cannot render is a bug in a handler: the mail ends failed, nothing is sent.
    gateway.templates.environment.loader.searchpath[:] = [str(gateway.config.var_dir)]
    mail, outbox = deliver(gateway, make_mail())
    assert mail.status == "failed"
    assert "TemplateNotFound" in mail.reason
    assert outbox == []


def test_replay_processes_a_mail_again(gateway):
    mail, _ = deliver(gateway, make_mail(sender="stranger@gmail.com"))
    assert mail.status == "ignored"
    gateway.config = replace(gateway.config, mail=replace(gateway.config.mail, staff=["*@exemple.test", "stranger@gmail.com"]))
    assert reset_for_replay(gateway, mail.id) == "ignored"
    assert len(process_mail(gateway, mail.id)) == 1
    with gateway.database.sessions() as session:
        assert session.get(Mail, mail.id).status == "processed"


def test_delivery_failure_is_retried_then_failed_with_reason(gateway):
    from gateway.delivery import RetryLater

    config = gateway.config
    blocked = config.var_dir / "blocked"
    blocked.write_text("a file where the Maildir should be")
    gateway.config = replace(config, outbound=replace(config.outbound, maildir=str(blocked), max_attempts=2))
    received = store(gateway, make_mail())
    [outbox_id] = process_mail(gateway, received.mail_id)
    with pytest.raises(RetryLater):
        deliver_outbox(gateway, outbox_id)
    assert deliver_outbox(gateway, outbox_id) == "failed"
    with gateway.database.sessions() as session:
        row = session.scalars(select(Outbox)).one()
    assert row.status == "failed" and row.attempts == 2
    assert "FileExistsError" in row.last_error or "NotADirectoryError" in row.last_error


def test_failed_attempt_waits_its_backoff_before_the_next(gateway):
    from gateway.delivery import RetryLater

    config = gateway.config
    blocked = config.var_dir / "blocked"
    blocked.write_text("a file where the Maildir should be")
    gateway.config = replace(config, outbound=replace(config.outbound, maildir=str(blocked), retry_base_seconds=60))
    [outbox_id] = process_mail(gateway, store(gateway, make_mail()).mail_id)
    with pytest.raises(RetryLater) as later:
        deliver_outbox(gateway, outbox_id)
    assert later.value.delay.total_seconds() == 60
    # A worker woken early (a rescan, a redelivered job) leaves the row alone until it is due.
    assert deliver_outbox(gateway, outbox_id) == "pending"
    with gateway.database.sessions() as session:
        row = session.get(Outbox, outbox_id)
    assert row.attempts == 1 and row.next_attempt_at is not None


def test_retry_waits_double_up_to_the_maximum():
    from gateway.delivery import retry_delay

    assert [retry_delay(n, 60, 3600).total_seconds() for n in range(1, 9)] == [60, 120, 240, 480, 960, 1920, 3600, 3600]
