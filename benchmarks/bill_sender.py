"""Sends the benchmark's forwards over several SMTP connections, paced, noting when each `250` came."""

import re
import smtplib
import threading
import time
from dataclasses import dataclass, field

from bill_mails import GATEWAY, BillMail

STORED = re.compile(r"(?:Stored|Already stored) as mail (\d+)")


@dataclass(frozen=True)
class SentBill:
    mail: BillMail
    mail_id: int
    accepted_at: float  # time.time() when the client read the 250
    smtp_seconds: float  # from the end of DATA to the 250


@dataclass
class Load:
    sent: list[SentBill] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    started_at: float = 0.0
    ended_at: float = 0.0


def send_one(client: smtplib.SMTP, mail: BillMail) -> tuple[int, float]:
    """MAIL, RCPT, DATA with the pre-encoded bytes; the mail id the 250 names and the DATA latency."""
    for code, text in (client.mail(mail.sender), client.rcpt(GATEWAY)):
        if code != 250:
            raise smtplib.SMTPResponseException(code, text)
    client.putcmd("data")
    code, text = client.getreply()
    if code != 354:
        raise smtplib.SMTPDataError(code, text)
    client.sock.sendall(mail.data)
    ended = time.perf_counter()
    code, text = client.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, text)
    return int(STORED.search(text.decode()).group(1)), time.perf_counter() - ended


def send_all(port: int, mails: list[BillMail], connections: int, rate: float) -> Load:
    """Mail i is due `i / rate` seconds after the start (at once when rate is 0); each connection
    takes the next due mail when it is free, so a slow answer delays later mails, as with an MTA."""
    load, lock, queue = Load(), threading.Lock(), iter(enumerate(mails))

    def drive() -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=120) as client:
            client.ehlo("bench.client")
            while True:
                with lock:
                    index, mail = next(queue, (None, None))
                if mail is None:
                    return
                if rate > 0:
                    time.sleep(max(0.0, load.started_at + index / rate - time.time()))
                try:
                    mail_id, latency = send_one(client, mail)
                except (smtplib.SMTPException, OSError) as error:
                    with lock:
                        load.errors.append(f"mail {mail.number}: {type(error).__name__}: {error}")
                    continue
                with lock:
                    load.sent.append(SentBill(mail, mail_id, time.time(), latency))

    threads = [threading.Thread(target=drive, daemon=True) for _ in range(connections)]
    load.started_at = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.ended_at = time.time()
    return load
