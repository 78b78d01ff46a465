"""Test helpers: a test configuration, `deliver(raw)` through the real pipeline, small mails."""

import http.server
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from gateway.app import Gateway
from gateway.config import Config, load_config
from gateway.delivery import deliver as deliver_outbox
from gateway.ingress import Received, receive
from gateway.models import Mail, Outbox
from gateway.processing import process_mail
from gateway.trust import TrustVerdict

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
EMAILS = Path(__file__).resolve().parent / "emails"
POSTGRES_ADMIN_URL = os.environ.get("GATEWAY_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"

STAFF = "marie@exemple.test"
DOMAIN = "exemple.test"
GATEWAY_ADDRESS = f"factures@{DOMAIN}"


def service_missing(what: str, error: Exception) -> None:
    """Under CI a missing service fails the test; on a developer's machine it skips."""
    message = f"{what} unavailable: {error}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)  # Only outside CI: under CI=true the line above fails the test.


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_config(var_dir: Path, database_url: str = "", **sections) -> Config:
    """The shipped defaults with the test domain, loopback trusted and everything under var_dir."""
    config = load_config(environ={})
    config = replace(
        config,
        mail=replace(config.mail, domains=[DOMAIN], staff=[f"*@{DOMAIN}"], manager=f"direction@{DOMAIN}"),
        storage=replace(config.storage, var_dir=str(var_dir), database_url=database_url),
        auth=replace(config.auth, trusted_networks=["127.0.0.0/8", "::1/128"]),
        smtp=replace(config.smtp, listen=f"127.0.0.1:{free_port()}"),
        # Retries are due at once in tests; the backoff itself has a test of its own.
        outbound=replace(config.outbound, retry_base_seconds=0),
    )
    for name, values in sections.items():
        config = replace(config, **{name: replace(getattr(config, name), **values)})
    return config


TRUSTED = TrustVerdict("pass", "peer 127.0.0.1 in trusted network 127.0.0.0/8")
UNTRUSTED = TrustVerdict("none", "peer 203.0.113.9 outside the trusted networks")


def store(gateway: Gateway, raw: bytes, recipients=(GATEWAY_ADDRESS,), envelope_from=STAFF, trust=TRUSTED) -> Received:
    return receive(gateway.database, raw, list(recipients), "smtp", envelope_from, "127.0.0.1:40000", trust)


def deliver(gateway: Gateway, raw: bytes, **envelope) -> tuple[Mail, list[Outbox]]:
    """Receive, process and send one message inline, as the worker would; return its rows."""
    received = store(gateway, raw, **envelope)
    for outbox_id in process_mail(gateway, received.mail_id):
        deliver_outbox(gateway, outbox_id)
    with gateway.database.sessions() as session:
        mail = session.get(Mail, received.mail_id)
        outbox = list(session.query(Outbox).filter(Outbox.mail_id == mail.id).order_by(Outbox.id))
    return mail, outbox


def make_mail(
    sender: str = STAFF,
    to: str = GATEWAY_ADDRESS,
    subject: str = "Bonjour",
    body: str = "Bonjour,\n\nPetite question.\n",
    extra_headers: str = "",
    message_id: str | None = None,
) -> bytes:
    """A small plain-text mail, for tests where the MIME shape does not matter."""
    message_id = message_id or f"<{uuid.uuid4().hex}@client.exemple.test>"
    # CRLF line ends throughout, as SMTP carries them, so stored bytes equal the bytes sent.
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    if not body.endswith("\r\n"):
        body += "\r\n"
    return (
        f"From: Marie Durand <{sender}>\r\nTo: {to}\r\nSubject: {subject}\r\n"
        f"Date: Thu, 26 Nov 2026 10:00:00 +0100\r\nMessage-ID: {message_id}\r\n"
        f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n{extra_headers}\r\n{body}"
    ).encode()


def maildir_messages(config: Config) -> list[Path]:
    new = config.maildir / "new"
    return sorted(new.iterdir()) if new.is_dir() else []


@contextmanager
def fresh_postgres_database(prefix: str) -> Iterator[str]:
    """A brand-new database on the machine's PostgreSQL, dropped at the end; its URL."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
    except Exception as error:  # noqa: BLE001 - any failure means the service is not usable
        admin.dispose()
        service_missing("PostgreSQL at 127.0.0.1:5432", error)
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


class RecordingServer:
    """A web server on a free loopback port; `str(server)` is its URL, `requests` the paths asked."""

    def __init__(self):
        requests = self.requests = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the name http.server calls
                requests.append(self.path)
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def __str__(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
