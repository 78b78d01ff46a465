"""Real gateway processes for the broker and fault tests: `serve`, `worker`s, SMTP load, and the count.

"Nothing lost, nothing sent twice" is counted on the database and the outbox: every mail of the
test ends terminal, every processed mail has exactly one outbox row, every outbox row is sent,
and each sent row is one file in the Maildir (or one message at the relay, by Message-ID).
"""

import os
import signal
import smtplib
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from pathlib import Path

from sqlalchemy import create_engine, select

from gateway.models import Mail, Outbox
from tests.helpers import DOMAIN, ROOT, free_port

TERMINAL = ("processed", "ignored", "quarantined", "failed")


def gateway_env(var_dir: Path, database_url: str, broker_url: str, **settings: str) -> dict[str, str]:
    env = {
        **os.environ,
        "GATEWAY_STORAGE__VAR_DIR": str(var_dir),
        "GATEWAY_STORAGE__DATABASE_URL": database_url,
        "GATEWAY_QUEUE__BROKER_URL": broker_url,
        "GATEWAY_QUEUE__RESCAN_SECONDS": "1",
        "GATEWAY_MAIL__DOMAINS": f'["{DOMAIN}"]',
        "GATEWAY_MAIL__STAFF": f'["*@{DOMAIN}"]',
        "GATEWAY_AUTH__TRUSTED_NETWORKS": '["127.0.0.0/8"]',
        "GATEWAY_OUTBOUND__RETRY_BASE_SECONDS": "1",
    }
    return {**env, **{f"GATEWAY_{key.upper()}": value for key, value in settings.items()}}


class GatewayProcess:
    """`python -m gateway serve|worker` in its own process group, its output in a log file."""

    def __init__(self, command: list[str], env: dict[str, str], log_path: Path):
        self.command, self.env, self.log_path = command, env, log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> "GatewayProcess":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "gateway", *self.command], cwd=ROOT, env=self.env,
                                            stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole group, as a crash of the machine's process would."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self, timeout: float = 5) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    def wait_log(self, text: str, timeout: float = 60) -> None:
        """Wait until the process has written `text` to its log (it is ready, it has processed mail)."""
        wait_until(lambda: text in self.log_path.read_text(errors="replace"), timeout, f"{text!r} in {self.log_path.name}", self)

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:]) if self.log_path.exists() else ""


class Fleet:
    """One `serve --no-worker` (ingress, queueing to the broker) and any number of workers."""

    def __init__(self, work_dir: Path, database_url: str, broker_url: str, **settings: str):
        self.var_dir = work_dir / "var"
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.env = gateway_env(self.var_dir, database_url, broker_url, smtp__listen=f"127.0.0.1:{self.port}", **settings)
        self.database_url = database_url
        self.serve: GatewayProcess | None = None
        self.workers: list[GatewayProcess] = []

    def start(self, workers: int) -> None:
        """`serve` and `workers` workers, started side by side (each takes seconds to import)."""
        started = [self.start_worker(ready=False) for _ in range(workers)]
        self.start_serve()
        for worker in started:
            worker.wait_log("worker started")

    def start_serve(self) -> GatewayProcess:
        self.serve = GatewayProcess(["serve", "--no-worker"], self.env, self.var_dir.parent / "serve.log").start()
        wait_until(self._greets, 60, "serve greeting", self.serve)
        return self.serve

    def start_worker(self, ready: bool = True) -> GatewayProcess:
        log_path = self.var_dir.parent / f"worker{len(self.workers)}.log"
        worker = GatewayProcess(["worker"], self.env, log_path).start()
        self.workers.append(worker)
        if ready:
            worker.wait_log("worker started")
        return worker

    def _greets(self) -> bool:
        try:
            with smtplib.SMTP("127.0.0.1", self.port, timeout=2):
                return True
        except (OSError, smtplib.SMTPException):
            return False

    def stop(self) -> None:
        # Graceful shutdown is not what these tests look at: everything ends at once.
        for process in [*self.workers, self.serve]:
            if process is not None:
                process.kill()

    def logs(self) -> str:
        return "\n".join(f"--- {p.log_path.name}\n{p.log_tail()}" for p in [self.serve, *self.workers] if p)


def wait_until(condition, timeout: float, what: str, process: GatewayProcess | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process is not None and not process.alive():
            raise AssertionError(f"{what}: the process exited\n{process.log_tail()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@dataclass
class Outcome:
    mails: int
    states: Counter
    outbox_per_mail: Counter  # mail id -> outbox rows
    outbox_states: Counter
    sent_message_ids: list[str]
    failed_reasons: dict[str, str]  # Message-ID of each failed outbox row -> its last error

    @property
    def unfinished(self) -> int:
        return sum(n for state, n in self.states.items() if state not in TERMINAL) + self.outbox_states["pending"]

    @property
    def answered_twice(self) -> int:
        return sum(1 for rows in self.outbox_per_mail.values() if rows > 1)


def outcome(database_url: str, tag: str) -> Outcome:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            mails = connection.execute(select(Mail.id, Mail.status).where(Mail.message_id.like(f"<{tag}.%"))).all()
            ids = [mail_id for mail_id, _ in mails]
            columns = (Outbox.mail_id, Outbox.status, Outbox.message_id, Outbox.last_error)
            rows = connection.execute(select(*columns).where(Outbox.mail_id.in_(ids))).all()
    finally:
        engine.dispose()
    return Outcome(
        mails=len(mails),
        states=Counter(status for _, status in mails),
        outbox_per_mail=Counter(mail_id for mail_id, _, _, _ in rows),
        outbox_states=Counter(status for _, status, _, _ in rows),
        sent_message_ids=[message_id for _, status, message_id, _ in rows if status == "sent"],
        failed_reasons={message_id: error for _, status, message_id, error in rows if status == "failed"},
    )


def wait_all_done(fleet: Fleet, tag: str, count: int, timeout: float = 60) -> Outcome:
    """Wait until the `count` mails are terminal and their replies sent; return the count."""
    deadline = time.monotonic() + timeout
    while True:
        current = outcome(fleet.database_url, tag)
        if current.mails == count and current.unfinished == 0:
            return current
        if time.monotonic() > deadline:
            raise AssertionError(f"not finished after {timeout:.0f} s: {current}\n{fleet.logs()}")
        time.sleep(0.2)


def maildir_files_per_reply(var_dir: Path) -> Counter:
    """Files in the outbox Maildir per Message-ID: one each when nothing was written twice."""
    found, parser = Counter(), BytesHeaderParser()
    for folder in ("new", "cur"):
        for path in (var_dir / "outbox" / folder).glob("*"):
            with open(path, "rb") as handle:
                found[str(parser.parse(handle)["Message-ID"]).strip()] += 1
    return found


def assert_each_answered_once(done: Outcome, count: int, var_dir: Path | None = None) -> None:
    assert done.mails == count, f"{count - done.mails} mails lost"
    assert done.states == Counter(processed=count), done.states
    assert done.answered_twice == 0, "a mail was answered twice"
    assert done.outbox_states == Counter(sent=count), done.outbox_states
    if var_dir is not None:
        files = maildir_files_per_reply(var_dir)
        assert sorted(files) == sorted(done.sent_message_ids), "Maildir files and sent rows differ"
        assert max(files.values()) == 1, "a reply was written twice"
