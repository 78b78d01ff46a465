"""The dramatiq actors and their broker: in-process by default, Redis or RabbitMQ by URL."""

import logging
from datetime import timedelta

import dramatiq
import pika.exceptions
import redis.exceptions
from dramatiq.brokers.stub import StubBroker
from dramatiq.errors import BrokerConnectionError
from sqlalchemy import and_, or_, select

from gateway.app import Gateway
from gateway.delivery import RetryLater, deliver
from gateway.ingest_gate import IngestGate
from gateway.mail_locks import MailLocks
from gateway.models import Mail, Outbox, utcnow
from gateway.processing import process_mail

log = logging.getLogger(__name__)

MAIL_QUEUE = "mail"
OUTBOX_QUEUE = "outbox"

# What a broker that is down or restarting raises. dramatiq translates most of it into its own
# BrokerConnectionError, but the Redis broker's enqueue lets redis-py's errors through.
BROKER_ERRORS = (BrokerConnectionError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, pika.exceptions.AMQPError)


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

    def __init__(self, gateway: Gateway, broker: dramatiq.Broker | None = None, gate: IngestGate | None = None,
                 share: tuple[int, int] = (0, 1)):
        self.gateway = gateway
        self.share = share
        self.broker = broker or build_broker(gateway.config.queue.broker_url)
        self.gate = gate
        self.embedded = isinstance(self.broker, StubBroker)
        self.mail_locks = MailLocks(gateway.database)
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
        with self.mail_locks.hold(mail_id) as ours:
            if not ours:
                log.info("mail %s is being processed by another job; this copy is dropped", mail_id)
                return
            outbox_ids = process_mail(self.gateway, mail_id)
        # The outbox rows are committed by now; only then are they handed to the queue.
        for outbox_id in outbox_ids:
            self._hand_over(self.deliver, outbox_id)

    def run_deliver(self, outbox_id: int) -> None:
        if self.gate:
            self.gate.wait()
        try:
            deliver(self.gateway, outbox_id)
        except RetryLater as later:
            # The row says when it is due again; dramatiq waits that long before the next try.
            raise dramatiq.Retry(str(later), delay=int(later.delay.total_seconds() * 1000)) from later

    def enqueue_mail(self, mail_id: int) -> bool:
        """Hand a stored mail to the queue; False when the broker is unreachable (the rescan finds it)."""
        return self._hand_over(self.process_mail, mail_id)

    def _hand_over(self, actor: dramatiq.Actor, row_id: int) -> bool:
        try:
            actor.send(row_id)
        except BROKER_ERRORS as error:
            # The row is committed: the database, not the broker, remembers the work.
            log.warning("%s(%s) not queued, the broker is unreachable (%s); a rescan queues it", actor.actor_name, row_id, error)
            return False
        return True

    def backlog(self) -> int:
        """Jobs waiting to start: in the in-process queue, or ready on the broker (0 if unreachable)."""
        if self.embedded:
            return sum(self.broker.queues[name].qsize() for name in (MAIL_QUEUE, OUTBOX_QUEUE) if name in self.broker.queues)
        try:
            return sum(self._ready_on_broker(name) for name in (MAIL_QUEUE, OUTBOX_QUEUE))
        except BROKER_ERRORS:
            return 0  # The rescan then meets the same error and tries again later.

    def _ready_on_broker(self, queue_name: str) -> int:
        """Messages waiting for a worker; those a worker holds (in flight, or a dead one's) are not counted."""
        if hasattr(self.broker, "get_queue_message_counts"):
            try:
                return self.broker.get_queue_message_counts(queue_name)[0]
            except pika.exceptions.AMQPError:
                # Unlike enqueue, this call keeps a broken channel: drop it so the next one reconnects.
                del self.broker.connection
                raise
        # The Redis broker keeps each queue's waiting message ids in the list `<namespace>:<queue>`.
        return self.broker.client.llen(f"{self.broker.namespace}:{queue_name}")

    def enqueue_unfinished(self, older_than: timedelta = timedelta(0)) -> tuple[int, int]:
        """Queue again what was stored but never finished (after a crash, or a lost message).

        Raises the database's or the broker's error when either is down: the caller tries later.
        """
        cutoff = utcnow() - older_than
        with self.gateway.database.sessions() as session:
            index, count = self.share
            mail_ids = session.scalars(
                select(Mail.id).where(Mail.status.in_(("pending", "processing")), Mail.received_at <= cutoff,
                                      Mail.id % count == index).order_by(Mail.id)
            ).all()
            due = or_(
                and_(Outbox.next_attempt_at.is_(None), Outbox.created_at <= cutoff),
                Outbox.next_attempt_at <= utcnow(),
            )
            outbox_ids = session.scalars(
                select(Outbox.id).where(Outbox.status == "pending", due, Outbox.id % count == index).order_by(Outbox.id)
            ).all()
        for mail_id in mail_ids:
            self.process_mail.send(mail_id)
        for outbox_id in outbox_ids:
            self.deliver.send(outbox_id)
        if mail_ids or outbox_ids:
            log.info("queued again %s mails and %s outgoing messages left unfinished", len(mail_ids), len(outbox_ids))
        return len(mail_ids), len(outbox_ids)
