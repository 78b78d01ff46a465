"""SMTP ingress with a real server and real clients: what gets 250, 4xx and 5xx, and when."""

import asyncio
import shutil
import smtplib
import socket
import sqlite3
import subprocess
import threading
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from gateway.ingress_writer import LocalStorage
from gateway.models import Mail
from gateway.smtp import IngressHandler, start_smtp_server
from gateway.storage_process import StorageProcess
from tests.helpers import GATEWAY_ADDRESS, STAFF, make_mail, service_missing


class RunningServer:
    """The gateway's SMTP server on its own event loop thread, as `serve` runs it."""

    def __init__(self, gateway, storage=None):
        self.gateway = gateway
        self.stored: list[int] = []
        self.handler = IngressHandler(gateway.config, storage or LocalStorage(gateway.database), self.stored.append)
        self.loop = asyncio.new_event_loop()
        self.host, self.port = gateway.config.listen_host_port
        started = threading.Event()

        def run():
            asyncio.set_event_loop(self.loop)
            self.server = self.loop.run_until_complete(start_smtp_server(gateway.config, self.handler))
            started.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert started.wait(10)

    def client(self) -> smtplib.SMTP:
        return smtplib.SMTP(self.host, self.port, timeout=10)

    def stop(self):
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.handler.close()


@pytest.fixture
def server(any_db_gateway):
    running = RunningServer(any_db_gateway)
    yield running
    running.stop()


def count_mails(gateway) -> int:
    with gateway.database.sessions() as session:
        return session.scalar(select(func.count()).select_from(Mail))


def test_message_is_committed_before_250(server):
    raw = make_mail()
    with server.client() as client:
        client.ehlo()
        client.mail(STAFF)
        client.rcpt(GATEWAY_ADDRESS)
        code, message = client.data(raw)
        # At the moment the client reads 250, the row is already visible to another connection.
        assert code == 250
        assert count_mails(server.gateway) == 1
    with server.gateway.database.sessions() as session:
        mail = session.scalars(select(Mail)).one()
    assert mail.raw == raw
    assert mail.envelope_to == [GATEWAY_ADDRESS]
    assert mail.envelope_from == STAFF
    assert mail.peer.startswith("127.0.0.1:")
    assert mail.auth_verdict == "pass" and "127.0.0.0/8" in mail.auth_detail
    assert mail.status == "pending"
    assert f"mail {mail.id}".encode() in message
    assert server.stored == [mail.id]


def test_recipient_of_another_domain_is_refused_no_relay(server):
    with server.client() as client:
        client.ehlo()
        client.mail(STAFF)
        code, message = client.rcpt("someone@gmail.com")
    assert code == 550
    assert b"Relaying denied" in message
    assert count_mails(server.gateway) == 0


def test_unknown_mailbox_in_our_domain_is_refused(server):
    with server.client() as client:
        client.ehlo()
        client.mail(STAFF)
        assert client.rcpt("compta@exemple.test")[0] == 550
        assert client.rcpt("factures+abc123@exemple.test")[0] == 250
        assert client.rcpt("postmaster@exemple.test")[0] == 250


def test_sendmail_refuses_whole_message_when_only_foreign_recipients(server):
    with server.client() as client, pytest.raises(smtplib.SMTPRecipientsRefused):
        client.sendmail(STAFF, ["a@example.org", "b@example.net"], make_mail())
    assert count_mails(server.gateway) == 0


@pytest.fixture
def server_with(any_db_gateway):
    """A server whose [smtp] section has the given limits; stopped after the test."""
    started = []

    def start(**smtp):
        any_db_gateway.config = replace(any_db_gateway.config, smtp=replace(any_db_gateway.config.smtp, **smtp))
        started.append(RunningServer(any_db_gateway))
        return started[-1]

    yield start
    for running in started:
        running.stop()


def test_oversize_message_gets_552_and_is_not_stored(server_with):
    running = server_with(max_message_size=10_000)
    with running.client() as client:
        client.ehlo()
        client.mail(STAFF)
        client.rcpt(GATEWAY_ADDRESS)
        code, _ = client.data(make_mail(body=("x" * 70 + "\n") * 300))
    assert code == 552
    assert count_mails(running.gateway) == 0


