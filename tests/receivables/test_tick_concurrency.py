"""Two schedulers at once on PostgreSQL: every step is claimed once, so no client gets a reminder twice."""

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from gateway.models import Outbox, utcnow
from receivables.models import ReminderSend
from receivables.sending import send_due_reminders
from tests.receivables.clock import at, issue, receivable, run_tick, sent


def _at_once(count: int, work) -> list:
    barrier, results = threading.Barrier(count), [None] * count

    def run(index: int) -> None:
        barrier.wait()
        results[index] = work()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_reminder_jobs_at_once_on_postgresql_send_each_step_once(any_db_gateway):
    gateway = any_db_gateway
    numbers = [issue(gateway, date(2026, 10, 1)) for _ in range(40)]
    counts = _at_once(2, lambda: send_due_reminders(gateway.database, gateway.config, at("2026-11-09T10:00")))
    assert sum(counts) == 40
    mails = sent(gateway, "reminder_first")
    assert len(mails) == 40
    with gateway.database.sessions() as session:
        per_invoice = session.execute(select(ReminderSend.receivable_id, func.count()).where(ReminderSend.outcome == "sent")
                                      .group_by(ReminderSend.receivable_id)).all()
    assert len(per_invoice) == 40 and all(count == 1 for _, count in per_invoice)
    assert all(receivable(gateway, number).last_step == "J+7" for number in numbers)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_ticks_at_once_on_postgresql_one_runs_and_the_other_steps_aside(any_db_gateway):
    gateway = any_db_gateway
    issue(gateway, date(2026, 10, 1))
    results = _at_once(2, lambda: run_tick(gateway, "2026-11-09T10:00"))
    ran = [result for result in results if result is not None]
    assert sum(result["reminders.send"] for result in ran) == 1
    assert len(sent(gateway)) == 1


def test_a_step_another_scheduler_already_claimed_is_not_sent_again(any_db_gateway):
    gateway = any_db_gateway
    number = issue(gateway, date(2026, 10, 1))
    with gateway.database.transaction() as session:
        # Another scheduler claimed J+7 and has not moved the invoice on yet.
        session.add(ReminderSend(receivable_id=receivable(gateway, number).id, step="J+7", outcome="sent",
                                 sent_on=date(2026, 11, 9), created_at=utcnow()))
    run_tick(gateway, "2026-11-09T10:00")
    assert sent(gateway) == []
    assert receivable(gateway, number).next_step == "J+15"
    with gateway.database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Outbox)) == 0
