"""The broker restarted mid-load: Redis crashes and loses its queues, RabbitMQ stops and starts again."""

import pytest

from tests.faults.fleet import assert_each_answered_once, wait_all_done, wait_until
from tests.faults.smtp_load import Load

pytestmark = pytest.mark.slow

MAILS = 120


def test_broker_restarted_mid_load_loses_nothing_and_answers_once(broker, fleet_factory, tag):
    fleet = fleet_factory(broker.url)
    fleet.start(workers=2)
    load = Load(fleet.port, MAILS, tag, pause=0.01).start()
    wait_until(lambda: load.accepted >= MAILS // 3, 60, "a third of the mails accepted")
    # Mail keeps arriving while the broker is down: serve cannot queue it, workers lose their
    # consumers and their acknowledgements; the database still holds every mail.
    broker.restart()
    load.join()
    done = wait_all_done(fleet, tag, MAILS)
    assert_each_answered_once(done, MAILS, fleet.var_dir)
    assert all(worker.alive() for worker in fleet.workers), "a worker died with the broker"
