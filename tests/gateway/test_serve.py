"""`serve` as a user runs it: a real process, real SMTP in, replies in the Maildir; kills survived."""

import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gateway.app import open_gateway
from gateway.config import load_config
from gateway.models import Mail, Outbox
from tests.helpers import (
    DOMAIN,
    GATEWAY_ADDRESS,
    ROOT,
    STAFF,
    TRUSTED,
    free_port,
    make_mail,
    store,
)

pytestmark = pytest.mark.slow


class ServeProcess:
    def __init__(self, var_dir: Path, port: int, extra_env: dict | None = None):
        self.var_dir, self.port = var_dir, port
        self.env = {
            **os.environ,
            "GATEWAY_STORAGE__VAR_DIR": str(var_dir),
            "GATEWAY_SMTP__LISTEN": f"127.0.0.1:{port}",
            "GATEWAY_MAIL__DOMAINS": f'["{DOMAIN}"]',
            "GATEWAY_MAIL__STAFF": f'["*@{DOMAIN}"]',
            "GATEWAY_AUTH__TRUSTED_NETWORKS": '["127.0.0.0/8"]',
            "GATEWAY_QUEUE__RESCAN_SECONDS": "2",
            **(extra_env or {}),
        }
        self.process = None

    def start(self):
        log = open(self.var_dir.parent / "serve.log", "ab")
        self.process = subprocess.Popen([sys.executable, "-m", "gateway", "serve"], cwd=ROOT, env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                assert self.process.poll() is None, (self.var_dir.parent / "serve.log").read_text()
                time.sleep(0.1)
        raise AssertionError("serve did not start listening")

    def kill(self, signum=signal.SIGKILL):
        self.process.send_signal(signum)
        self.process.wait(20)

    def children(self) -> list[int]:
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return pids

    def config(self):
        return load_config(environ=self.env)


@pytest.fixture
def serve_process(tmp_path):
    (tmp_path / "var").mkdir()
    running = ServeProcess(tmp_path / "var", free_port())
    yield running
    if running.process and running.process.poll() is None:
        running.kill(signal.SIGTERM)


def wait_until(condition, timeout=60.0, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {message}")


def counts(config) -> tuple[int, int, int]:
    gateway = open_gateway(config, migrate=False)
    try:
        with gateway.database.sessions() as session:
            done = session.scalar(select(func.count()).select_from(Mail).where(Mail.status == "processed"))
            total = session.scalar(select(func.count()).select_from(Mail))
            sent = session.scalar(select(func.count()).select_from(Outbox).where(Outbox.status == "sent"))
    finally:
        gateway.close()
    return total, done, sent


def outbox_files(var_dir: Path) -> list[Path]:
    new = var_dir / "outbox" / "new"
    return sorted(new.iterdir()) if new.exists() else []


def test_mail_sent_to_serve_gets_help_reply_in_the_outbox(serve_process):
    serve_process.start()
    with smtplib.SMTP("127.0.0.1", serve_process.port, timeout=10) as client:
        client.sendmail(STAFF, [GATEWAY_ADDRESS], make_mail(subject="Bonjour la passerelle"))
    wait_until(lambda: len(outbox_files(serve_process.var_dir)) == 1, message="the help reply")
    reply = outbox_files(serve_process.var_dir)[0].read_text()
    assert "Subject: Re: Bonjour la passerelle" in reply
    assert f"To: {STAFF}" in reply


def test_mail_stored_while_serve_was_down_is_processed_at_start(serve_process):
    config = serve_process.config()
    gateway = open_gateway(config)
    for number in range(3):
        store(gateway, make_mail(subject=f"en attente {number}"), trust=TRUSTED)
    gateway.close()
    serve_process.start()
    wait_until(lambda: counts(config) == (3, 3, 3), message="three pending mails processed")


def send_as_an_mta_would(client: smtplib.SMTP, raw: bytes) -> None:
    """Send, and send again after a temporary (4xx) refusal, as a real MTA retries."""
    for _ in range(5):
        try:
            client.sendmail(STAFF, [GATEWAY_ADDRESS], raw)
            return
        except smtplib.SMTPDataError as error:
            assert 400 <= error.smtp_code < 500, error
            time.sleep(0.5)
    raise AssertionError("still refused after 5 tries")


def test_worker_and_storage_killed_mid_stream_lose_nothing_and_answer_once(serve_process):
    serve_process.start()
    config = serve_process.config()
    with smtplib.SMTP("127.0.0.1", serve_process.port, timeout=10) as client:
        for number in range(40):
            send_as_an_mta_would(client, make_mail(subject=f"message {number}"))
            if number == 10:
                # The worker and the storage process both die; serve starts new ones.
                for pid in serve_process.children():
                    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: counts(config) == (40, 40, 40), timeout=90, message="every mail answered")
    assert len(outbox_files(serve_process.var_dir)) == 40


def test_serve_killed_and_restarted_answers_every_accepted_mail_once(serve_process):
    serve_process.start()
    config = serve_process.config()
    accepted = 0
    for round_number in range(3):
        with smtplib.SMTP("127.0.0.1", serve_process.port, timeout=10) as client:
            for number in range(10):
                client.sendmail(STAFF, [GATEWAY_ADDRESS], make_mail(subject=f"r{round_number} m{number}"))
                accepted += 1
        workers = serve_process.children()
        serve_process.kill()
        for pid in workers:
            # The worker notices its parent is gone and stops; wait so the next one starts clean.
            wait_until(lambda: not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2], timeout=30, message="old worker exit")
        serve_process.start()
    wait_until(lambda: counts(config) == (accepted, accepted, accepted), timeout=90, message="every mail answered")
    assert len(outbox_files(serve_process.var_dir)) == accepted


def test_two_embedded_workers_share_the_mail_and_answer_each_once(tmp_path):
    (tmp_path / "var").mkdir()
    running = ServeProcess(tmp_path / "var", free_port(), {"GATEWAY_QUEUE__EMBEDDED_WORKERS": "2"}).start()
    try:
        with smtplib.SMTP("127.0.0.1", running.port, timeout=10) as client:
            for number in range(10):
                client.sendmail(STAFF, [GATEWAY_ADDRESS], make_mail(subject=f"Question {number}"))
        wait_until(lambda: len(outbox_files(running.var_dir)) == 10, message="ten help replies")
        assert len([pid for pid in running.children()]) >= 2
        assert counts(running.config()) == (10, 10, 10)
    finally:
        running.kill(signal.SIGTERM)
