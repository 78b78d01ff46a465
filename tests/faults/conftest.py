"""Fixtures of the fault tests: private PostgreSQL and RabbitMQ for the session, Redis per test."""

import uuid

import pytest

from gateway.queue import MAIL_QUEUE, OUTBOX_QUEUE, build_broker
from tests.faults.fleet import Fleet
from tests.faults.services import PrivatePostgres, PrivateRabbitmq, PrivateRedis
from tests.helpers import service_missing



def _started(what: str, start):
    try:
        return start()
    except Exception as error:  # noqa: BLE001 - any failure to start means the service is not usable here
        service_missing(what, error)


@pytest.fixture(scope="session")
def private_postgres():
    cluster = PrivatePostgres()
    _started("private PostgreSQL cluster", cluster.create)
    yield cluster
    cluster.close()


@pytest.fixture(scope="session")
def private_rabbitmq(tmp_path_factory):
    node = PrivateRabbitmq(tmp_path_factory.mktemp("rabbitmq"))
    try:
        _started("private RabbitMQ node", node.start)
        yield node
    finally:
        node.close()


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path)
    _started("private Redis", server.start)
    yield server
    server.kill()


@pytest.fixture(params=["redis", "rabbitmq"])
def broker(request):
    """A broker with empty queues, `url` and `restart()`: a private Redis per test, or the session's RabbitMQ."""
    if request.param == "redis":
        return request.getfixturevalue("private_redis")
    node = request.getfixturevalue("private_rabbitmq")
    purged = build_broker(node.url)
    for name in (MAIL_QUEUE, OUTBOX_QUEUE):
        purged.declare_queue(name)
    purged.flush_all()
    purged.close()
    return node


@pytest.fixture
def fleet_factory(tmp_path, private_postgres):
    """Builds fleets on a fresh database of the private cluster; stops every process at the end."""
    fleets = []

    def build(broker_url: str, **settings: str) -> Fleet:
        fleet = Fleet(tmp_path / f"fleet{len(fleets)}", private_postgres.new_database(), broker_url, **settings)
        fleets.append(fleet)
        return fleet

    yield build
    for fleet in fleets:
        fleet.stop()


@pytest.fixture
def tag() -> str:
    return f"faults-{uuid.uuid4().hex[:8]}"
