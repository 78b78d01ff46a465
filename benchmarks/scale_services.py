"""The scale benchmark's services: a PostgreSQL database and a Redis DB of its own, and the gateway's processes."""

import os
import subprocess
import time
from pathlib import Path

import psycopg
import redis

import harness

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = "scale_bench"
REDIS_URL = "redis://127.0.0.1:6379/9"


def database_url(driver: str = "postgresql+psycopg") -> str:
    return f"{driver}://postgres@127.0.0.1:5432/{DATABASE}"


def connect() -> psycopg.Connection:
    """A plain autocommit connection to the benchmark's database, for the fill and the counts."""
    return psycopg.connect(database_url("postgresql"), autocommit=True)


def create_database() -> None:
    """A fresh, empty database (a leftover of an interrupted run is dropped first)."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")


def drop_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def flush_redis() -> None:
    """Empty our Redis DB only: other tests use the other numbers of the same server."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    finally:
        client.close()


def gateway_env(var_dir: Path, port: int, worker_threads: int) -> dict[str, str]:
    """The settings every process of the run shares: PostgreSQL, Redis, our domain, a loopback MX."""
    extra = {
        "GATEWAY_STORAGE__DATABASE_URL": database_url(),
        "GATEWAY_QUEUE__BROKER_URL": REDIS_URL,
        "GATEWAY_QUEUE__WORKER_THREADS": str(worker_threads),
        "GATEWAY_OUTBOUND__MAILDIR": str(var_dir / "outbox"),
    }
    return harness.serve_env(var_dir, port, extra=extra)


class Worker:
    """One `python -m gateway worker` process in its own process group."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.env, self.log_path = env, log_path
        self.process: subprocess.Popen | None = None
        self.log_offset = 0

    def start(self) -> "Worker":
        # The log may hold an earlier worker's lines: only what this one writes counts.
        self.log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [harness.PYTHON, "-m", "gateway", "worker"],
                cwd=harness.ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        return self

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Wait for its "worker started" line: from then on it consumes the broker's queue."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited with {self.process.returncode}:\n{self.log_tail()}")
            if b"worker started" in self.log_path.read_bytes()[self.log_offset :]:
                return
            time.sleep(0.1)
        raise RuntimeError(f"worker not started within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 20) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 30.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait()


def start_workers(count: int, env: dict[str, str], log_dir: Path) -> list[Worker]:
    """Start `count` workers at once (so that they share the start-up cost) and wait for all."""
    workers = [Worker(env, log_dir / f"worker-{count}-{number}.log").start() for number in range(count)]
    try:
        for worker in workers:
            worker.wait_ready()
    except BaseException:
        stop_workers(workers)
        raise
    return workers


def stop_workers(workers: list[Worker]) -> None:
    # SIGTERM to all first, so that they wind down together rather than one after the other.
    for worker in workers:
        if worker.process is not None and worker.process.poll() is None:
            worker.process.terminate()
    for worker in workers:
        worker.stop()


def start_ingress(env: dict[str, str], var_dir: Path, port: int) -> harness.ManagedProcess:
    """`serve --no-worker`: SMTP in, each stored mail's id sent to Redis."""
    var_dir.mkdir(parents=True, exist_ok=True)
    argv = [harness.PYTHON, "-m", "gateway", "serve", "--no-worker"]
    return harness.ManagedProcess(argv, env, var_dir.parent / "serve.log", port).start()
