"""Asks a Redis or RabbitMQ broker whether it answers and how many messages it holds, on a connection of its own.

The probe never uses the workers' broker connections: a slow health check must not stall a
worker, and the actors' connections are not meant to be shared between threads.
"""

from urllib.parse import urlsplit

from gateway.queue import MAIL_QUEUE, OUTBOX_QUEUE

# A health check must answer within the few seconds an orchestrator waits for it.
TIMEOUT_SECONDS = 2
QUEUES = (MAIL_QUEUE, OUTBOX_QUEUE)


class RedisProbe:
    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS)

    def ping(self) -> None:
        self.client.ping()

    def queue_lengths(self) -> dict[str, int]:
        """Messages dramatiq holds per queue, waiting, delayed (retries) or being worked on."""
        # dramatiq's Redis layout: the hash `dramatiq:<queue>.msgs` holds each message until it is acked.
        pipe = self.client.pipeline(transaction=False)
        for queue in QUEUES:
            pipe.hlen(f"dramatiq:{queue}.msgs")
            pipe.hlen(f"dramatiq:{queue}.DQ.msgs")
        counts = pipe.execute()
        return {queue: counts[2 * index] + counts[2 * index + 1] for index, queue in enumerate(QUEUES)}

    def close(self) -> None:
        self.client.close()


class RabbitmqProbe:
    """A short AMQP connection per question: a kept one would need its heartbeats served."""

    def __init__(self, url: str):
        import pika

        self.parameters = pika.URLParameters(url)
        self.parameters.socket_timeout = TIMEOUT_SECONDS
        self.parameters.blocked_connection_timeout = TIMEOUT_SECONDS
        self.parameters.connection_attempts = 1

    def ping(self) -> None:
        self._connect().close()

    def queue_lengths(self) -> dict[str, int]:
        """Messages ready per queue, delayed retries included (unacked ones are not counted by RabbitMQ)."""
        connection = self._connect()
        try:
            return {queue: self._count(connection, queue) + self._count(connection, f"{queue}.DQ") for queue in QUEUES}
        finally:
            connection.close()

    def _connect(self):
        import pika

        return pika.BlockingConnection(self.parameters)

    def _count(self, connection, queue: str) -> int:
        import pika.exceptions

        channel = connection.channel()
        try:
            return channel.queue_declare(queue=queue, passive=True).method.message_count
        except pika.exceptions.ChannelClosedByBroker:
            return 0  # Not declared yet: no worker has started, so nothing waits in it.
        finally:
            if channel.is_open:
                channel.close()

    def close(self) -> None:
        pass


def broker_probe(broker_url: str) -> RedisProbe | RabbitmqProbe | None:
    """The probe for `queue.broker_url`; None for the embedded queue, which lives inside a worker."""
    if not broker_url:
        return None
    scheme = urlsplit(broker_url).scheme
    if scheme in ("redis", "rediss"):
        return RedisProbe(broker_url)
    return RabbitmqProbe(broker_url)
