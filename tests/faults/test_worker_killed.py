"""A worker SIGKILLed mid-load, twice: its messages come back, nothing is lost or answered twice."""

import pytest

from tests.faults.fleet import assert_each_answered_once, wait_all_done, wait_until
from tests.faults.smtp_load import Load

pytestmark = pytest.mark.slow

MAILS = 120


def test_worker_killed_mid_message_loses_nothing_and_answers_once(broker, fleet_factory, tag):
    fleet = fleet_factory(broker.url)
    fleet.start(workers=3)
    first, second = fleet.workers[:2]
    load = Load(fleet.port, MAILS, tag, pause=0.01).start()
    for victim, at in ((first, MAILS // 3), (second, 2 * MAILS // 3)):
        wait_until(lambda: load.accepted >= at, 60, f"{at} mails accepted")
        # The victim is busy (it has processed mail, and more keeps arriving): killed mid-message.
        victim.wait_log("processed:")
        victim.kill()
        fleet.start_worker(ready=False)
    load.join()
    done = wait_all_done(fleet, tag, MAILS)
    assert_each_answered_once(done, MAILS, fleet.var_dir)
