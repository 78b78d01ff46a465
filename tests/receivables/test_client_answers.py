"""A client answering an invoice or a reminder: the ladder pauses, the salesperson reads it, disputes go up."""

from dataclasses import replace
from datetime import date, timedelta

from invoicing.issue import today_in
from receivables.business_days import add_business_days
from tests.helpers import deliver, make_mail
from tests.receivables.clock import CLIENT_EMAIL, issue, receivable, run_tick, sent


def _invoice_reminded(gateway) -> tuple[str, str]:
    """An invoice issued 40 days ago (30 days terms) whose first reminder went: its number and that mail's id."""
    today = today_in(gateway.config)
    number = issue(gateway, today - timedelta(days=40))
    due = receivable(gateway, number).due_date
    run_tick(gateway, f"{_business_day_after(due + timedelta(days=7))}T10:00")
    (reminder,) = sent(gateway)
    return number, reminder.message_id


def _business_day_after(day: date) -> date:
    return add_business_days(day, 0)


def _answer(gateway, message_id: str, body: str, headers: str = ""):
    raw = make_mail(sender=CLIENT_EMAIL, subject="RE: Relance", body=body,
                    extra_headers=f"In-Reply-To: {message_id}\r\nReferences: {message_id}\r\n{headers}")
    return deliver(gateway, raw, envelope_from=CLIENT_EMAIL)


def test_a_client_answer_pauses_the_reminders_and_reaches_the_salesperson(gateway):
    number, reminder_id = _invoice_reminded(gateway)
    mail, outbox = _answer(gateway, reminder_id, "Bonjour, pouvez-vous me renvoyer la facture en PDF ?\nMerci")
    assert (mail.status, mail.route) == ("processed", "client_answer")
    state = receivable(gateway, number)
    assert state.state == "paused"
    assert state.paused_until == add_business_days(today_in(gateway.config), gateway.config.reminders.pause_days)
    (forward,) = outbox
    # No salesperson on an invoice issued by CLI: the manager reads the client.
    assert forward.template == "client_reply_forward" and forward.recipients == [gateway.config.mail.manager]
    assert "renvoyer la facture" in forward.body_text
    assert all(row.recipients != [CLIENT_EMAIL] for row in outbox)


def test_a_paused_invoice_gets_no_reminder_and_resumes_when_the_pause_ends(gateway):
    number, reminder_id = _invoice_reminded(gateway)
    _answer(gateway, reminder_id, "Je regarde avec la comptabilité et je reviens vers vous.")
    until = receivable(gateway, number).paused_until
    before = len(sent(gateway, "reminder_firm", "reminder_final"))
    run_tick(gateway, f"{until - timedelta(days=1)}T10:00")
    assert receivable(gateway, number).state == "paused"
    assert len(sent(gateway, "reminder_firm", "reminder_final")) == before
    run_tick(gateway, f"{add_business_days(until, 0)}T10:00")
    assert receivable(gateway, number).state == "open"
    assert len(sent(gateway, "reminder_firm", "reminder_final")) == before + 1


def test_a_promise_with_a_date_resumes_the_day_after_it(gateway):
    number, reminder_id = _invoice_reminded(gateway)
    promised = today_in(gateway.config) + timedelta(days=20)
    _answer(gateway, reminder_id, f"Nous réglerons cette facture le {promised:%d/%m/%Y}.")
    state = receivable(gateway, number)
    assert (state.state, state.paused_until) == ("paused", promised + timedelta(days=1))


def test_a_dispute_stops_the_reminders_and_alerts_the_manager(gateway):
    number, reminder_id = _invoice_reminded(gateway)
    mail, outbox = _answer(gateway, reminder_id, "Nous contestons cette facture : le chantier n'est pas terminé, "
                                                 "nous ne paierons pas en l'état.")
    assert receivable(gateway, number).state == "disputed"
    escalation = [row for row in outbox if row.template == "reminders_escalation"]
    assert len(escalation) == 1 and escalation[0].recipients == [gateway.config.mail.manager]
    assert "chantier n'est pas terminé" in escalation[0].body_text
    run_tick(gateway, f"{add_business_days(today_in(gateway.config) + timedelta(days=40), 0)}T10:00")
    assert sent(gateway, "reminder_firm", "reminder_final") == []


def test_a_client_saying_it_paid_never_marks_the_invoice_paid(gateway):
    number, reminder_id = _invoice_reminded(gateway)
    _answer(gateway, reminder_id, "Le virement a été effectué ce matin.")
    state = receivable(gateway, number)
    assert state.state == "paused" and state.paid == "0.00"


def test_an_auto_reply_from_the_client_is_no_answer(gateway):
    number, reminder_id = _invoice_reminded(gateway)
    mail, outbox = _answer(gateway, reminder_id, "Je suis absent jusqu'au 15 décembre.",
                           headers="Auto-Submitted: auto-replied\r\n")
    assert mail.status == "ignored" and outbox == []
    assert receivable(gateway, number).state == "open"


def test_the_client_of_an_invoice_is_heard_as_a_client_even_when_it_looks_like_staff(gateway):
    gateway.config = replace(gateway.config, mail=replace(gateway.config.mail, staff=["*@*"]))
    number, reminder_id = _invoice_reminded(gateway)
    mail, _ = _answer(gateway, reminder_id, "Nous paierons le 15 du mois prochain.")
    assert mail.route == "client_answer"
    assert receivable(gateway, number).state == "paused"


def test_an_answer_about_a_paid_invoice_changes_nothing_and_says_so(gateway):
    number, reminder_id = _invoice_reminded(gateway)
    deliver(gateway, make_mail(subject="Paiement", body=f"PAYÉ {number}"))
    _, outbox = _answer(gateway, reminder_id, "Pouvez-vous m'envoyer la facture acquittée ?")
    (forward,) = [row for row in outbox if row.template == "client_reply_forward"]
    assert "rien n'a changé" in forward.body_text
    assert receivable(gateway, number).state == "paid"
