"""Several real `python -m gateway worker` processes on PostgreSQL sharing the work through a broker."""

import subprocess
import uuid

import pytest

from gateway.app import open_gateway
from gateway.config import load_config
from gateway.queue import JobQueue, build_broker
from tests.faults.fleet import Fleet, assert_each_answered_once, wait_all_done
from tests.helpers import fresh_postgres_database, make_mail, service_missing, store

pytestmark = pytest.mark.slow

MAILS = 90
WORKERS = 3


@pytest.fixture
def database_of_its_own():
    """A fresh database on the machine's PostgreSQL, dropped at the end."""
    with fresh_postgres_database("gateway_workers") as url:
        yield url


def rabbitmq_vhost() -> tuple[str, callable]:
    """A virtual host of its own on the machine's RabbitMQ: other tests use the queues of `/`."""
    vhost = f"gateway-workers-{uuid.uuid4().hex[:8]}"
    subprocess.run(["rabbitmqctl", "add_vhost", vhost], check=True, capture_output=True, timeout=60)
    subprocess.run(["rabbitmqctl", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"], check=True,
                   capture_output=True, timeout=60)

    def remove() -> None:
        subprocess.run(["rabbitmqctl", "delete_vhost", vhost], capture_output=True, timeout=60)

    return f"amqp://guest:guest@127.0.0.1:5672/{vhost}", remove


@pytest.fixture(params=["redis", "rabbitmq"])
def machine_broker(request):
    """The machine's Redis (a database no other test uses, emptied) or RabbitMQ (a vhost of its own)."""
    remove = None
    try:
        if request.param == "redis":
            url = "redis://127.0.0.1:6379/14"
        else:
            url, remove = rabbitmq_vhost()
        broker = build_broker(url)
        for name in ("mail", "outbox"):
            broker.declare_queue(name)
        broker.flush_all()
        broker.close()
    except Exception as error:  # noqa: BLE001 - any failure means the service is not usable
        service_missing(f"{request.param} broker", error)
    yield url
    if remove is not None:
        remove()


def test_worker_processes_share_the_mail_and_answer_each_exactly_once(tmp_path, database_of_its_own, machine_broker):
    fleet = Fleet(tmp_path, database_of_its_own, machine_broker)
    try:
        for _ in range(WORKERS):
            fleet.start_worker(ready=False)
        for worker in fleet.workers:
            worker.wait_log("worker started")
        gateway = open_gateway(load_config(environ=fleet.env))
        queue = JobQueue(gateway)
        tag = f"workers-{uuid.uuid4().hex[:8]}"
        # Stored and handed to the broker as `serve` does; a few twice, as a redelivery would.
        for number in range(MAILS):
            mail_id = store(gateway, make_mail(subject=f"n°{number}", message_id=f"<{tag}.{number}@client.test>")).mail_id
            for _ in range(2 if number % 15 == 0 else 1):
                assert queue.enqueue_mail(mail_id)
        done = wait_all_done(fleet, tag, MAILS)
        assert_each_answered_once(done, MAILS, fleet.var_dir)
        shares = [worker.log_path.read_text().count("processed:") for worker in fleet.workers]
        assert all(shares), f"every worker takes a share: {shares}"
        queue.broker.close()
        gateway.close()
    finally:
        fleet.stop()
