"""Orders copied to the gateway (Cc or Bcc): read, recorded, then invoiced, asked about or sent for approval."""

import logging

from sqlalchemy import select

from gateway.app import Gateway
from gateway.mailbox import Mailbox
from gateway.models import utcnow
from gateway.parsed import ParsedMail
from handlers.order_steps import record_order_sender, take_order
from invoicing.issue import today_in
from ordering.models import OrderRecord
from orders.model import OrderReading
from orders.reading import read_order

log = logging.getLogger(__name__)


def read_order_mail(gateway: Gateway, parsed: ParsedMail) -> tuple[str, OrderReading]:
    """The order a mail holds: in its new text (quotes cut), else in its whole text; with its attachments."""

    today = today_in(gateway.config)
    attachments = list(parsed.attachments)
    texts = [text for text in (parsed.reply_text, parsed.text) if text.strip()] or [""]
    reading = None
    for text in dict.fromkeys(texts):
        reading = read_order(text, attachments, today, company_is_franchise=gateway.config.company.vat_franchise)
        if reading.found:
            return text, reading
    return texts[0], reading


class OrdersMailbox(Mailbox):
    @classmethod
    def prepare(cls, gateway: Gateway, parsed: ParsedMail) -> tuple[str, OrderReading] | None:
        # Reading attachments (CSV, JSON) is pure work: done before the mail's row lock.
        try:
            return read_order_mail(gateway, parsed)
        except Exception:  # noqa: BLE001 - read again in `process`, where a failure ends the mail "failed"
            log.exception("reading the order before the lock failed")
            return None

    def process(self) -> None:
        text, reading = self.prepared or read_order_mail(self.gateway, self.parsed)
        if not reading.found:
            self._no_order()
            return
        parsed = self.parsed
        if earlier := self._same_order_received(parsed.message_id):
            # The same message reached us twice (Cc and Bcc copies, SMTP and IMAP): one invoice only.
            self.outcome, self.reason = "ignored", f"order already received as order {earlier}"
            return
        record = OrderRecord(
            mail_id=self.mail.id, message_id=parsed.message_id, salesperson=parsed.sender.lower(),
            written_to="\n".join([*parsed.to, *parsed.cc]), status="awaiting_data", order_text=text,
            created_at=utcnow(),
        )
        self.session.add(record)
        self.session.flush()
        record_order_sender(self, record)
        take_order(self, record, reading)

    def _same_order_received(self, message_id: str) -> int | None:
        if not message_id:
            return None
        query = select(OrderRecord.id).where(OrderRecord.message_id == message_id).limit(1)
        return self.session.scalar(query)

    def _no_order(self) -> None:
        """A copy that holds no order is recorded and left alone: people copy the gateway on other
        mail too (a thread with a client), and the client must never hear from it."""
        self.outcome = "ignored"
        self.reason = "copied to the gateway, but holds no order"
