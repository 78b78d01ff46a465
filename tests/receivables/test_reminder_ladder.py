"""The ladder driven by the tick with a clock the tests move: each step once, on business days and hours."""

from datetime import date

from sqlalchemy import select

from receivables.models import ReminderSend
from tests.receivables.clock import BUSINESS, CLIENT_EMAIL, CONSUMER, issue, receivable, run_tick, sent, with_reminders

LADDER = ("reminder_courtesy", "reminder_first", "reminder_firm", "reminder_final")


def test_the_whole_ladder_goes_out_once_each_step_then_the_manager_gets_the_file(any_db_gateway):
    gateway = any_db_gateway
    # Issued Thursday 1 October 2026, 30 days: due Saturday 31 October.
    number = issue(gateway, date(2026, 10, 1))
    assert receivable(gateway, number).due_date == date(2026, 10, 31)
    for moment in ("2026-10-29T10:00", "2026-10-30T10:00", "2026-10-30T15:00", "2026-11-09T10:00",
                   "2026-11-16T10:00", "2026-11-30T10:00", "2026-12-15T10:00"):
        run_tick(gateway, moment)
    mails = sent(gateway)
    assert [mail.template for mail in mails] == [*LADDER, "reminders_escalation"]
    assert all(mail.recipients == [CLIENT_EMAIL] for mail in mails[:4])
    assert mails[4].recipients == [gateway.config.mail.manager]
    assert all(number in mail.subject for mail in mails)
    state = receivable(gateway, number)
    assert (state.last_step, state.next_on, state.escalated_on) == ("J+30", None, date(2026, 11, 30))


def test_a_step_on_a_weekend_or_holiday_goes_on_the_next_business_day(any_db_gateway):
    gateway = any_db_gateway
    # Due Tuesday 10 November: J+1 falls on Armistice day, J+5 on a Sunday.
    gateway.config = with_reminders(gateway.config, steps=[{"days": 1, "tone": "first"}, {"days": 5, "tone": "final"}])
    number = issue(gateway, date(2026, 10, 11))  # due Tuesday 10 November 2026
    state = receivable(gateway, number)
    assert state.next_step == "J+1" and state.next_on == date(2026, 11, 12)  # 11 November is a public holiday
    run_tick(gateway, "2026-11-11T10:00")
    assert sent(gateway) == []
    run_tick(gateway, "2026-11-12T10:00")
    assert [mail.template for mail in sent(gateway)] == ["reminder_first"]
    # J+5 is Sunday 15 November: Monday 16.
    assert receivable(gateway, number).next_on == date(2026, 11, 16)
    run_tick(gateway, "2026-11-14T10:00")
    run_tick(gateway, "2026-11-15T10:00")
    assert len(sent(gateway)) == 1


def test_nothing_leaves_outside_business_hours(any_db_gateway):
    gateway = any_db_gateway
    issue(gateway, date(2026, 10, 1))
    for moment in ("2026-10-30T08:59", "2026-10-30T18:00", "2026-10-30T23:30"):
        run_tick(gateway, moment)
    assert sent(gateway) == []
    run_tick(gateway, "2026-10-30T09:00")
    assert len(sent(gateway)) == 1


def test_after_downtime_only_the_latest_due_step_is_sent(any_db_gateway):
    gateway = any_db_gateway
    number = issue(gateway, date(2026, 10, 1))
    # Nothing ran between the issue and 20 November: J-1 and J+7 were due, and J+15 (Monday 16).
    run_tick(gateway, "2026-11-20T10:00")
    assert [mail.template for mail in sent(gateway)] == ["reminder_firm"]
    with gateway.database.sessions() as session:
        steps = dict(session.execute(select(ReminderSend.step, ReminderSend.outcome)).all())
    assert steps == {"J-1": "skipped", "J+7": "skipped", "J+15": "sent"}
    assert receivable(gateway, number).next_step == "J+30"


