"""The actors on each broker: the in-process one, and the machine's Redis and RabbitMQ."""

import time

import dramatiq
import pytest
from sqlalchemy import func, select

from gateway.models import Mail, Outbox
from gateway.queue import JobQueue, build_broker
from tests.helpers import maildir_messages, make_mail, service_missing, store

BROKERS = {
    "embedded": "",
    "redis": "redis://127.0.0.1:6379/15",
    "rabbitmq": "amqp://guest:guest@127.0.0.1:5672/%2F",
}


@pytest.fixture(params=list(BROKERS))
def job_queue(request, gateway):
    try:
        broker = build_broker(BROKERS[request.param])
        broker.flush_all()
    except Exception as error:  # noqa: BLE001 - any failure means the service is not usable
        service_missing(f"{request.param} broker", error)
    queue = JobQueue(gateway, broker)
    worker = dramatiq.Worker(broker, worker_threads=2, worker_timeout=100)
    worker.start()
    yield queue
    worker.stop()
    broker.flush_all()
    broker.close()


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def finished(gateway) -> tuple[int, int]:
    with gateway.database.sessions() as session:
        processed = session.scalar(select(func.count()).select_from(Mail).where(Mail.status == "processed"))
        sent = session.scalar(select(func.count()).select_from(Outbox).where(Outbox.status == "sent"))
    return processed, sent


def test_stored_mail_is_processed_and_its_reply_delivered_through_the_broker(job_queue):
    gateway = job_queue.gateway
    for number in range(5):
        job_queue.enqueue_mail(store(gateway, make_mail(subject=f"n°{number}")).mail_id)
    assert wait_for(lambda: finished(gateway) == (5, 5))
    assert len(maildir_messages(gateway.config)) == 5


def test_unfinished_rows_are_queued_again_at_start(job_queue):
    gateway = job_queue.gateway
    # Stored, but the hand-over to the queue was lost (a crash between commit and enqueue).
    for number in range(3):
        store(gateway, make_mail(subject=f"perdu {number}"))
    assert job_queue.enqueue_unfinished() == (3, 0)
    assert wait_for(lambda: finished(gateway) == (3, 3))


def test_the_same_mail_queued_twice_is_answered_once(job_queue):
    gateway = job_queue.gateway
    mail_id = store(gateway, make_mail()).mail_id
    for _ in range(4):
        job_queue.enqueue_mail(mail_id)
    assert wait_for(lambda: finished(gateway) == (1, 1))
    time.sleep(0.5)
    assert finished(gateway) == (1, 1)
    assert len(maildir_messages(gateway.config)) == 1
