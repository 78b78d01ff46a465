"""The broker modes of the crash benchmark: a PostgreSQL database and broker queues of the run's own.

`--broker redis` uses a Redis database number nobody else uses (emptied before and after);
`--broker rabbitmq` a virtual host of its own on the machine's RabbitMQ (made with rabbitmqctl,
deleted at the end). The database is a new one on the machine's PostgreSQL, dropped at the end
unless the work folder is kept.
"""

import os
import subprocess
import uuid
from dataclasses import dataclass, field

POSTGRES_ADMIN_URL = os.environ.get("GATEWAY_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = "redis://127.0.0.1:6379/13"


@dataclass
class Mode:
    name: str
    database_url: str = ""
    broker_url: str = ""
    cleanups: list = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        if not self.broker_url:
            return {}
        return {"GATEWAY_STORAGE__DATABASE_URL": self.database_url, "GATEWAY_QUEUE__BROKER_URL": self.broker_url}

    def close(self, keep_database: bool = False) -> None:
        for cleanup in reversed(self.cleanups):
            if keep_database and cleanup.__name__ == "drop_database":
                continue
            try:
                cleanup()
            except Exception as error:  # noqa: BLE001 - a cleanup failure must not hide the figures
                print(f"cleanup {cleanup.__name__} failed: {error}")


def open_mode(broker: str | None) -> Mode:
    if not broker:
        return Mode("embedded")
    mode = Mode(broker)
    mode.database_url = _new_database(mode)
    mode.broker_url = _redis(mode) if broker == "redis" else _rabbitmq_vhost(mode)
    return mode


def _admin_connect():
    import psycopg

    return psycopg.connect(POSTGRES_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def _new_database(mode: Mode) -> str:
    name = f"gateway_crash_{uuid.uuid4().hex[:10]}"
    with _admin_connect() as connection:
        connection.execute(f"CREATE DATABASE {name}")

    def drop_database() -> None:
        with _admin_connect() as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    mode.cleanups.append(drop_database)
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _redis(mode: Mode) -> str:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    mode.cleanups.append(client.flushdb)
    return REDIS_URL


def _rabbitmq_vhost(mode: Mode) -> str:
    vhost = f"gateway-crash-{uuid.uuid4().hex[:8]}"
    _rabbitmqctl("add_vhost", vhost)
    _rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")

    def delete_vhost() -> None:
        _rabbitmqctl("delete_vhost", vhost)

    mode.cleanups.append(delete_vhost)
    return f"amqp://guest:guest@127.0.0.1:5672/{vhost}"


def _rabbitmqctl(*argv: str) -> None:
    subprocess.run(["rabbitmqctl", *argv], check=True, capture_output=True, timeout=120)
