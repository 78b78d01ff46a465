"""The gateway as `serve` wires it, inside the test: real SMTP in, a real worker, the Maildir out."""

import asyncio
import email
import re
import smtplib
import threading
import time
from dataclasses import dataclass
from email.message import Message

import dramatiq
from sqlalchemy import select

from gateway.app import Gateway
from gateway.delivery import maildir_name
from gateway.ingress_writer import LocalStorage
from gateway.models import TERMINAL_STATES, Mail, Outbox
from gateway.queue import JobQueue
from gateway.smtp import IngressHandler, start_smtp_server

STORED = re.compile(rb"Stored as mail (\d+)")


@dataclass
class Sent:
    """A mail that reached a terminal state, the rows it wrote and the messages they became."""

    mail: Mail
    outbox: list[Outbox]
    messages: list[Message]

    def templates(self) -> list[str]:
        return [row.template for row in self.outbox]

    def only(self, template: str) -> tuple[Outbox, Message]:
        found = [(row, message) for row, message in zip(self.outbox, self.messages) if row.template == template]
        mail = self.mail
        assert len(found) == 1, f"expected one {template}, got {self.templates()} ({mail.status}: {mail.reason})"
        return found[0]


class LiveGateway:
    """aiosmtpd on a free port and the embedded queue's worker threads, on one Gateway object.

    The test's Gateway carries its own DNS resolver, which a `serve` subprocess could not take:
    this is `serve`'s wiring (ingress writer, JobQueue, dramatiq worker, Maildir delivery) in-process.
    """

    def __init__(self, gateway: Gateway):
        self.gateway = gateway
        self.queue = JobQueue(gateway)
        self.worker = dramatiq.Worker(self.queue.broker, worker_threads=2, worker_timeout=100)
        self.worker.start()
        self.handler = IngressHandler(gateway.config, LocalStorage(gateway.database), self.queue.enqueue_mail)
        self.host, self.port = gateway.config.listen_host_port
        self.loop = asyncio.new_event_loop()
        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            self.server = self.loop.run_until_complete(start_smtp_server(gateway.config, self.handler))
            started.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, name="e2e-smtp", daemon=True)
        self.thread.start()
        assert started.wait(10), "the SMTP server did not start"

    def send(self, raw: bytes, sender: str, recipients: list[str]) -> int:
        """Send over SMTP as an MTA would; return the id the 250 reply names."""
        with smtplib.SMTP(self.host, self.port, timeout=30) as client:
            client.ehlo("mx.exemple.test")
            client.mail(sender)
            for recipient in recipients:
                code, text = client.rcpt(recipient)
                assert code == 250, (code, text)
            code, text = client.data(raw)
        assert code == 250, (code, text)
        return int(STORED.search(text).group(1))

    def exchange(self, raw: bytes, sender: str, recipients: list[str], timeout: float = 60.0) -> Sent:
        """Send, then wait until the mail is finished and every row it wrote has left."""
        return self.wait(self.send(raw, sender, recipients), timeout)

    def wait(self, mail_id: int, timeout: float = 60.0) -> Sent:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.gateway.database.sessions() as session:
                mail = session.get(Mail, mail_id)
                rows = list(session.scalars(select(Outbox).where(Outbox.mail_id == mail_id).order_by(Outbox.id)))
            if mail is not None and mail.status in TERMINAL_STATES and all(row.status != "pending" for row in rows):
                return Sent(mail, rows, [self.delivered(row) for row in rows])
            time.sleep(0.05)
        raise AssertionError(f"mail {mail_id} not finished within {timeout} s")

    def delivered(self, row: Outbox) -> Message:
        path = self.gateway.config.maildir / "new" / maildir_name(row)
        assert row.status == "sent" and path.exists(), (row.status, row.last_error, path)
        return email.message_from_bytes(path.read_bytes())

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.handler.close()
        self.worker.stop(timeout=10_000)
        self.queue.broker.close()
