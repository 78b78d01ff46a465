"""PostgreSQL restarted mid-load: ingress answers 451 meanwhile, workers retry, nothing is half-applied."""

import time

import pytest

from tests.faults.fleet import assert_each_answered_once, wait_all_done, wait_until
from tests.faults.smtp_load import Load

pytestmark = pytest.mark.slow

MAILS = 120


def test_postgres_restarted_mid_load_loses_nothing_and_answers_once(private_redis, private_postgres, fleet_factory, tag):
    fleet = fleet_factory(private_redis.url)
    fleet.start(workers=2)
    load = Load(fleet.port, MAILS, tag, pause=0.01).start()
    wait_until(lambda: load.accepted >= MAILS // 3, 60, "a third of the mails accepted")
    # A fast shutdown cuts every open transaction: a claim, a handler's transaction, a delivery.
    private_postgres.stop("fast")
    time.sleep(1.5)
    private_postgres.start()
    load.join()
    done = wait_all_done(fleet, tag, MAILS)
    assert_each_answered_once(done, MAILS, fleet.var_dir)
    assert all(worker.alive() for worker in fleet.workers), "a worker died with the database"
    assert fleet.serve.alive(), "serve died with the database"
