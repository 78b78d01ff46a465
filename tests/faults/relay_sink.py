"""A local SMTP relay (aiosmtpd) that records what it accepts by Message-ID and can refuse on demand."""

import threading
from collections import Counter
from email.parser import BytesHeaderParser

from aiosmtpd.controller import Controller

from tests.helpers import free_port


class RefusingRelay:
    """Answers 451 to every message while `refusing` is set, and 550 to the recipients in `unknown`."""

    def __init__(self, unknown: set[str]):
        self.unknown = unknown
        self.refusing = threading.Event()
        self.accepted: Counter = Counter()  # Message-ID -> copies received
        self.refused_temporarily = 0
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.unknown:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        if self.refusing.is_set():
            self.refused_temporarily += 1
            return "451 4.3.0 Relay busy, try again later"
        message_id = str(BytesHeaderParser().parsebytes(envelope.content)["Message-ID"]).strip()
        self.accepted[message_id] += 1
        return f"250 2.0.0 Ok: queued as Q{sum(self.accepted.values())}"

    def __enter__(self) -> "RefusingRelay":
        self.controller.start()
        return self

    def __exit__(self, *_) -> None:
        self.controller.stop()