def test_too_many_recipients_get_452(server_with):
    running = server_with(max_recipients=2)
    with running.client() as client:
        client.ehlo()
        client.mail(STAFF)
        assert client.rcpt(GATEWAY_ADDRESS)[0] == 250
        assert client.rcpt("factures+a@exemple.test")[0] == 250
        assert client.rcpt("factures+b@exemple.test")[0] == 452


def test_connections_over_the_limit_get_421(server_with):
    running = server_with(max_connections=2)
    first, second = running.client(), running.client()
    with socket.create_connection((running.host, running.port), timeout=5) as third:
        assert third.recv(100).startswith(b"421")
    first.quit()
    second.quit()
    # Once the others are gone, a new connection is welcome again.
    with running.client() as client:
        assert client.noop()[0] == 250


def test_duplicate_delivery_is_acknowledged_and_stored_once(server):
    raw = make_mail(message_id="<same-message@client.exemple.test>")
    with server.client() as client:
        client.sendmail(STAFF, [GATEWAY_ADDRESS], raw)
    with server.client() as client:
        client.ehlo()
        client.mail(STAFF)
        client.rcpt(GATEWAY_ADDRESS)
        code, message = client.data(raw)
    assert code == 250 and b"Already stored" in message
    assert count_mails(server.gateway) == 1
    # Only the first delivery is handed to the queue.
    assert len(server.stored) == 1


def test_same_message_id_with_other_bytes_is_a_new_mail(server):
    with server.client() as client:
        client.sendmail(STAFF, [GATEWAY_ADDRESS], make_mail(message_id="<m1@x>", body="one"))
        client.sendmail(STAFF, [GATEWAY_ADDRESS], make_mail(message_id="<m1@x>", body="two"))
    assert count_mails(server.gateway) == 2


def test_storage_down_answers_451_and_keeps_serving(tmp_path, config):
    from gateway.app import open_gateway

    config = replace(config, storage=replace(config.storage, busy_timeout_ms=200))
    gateway = open_gateway(config)
    running = RunningServer(gateway)
    # Another process holding the write lock past the busy timeout is storage being unavailable.
    lock = sqlite3.connect(config.database_url.split("///", 1)[1], isolation_level=None)
    try:
        lock.execute("BEGIN EXCLUSIVE")
        with running.client() as client:
            client.ehlo()
            client.mail(STAFF)
            client.rcpt(GATEWAY_ADDRESS)
            code, message = client.data(make_mail())
        assert code == 451
        lock.execute("ROLLBACK")
        lock.close()
        # The same client retrying later succeeds: the server survived.
        with running.client() as client:
            client.sendmail(STAFF, [GATEWAY_ADDRESS], make_mail())
        assert count_mails(gateway) == 1
    finally:
        running.stop()
        gateway.close()


def test_swaks_delivers_a_message(server):
    swaks = shutil.which("swaks")
    if swaks is None:
        service_missing("swaks", FileNotFoundError("not installed; make deps installs it"))
    result = subprocess.run(
        [swaks, "--server", f"{server.host}:{server.port}", "--from", STAFF, "--to", GATEWAY_ADDRESS,
         "--header", "Subject: essai swaks", "--body", "Bonjour", "--hide-all"],
        capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert count_mails(server.gateway) == 1


def test_storage_in_its_own_process_commits_before_250_and_survives_its_death(any_db_gateway):
    config = any_db_gateway.config
    storage = StorageProcess(config.database_url, config.storage.busy_timeout_ms)
    running = RunningServer(any_db_gateway, storage)
    try:
        with running.client() as client:
            assert client.sendmail(STAFF, [GATEWAY_ADDRESS], make_mail()) == {}
            assert count_mails(running.gateway) == 1
            storage.process.kill()
            storage.process.join(5)
            # The batch in flight when it died is refused with 451: the client will retry it.
            client.mail(STAFF)
            client.rcpt(GATEWAY_ADDRESS)
            assert client.data(make_mail())[0] == 451
            # A new storage process takes the next mail.
            assert client.sendmail(STAFF, [GATEWAY_ADDRESS], make_mail()) == {}
        assert count_mails(running.gateway) == 2
    finally:
        running.stop()
        storage.close()
