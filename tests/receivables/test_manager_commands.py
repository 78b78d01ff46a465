"""The manager steers the reminders by mail: STATUT, PAUSE, REPRENDRE, STOP, RELANCE, PAYÉ, MISE EN DEMEURE."""

from dataclasses import replace
from datetime import timedelta

import pypdfium2

from gateway.models import OutboxAttachment
from invoicing.issue import today_in
from receivables.business_days import next_business_day
from tests.helpers import STAFF, deliver, make_mail
from tests.receivables.clock import issue, receivable, run_tick, sent

MANAGER = "direction@exemple.test"


def _overdue(gateway, days_late: int = 20) -> str:
    return issue(gateway, today_in(gateway.config) - timedelta(days=30 + days_late))


def _command(gateway, body: str, sender: str = MANAGER):
    return deliver(gateway, make_mail(sender=sender, subject="Relances", body=body), envelope_from=sender)


def test_statut_lists_the_open_invoices_overdue_first(gateway):
    older = _overdue(gateway, 40)
    later = issue(gateway, today_in(gateway.config))
    mail, [reply] = _command(gateway, "STATUT")
    assert mail.route == "command"
    text = reply.body_text
    assert older in text and later in text
    assert text.index(older) < text.index(later)


def test_pause_holds_the_reminders_until_the_date_given(gateway):
    number = _overdue(gateway)
    until = today_in(gateway.config) + timedelta(days=15)
    mail, [reply] = _command(gateway, f"PAUSE {number} jusqu'au {until:%d/%m/%Y}")
    state = receivable(gateway, number)
    assert (state.state, state.paused_until) == ("paused", until)
    assert f"{until:%d/%m/%Y}" in reply.body_text


def test_reprendre_and_stop_move_the_invoice_between_states(gateway):
    number = _overdue(gateway)
    _command(gateway, f"STOP {number}")
    assert receivable(gateway, number).state == "stopped"
    run_tick(gateway, f"{next_business_day(today_in(gateway.config) + timedelta(days=1))}T10:00")
    assert sent(gateway, "reminder_first", "reminder_firm", "reminder_final") == []
    _command(gateway, f"REPRENDRE {number}")
    assert receivable(gateway, number).state == "open"


def test_relance_plus_7_schedules_a_reminder_seven_days_later_even_after_the_ladder(gateway):
    number = _overdue(gateway, 60)
    run_tick(gateway, f"{next_business_day(today_in(gateway.config))}T10:00")  # the final step, and the escalation
    assert receivable(gateway, number).next_on is None
    _command(gateway, f"RELANCE {number} +7")
    day = next_business_day(today_in(gateway.config) + timedelta(days=7))
    assert receivable(gateway, number).next_on == day
    before = len(sent(gateway, "reminder_final"))
    run_tick(gateway, f"{day}T10:00")
    assert len(sent(gateway, "reminder_final")) == before + 1


def test_paye_records_a_partial_payment_and_the_next_reminder_asks_the_rest(gateway):
    number = _overdue(gateway, 10)  # 1 200,00 € TTC
    mail, outbox = _command(gateway, f"PAYÉ {number} 500,00 {today_in(gateway.config):%d/%m/%Y}", sender=STAFF)
    assert [row.template for row in outbox] == ["payment_recorded"]
    state = receivable(gateway, number)
    assert (state.state, state.outstanding) == ("open", "700.00")
    _command(gateway, f"RELANCE {number}")
    run_tick(gateway, f"{next_business_day(today_in(gateway.config))}T10:00")
    reminder = sent(gateway, "reminder_first", "reminder_firm", "reminder_final")[-1]
    assert "700,00" in reminder.body_text


def test_paye_in_full_stops_the_ladder_and_thanks_the_client(gateway):
    number = _overdue(gateway, 10)
    mail, outbox = _command(gateway, f"PAYÉ {number}", sender=STAFF)
    assert {row.template for row in outbox} == {"payment_recorded", "payment_thanks"}
    assert receivable(gateway, number).state == "paid"
    run_tick(gateway, f"{next_business_day(today_in(gateway.config) + timedelta(days=30))}T10:00")
    assert sent(gateway, "reminder_first", "reminder_firm", "reminder_final") == []


def test_mise_en_demeure_attaches_a_formal_notice_pdf_with_penalties_and_indemnity(gateway):
    number = _overdue(gateway, 45)
    mail, [reply] = _command(gateway, f"MISE EN DEMEURE {number}")
    assert reply.template == "reminders_command_done"
    with gateway.database.sessions() as session:
        (attachment,) = session.query(OutboxAttachment).filter(OutboxAttachment.outbox_id == reply.id).all()
        data = attachment.data
    text = "".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(data))
    assert number in text and "40,00" in text and "Mise en demeure" in text
    assert receivable(gateway, number).state == "stopped"


def test_staff_may_not_steer_reminders_unless_configured(gateway):
    number = _overdue(gateway)
    _, [reply] = _command(gateway, f"STOP {number}", sender=STAFF)
    assert receivable(gateway, number).state == "open"
    assert "direction" in reply.body_text
    gateway.config = replace(gateway.config, reminders=replace(gateway.config.reminders, staff_commands=True))
    _command(gateway, f"STOP {number}", sender=STAFF)
    assert receivable(gateway, number).state == "stopped"


def test_a_command_from_someone_else_is_never_applied_nor_answered(gateway):
    number = _overdue(gateway)
    mail, outbox = _command(gateway, f"PAYÉ {number}", sender="escroc@gmail.com")
    assert mail.status == "ignored" and outbox == []
    assert receivable(gateway, number).state == "open"


def test_a_command_on_an_unknown_invoice_says_so(gateway):
    _, [reply] = _command(gateway, "PAUSE FA2026-9999")
    assert "FA2026-9999" in reply.body_text


def test_a_bare_pause_in_answer_to_the_escalation_pauses_that_clients_invoices(gateway):
    number = _overdue(gateway, 60)
    run_tick(gateway, f"{next_business_day(today_in(gateway.config))}T10:00")
    (escalation,) = sent(gateway, "reminders_escalation")
    raw = make_mail(sender=MANAGER, subject=f"RE: {escalation.subject}", body="PAUSE\n",
                    extra_headers=f"In-Reply-To: {escalation.message_id}\r\nReferences: {escalation.message_id}\r\n")
    mail, _ = deliver(gateway, raw, envelope_from=MANAGER)
    assert mail.route == "command"
    assert receivable(gateway, number).state == "paused"
