"""The dramatiq actors and their broker: in-process by default, Redis or RabbitMQ by URL."""

import logging
from datetime import timedelta

import dramatiq
from dramatiq.brokers.stub import StubBroker
from sqlalchemy import and_, or_, select

from gateway.app import Gateway
from gateway.delivery import RetryLater, deliver
from gateway.ingest_gate import IngestGate
from gateway.models import Mail, Outbox, utcnow
from gateway.processing import process_mail

log = logging.getLogger(__name__)

MAIL_QUEUE = "mail"
OUTBOX_QUEUE = "outbox"


def build_broker(broker_url: str) -> dramatiq.Broker:
    if not broker_url:
        return StubBroker()
    if broker_url.startswith(("redis://", "rediss://")):
        from dramatiq.brokers.redis import RedisBroker

        return RedisBroker(url=broker_url)
    from dramatiq.brokers.rabbitmq import RabbitmqBroker

    # Publisher confirms: a message counts as enqueued only once RabbitMQ has it.
    return RabbitmqBroker(url=broker_url, confirm_delivery=True)


class JobQueue:
    """The two actors bound to one gateway and one broker. Both take ids and are safe to repeat."""

    def __init__(self, gateway: Gateway, broker: dramatiq.Broker | None = None, gate: IngestGate | None = None):
        self.gateway = gateway
        self.broker = broker or build_broker(gateway.config.queue.broker_url)
        self.gate = gate
        self.embedded = isinstance(self.broker, StubBroker)
        self.process_mail = dramatiq.actor(
            self.run_process_mail,
            broker=self.broker,
            actor_name="process_mail",
            queue_name=MAIL_QUEUE,
            max_retries=20,
            min_backoff=500,
            max_backoff=60_000,
        )
        self.deliver = dramatiq.actor(
            self.run_deliver,
            broker=self.broker,
            actor_name="deliver",
            queue_name=OUTBOX_QUEUE,
            # Our own backoff (the row's next_attempt_at) decides the waits; this only bounds them.
            max_retries=gateway.config.outbound.max_attempts + 2,
            min_backoff=1000,
            max_backoff=gateway.config.outbound.retry_max_seconds * 1000,
        )

    def run_process_mail(self, mail_id: int) -> None:
        if self.gate:
            self.gate.wait()
        # The outbox rows are committed by now; only then are they handed to the queue.
        for outbox_id in process_mail(self.gateway, mail_id):
            self.deliver.send(outbox_id)

    def run_deliver(self, outbox_id: int) -> None:
        if self.gate:
            self.gate.wait()
        try:
            deliver(self.gateway, outbox_id)
        except RetryLater as later:
            # The row says when it is due again; dramatiq waits that long before the next try.
            raise dramatiq.Retry(str(later), delay=int(later.delay.total_seconds() * 1000)) from later

    def enqueue_mail(self, mail_id: int) -> None:
        self.process_mail.send(mail_id)

    def backlog(self) -> int:
        """Messages waiting in the in-process queue; unknown (0) for an external broker."""
        if not self.embedded:
            return 0
        return sum(self.broker.queues[name].qsize() for name in (MAIL_QUEUE, OUTBOX_QUEUE) if name in self.broker.queues)

    def enqueue_unfinished(self, older_than: timedelta = timedelta(0)) -> tuple[int, int]:
        """Queue again what was stored but never finished (after a crash, or a lost message)."""
        cutoff = utcnow() - older_than
        with self.gateway.database.sessions() as session:
            mail_ids = session.scalars(
                select(Mail.id).where(Mail.status.in_(("pending", "processing")), Mail.received_at <= cutoff).order_by(Mail.id)
            ).all()
            due = or_(
                and_(Outbox.next_attempt_at.is_(None), Outbox.created_at <= cutoff),
                Outbox.next_attempt_at <= utcnow(),
            )
            outbox_ids = session.scalars(
                select(Outbox.id).where(Outbox.status == "pending", due).order_by(Outbox.id)
            ).all()
        for mail_id in mail_ids:
            self.process_mail.send(mail_id)
        for outbox_id in outbox_ids:
            self.deliver.send(outbox_id)
        if mail_ids or outbox_ids:
            log.info("queued again %s mails and %s outgoing messages left unfinished", len(mail_ids), len(outbox_ids))
        return len(mail_ids), len(outbox_ids)
