"""SMTP load for the fault tests: mails sent from a thread and sent again until a 250, as an MTA would."""

import smtplib
import threading
import time

from tests.helpers import DOMAIN, GATEWAY_ADDRESS, STAFF, make_mail


class Load:
    """Sends `count` mails over SMTP from a thread; a mail without a 250 is sent again, as an MTA would."""

    def __init__(self, port: int, count: int, tag: str, pause: float = 0.0, sender=lambda number: STAFF):
        self.port, self.count, self.tag, self.pause, self.sender = port, count, tag, pause, sender
        self.accepted = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def message_id(self, number: int) -> str:
        return f"<{self.tag}.{number}@client.{DOMAIN}>"

    def start(self) -> "Load":
        self.thread.start()
        return self

    def join(self, timeout: float = 120) -> None:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the load did not finish sending"

    def _run(self) -> None:
        client = None
        for number in range(self.count):
            sender = self.sender(number)
            raw = make_mail(sender=sender, subject=f"Charge {number}", message_id=self.message_id(number))
            while True:
                try:
                    client = client or smtplib.SMTP("127.0.0.1", self.port, timeout=30)
                    client.sendmail(sender, [GATEWAY_ADDRESS], raw)
                    break
                except (OSError, smtplib.SMTPException):
                    # 451 while storage is down, or the connection lost: the same mail again.
                    client = _close(client)
                    time.sleep(0.2)
            self.accepted += 1
            time.sleep(self.pause)
        _close(client)


def _close(client: smtplib.SMTP | None) -> None:
    if client is not None:
        try:
            client.close()
        except OSError:
            pass
    return None