def test_running_the_tick_twice_sends_nothing_twice(any_db_gateway):
    gateway = any_db_gateway
    issue(gateway, date(2026, 10, 1))
    first = run_tick(gateway, "2026-11-09T10:00")
    second = run_tick(gateway, "2026-11-09T10:00")
    assert first["reminders.send"] == 1 and second["reminders.send"] == 0
    assert len(sent(gateway)) == 1


def test_an_invoice_due_on_receipt_gets_no_courtesy_mail(any_db_gateway):
    gateway = any_db_gateway
    number = issue(gateway, date(2026, 11, 2), terms="à réception")
    assert receivable(gateway, number).next_step == "J+7"
    run_tick(gateway, "2026-11-02T10:00")
    assert sent(gateway) == []


def test_a_consumer_is_reminded_with_the_legal_interest_wording_and_no_indemnity(any_db_gateway):
    gateway = any_db_gateway
    issue(gateway, date(2026, 10, 1), buyer=CONSUMER)
    run_tick(gateway, "2026-11-16T10:00")
    (mail,) = sent(gateway)
    assert "taux légal" in mail.body_text
    assert "40" not in mail.body_text.replace("2026", "")


def test_a_business_client_sees_penalties_and_the_40_euro_indemnity(any_db_gateway):
    gateway = any_db_gateway
    issue(gateway, date(2026, 10, 1))  # 1 200,00 € TTC due 31 October
    run_tick(gateway, "2026-11-16T10:00")
    (mail,) = sent(gateway)
    # 1 200,00 × 12,15 % × 16 / 365 = 6,39 € (ECB 2,15 % + 10 points).
    assert "6,39" in mail.body_text
    assert "40" in mail.body_text


def test_a_client_without_reminders_in_the_configuration_gets_none(any_db_gateway):
    gateway = any_db_gateway
    gateway.config = with_reminders(gateway.config, clients={"*@durand-btp.example": []})
    number = issue(gateway, date(2026, 10, 1))
    assert receivable(gateway, number).next_on is None
    run_tick(gateway, "2026-11-16T10:00")
    assert sent(gateway) == []


def test_a_courtesy_step_falling_on_a_day_off_goes_the_business_day_before(any_db_gateway):
    gateway = any_db_gateway
    # Due Saturday 26 December 2026: J-1 is Christmas day, so the courtesy mail leaves Thursday 24.
    number = issue(gateway, date(2026, 11, 26))
    state = receivable(gateway, number)
    assert state.due_date == date(2026, 12, 26)
    assert (state.next_step, state.next_on) == ("J-1", date(2026, 12, 24))


def test_an_invoice_without_client_address_goes_to_the_manager_at_the_last_step(any_db_gateway):
    gateway = any_db_gateway
    number = issue(gateway, date(2026, 10, 1), buyer={**BUSINESS, "email": ""})
    assert receivable(gateway, number).next_step == "J+30"
    for moment in ("2026-10-30T10:00", "2026-11-09T10:00", "2026-11-30T10:00"):
        run_tick(gateway, moment)
    assert [mail.template for mail in sent(gateway)] == ["reminders_escalation"]


def test_a_step_on_a_local_public_holiday_waits_where_the_company_has_it(any_db_gateway):
    gateway = any_db_gateway
    # Due Friday 19 March 2027: J+7 is Good Friday, a public holiday in Moselle and Alsace only.
    gateway.config = with_reminders(gateway.config, holidays_subdivision="57")
    number = issue(gateway, date(2027, 2, 17))
    assert receivable(gateway, number).due_date == date(2027, 3, 19)
    run_tick(gateway, "2027-03-26T10:00")
    assert sent(gateway, "reminder_first") == []
    run_tick(gateway, "2027-03-29T10:00")  # Easter Monday, a national holiday
    run_tick(gateway, "2027-03-30T10:00")
    assert len(sent(gateway, "reminder_first")) == 1
