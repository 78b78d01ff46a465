"""`invoice-gateway tick --now` as a newcomer runs it: the reminders due land in the Maildir outbox."""

import threading
import time
from datetime import date
from decimal import Decimal

import pytest

from gateway.config import ConfigError, validate
from gateway.tick import start_scheduler
from invoicing.credit import credit_invoice_in
from invoicing.issue import today_in
from receivables.ledger import pause
from tests.gateway.test_cli import run_cli
from tests.helpers import maildir_messages
from tests.receivables.clock import issue, receivable, with_reminders


def test_tick_now_writes_the_due_reminder_and_delivers_it_to_the_maildir(gateway):
    number = issue(gateway, date(2026, 10, 1))
    result = run_cli(gateway.config, "tick", "--now", "2026-11-09T10:00")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "reminders.send : 1" in result.stdout
    (message,) = maildir_messages(gateway.config)
    text = message.read_text()
    assert number in text and "Auto-Submitted: auto-generated" in text
    again = run_cli(gateway.config, "tick", "--now", "2026-11-09T10:00")
    assert "reminders.send : 0" in again.stdout
    assert len(maildir_messages(gateway.config)) == 1


def test_serve_runs_the_tick_on_its_own_schedule(gateway):
    number = issue(gateway, date(2026, 10, 1))
    today = today_in(gateway.config)
    with gateway.database.transaction() as session:
        pause(session, session.merge(receivable(gateway, number)), today, today, "test")
    config = with_reminders(gateway.config, tick_seconds=1)
    stop = threading.Event()
    thread = start_scheduler(config, stop)
    try:
        deadline = time.monotonic() + 15
        while receivable(gateway, number).state == "paused" and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert receivable(gateway, number).state == "open"


def test_no_scheduler_runs_when_tick_seconds_is_zero(gateway):
    assert start_scheduler(with_reminders(gateway.config, tick_seconds=0), threading.Event()) is None


@pytest.mark.parametrize("values, key", [
    ({"steps": [{"days": 7, "tone": "angry"}]}, "reminders.steps"),
    ({"steps": [{"days": 7, "tone": "first"}, {"days": 7, "tone": "firm"}]}, "reminders.steps"),
    ({"clients": {"a@b.fr": "none"}}, "reminders.clients"),
    ({"send_from": "18:00", "send_until": "09:00"}, "reminders.send_from"),
    ({"contract_rate": "douze"}, "reminders.contract_rate"),
    ({"pause_days": 0}, "reminders.pause_days"),
    ({"holidays_subdivision": "Bretagne"}, "reminders.holidays_subdivision"),
])
def test_a_wrong_reminders_setting_stops_start_up_naming_the_key(gateway, values, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        validate(with_reminders(gateway.config, **values))


def test_a_credit_note_lowers_what_is_due_and_a_full_one_ends_the_ladder(gateway):
    number = issue(gateway, date(2026, 10, 1))  # 1 200,00 € TTC
    with gateway.database.transaction() as session:
        credit_invoice_in(session, gateway.config, number, amount=Decimal("240.00"), basis="TTC", reason="remise",
                          today=date(2026, 10, 5))
    assert receivable(gateway, number).outstanding == "960.00"
    with gateway.database.transaction() as session:
        credit_invoice_in(session, gateway.config, number, reason="annulation", today=date(2026, 10, 6))
    state = receivable(gateway, number)
    assert (state.state, state.outstanding, state.next_on) == ("credited", "0.00", None)
