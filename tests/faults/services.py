"""Private Redis, PostgreSQL and RabbitMQ instances on free loopback ports, which a test may restart.

The machine's own services (PostgreSQL 5432, Redis 6379, RabbitMQ 5672) are shared with every other
test: a fault is never done to them. Each private instance lives in a temporary folder and is
stopped when its fixture ends, whatever happened.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.helpers import free_port, service_missing

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
RABBITMQ_BIN = Path("/usr/lib/rabbitmq/bin")


def wait_listening(port: int, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"{what} did not listen on port {port} within {timeout:.0f} s")


class PrivateRedis:
    """`redis-server` without persistence: a restart loses every queued message, as a crash would."""

    def __init__(self, folder: Path):
        self.folder, self.port, self.process = folder, free_port(), None
        if not shutil.which("redis-server"):
            service_missing("redis-server binary", FileNotFoundError("redis-server"))

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "PrivateRedis":
        argv = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--dir", str(self.folder)]
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_listening(self.port, 10, "redis-server")
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def restart(self, down_seconds: float = 1.0) -> None:
        """Crash (SIGKILL: every queued message is gone), stay down a moment, start on the same port."""
        self.kill()
        time.sleep(down_seconds)
        self.start()


class PrivatePostgres:
    """A cluster of its own (initdb, pg_ctl) run as the `postgres` user when the tests run as root."""

    def __init__(self):
        # Under /tmp itself: pytest's own temporary folders are closed to the `postgres` user.
        folder = Path(tempfile.mkdtemp(prefix="gateway-postgres-"))
        self.folder, self.port = folder, free_port()
        self.data = folder / "data"
        if not (POSTGRES_BIN / "initdb").exists():
            service_missing("PostgreSQL binaries", FileNotFoundError(POSTGRES_BIN / "initdb"))
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            postgres = pwd.getpwnam("postgres")
            os.chown(folder, postgres.pw_uid, postgres.pw_gid)

    def _run(self, *argv: str) -> None:
        subprocess.run([*self.as_user, *argv], check=True, capture_output=True, timeout=60)

    def create(self) -> "PrivatePostgres":
        self._run(str(POSTGRES_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        return self.start()

    def start(self) -> "PrivatePostgres":
        # fsync off: the restart under test is of the server, not of the machine.
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run(str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run(str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def new_database(self) -> str:
        name = f"gw_{uuid.uuid4().hex[:10]}"
        admin = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
        admin.dispose()
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def close(self) -> None:
        try:
            self.stop("immediate")
        except (subprocess.SubprocessError, OSError):
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


class PrivateRabbitmq:
    """A RabbitMQ node of its own (name, ports, data, Erlang cookie); `restart` stops and starts its app."""

    def __init__(self, folder: Path):
        self.folder, self.port, self.node = folder, free_port(), f"gwtest{uuid.uuid4().hex[:8]}@localhost"
        if not (RABBITMQ_BIN / "rabbitmq-server").exists():
            service_missing("rabbitmq-server", FileNotFoundError(RABBITMQ_BIN / "rabbitmq-server"))
        (folder / "rabbitmq.conf").write_text(f"listeners.tcp.local = 127.0.0.1:{self.port}\n")
        (folder / "enabled_plugins").write_text("[].\n")
        self.env = {
            **os.environ,
            "HOME": str(folder),  # The node and rabbitmqctl share the cookie written there.
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(free_port()),
            "RABBITMQ_MNESIA_BASE": str(folder / "mnesia"),
            "RABBITMQ_LOG_BASE": str(folder / "log"),
            "RABBITMQ_CONFIG_FILE": str(folder / "rabbitmq.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(folder / "enabled_plugins"),
            "RABBITMQ_CONF_ENV_FILE": str(folder / "rabbitmq-env.conf"),
        }
        self.process = None

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/%2F"

    def start(self) -> "PrivateRabbitmq":
        out = open(self.folder / "server.out", "ab")
        self.process = subprocess.Popen([str(RABBITMQ_BIN / "rabbitmq-server")], env=self.env, stdout=out, stderr=out,
                                        start_new_session=True)
        wait_listening(self.port, 60, "rabbitmq-server")
        return self

    def ctl(self, *argv: str) -> None:
        subprocess.run([str(RABBITMQ_BIN / "rabbitmqctl"), "-n", self.node, *argv], env=self.env, check=True,
                       capture_output=True, timeout=60)

    def restart(self, down_seconds: float = 1.0) -> None:
        """Stop the broker (every connection closed, the port shut), wait, start it again."""
        self.ctl("stop_app")
        time.sleep(down_seconds)
        self.ctl("start_app")
        wait_listening(self.port, 30, "rabbitmq (restarted)")

    def close(self) -> None:
        try:
            self.ctl("stop")
        except (subprocess.SubprocessError, OSError):
            pass
        if self.process is not None:
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(10)
