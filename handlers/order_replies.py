"""Answers about an order: the salesperson's missing lines, and the manager's OK or NON above the threshold."""

from gateway.approvals import APPROVED, REJECTED, record_reply_decision
from gateway.commands import parse_commands
from gateway.mailbox import Mailbox
from gateway.models import Mail, utcnow
from gateway.parsing import parse_mail
from handlers.order_steps import issue_and_send, take_order
from invoicing.issue import today_in
from ordering.checks import ReadyOrder
from ordering.models import OrderRecord
from orders.reading import complete_order


class OrderRepliesMailbox(Mailbox):
    # The manager answers OK or NON; the salesperson answers "what is missing" with lines of the
    # order itself ("Client : …"), which are no commands: that answer reaches us as free text.
    accepts = {"approve", "reject"}
    free_text_purposes = {"completion"}

    def process(self) -> None:
        record = self.session.get(OrderRecord, self.token.object_id, with_for_update=True)
        if self.token.purpose == "completion":
            self._complete(record)
        else:
            self._decide(record)

    def _complete(self, record: OrderRecord) -> None:
        if record.status != "awaiting_data":
            self._closed(record)
            return
        answer = self.parsed.reply_text.strip()
        cancel = parse_commands(answer, allowed={"reject"})
        if cancel.names == {"reject"} and not cancel.unread:
            # The salesperson withdraws the order; the note to them says it is cancelled.
            self._cancel(record, cancel.first("reject").args.get("reason", ""), by=self.parsed.sender)
            return
        record.answers = f"{record.answers}\n{answer}".strip()

        config = self.gateway.config
        reading = complete_order(record.order_text, record.answers, list(self.parsed.attachments), today_in(config),
                                 original_attachments=self._original_attachments(record),
                                 company_is_franchise=config.company.vat_franchise)
        take_order(self, record, reading)

    def _decide(self, record: OrderRecord) -> None:
        if record.status != "awaiting_manager":
            self._closed(record)
            return
        ready = ReadyOrder.from_json(record.request)
        verdict = APPROVED if self.commands.approved else REJECTED
        state = record_reply_decision(self, "order", record.id, ready.total_incl_tax, verdict)
        if state.state == "rejected":
            self._cancel(record, self.commands.first("reject").args.get("reason", ""), by=self.parsed.sender)
            self.reply("order_decided", order_id=record.id, verdict="cancelled", number="")
        elif state.state == "approved":
            issue_and_send(self, record, ready)
            self.reply("order_decided", order_id=record.id, verdict=record.status, number=record.invoice_number)

    def _cancel(self, record: OrderRecord, reason: str, by: str) -> None:
        record.status, record.decided_at, record.note = "cancelled", utcnow(), reason
        row = self.send_to(record.salesperson, "order_cancelled", order_id=record.id, reason=reason, by=by)
        if record.message_id:
            row.in_reply_to, row.references = record.message_id, record.message_id
        self.reason = f"order {record.id} cancelled by {by}"

    def _closed(self, record: OrderRecord) -> None:
        self.reply("order_closed", order_id=record.id, status=record.status, number=record.invoice_number)
        self.reason = f"answer about order {record.id}, already {record.status}"

    def _original_attachments(self, record: OrderRecord) -> list:
        # The order's attachments (CSV, JSON) are read again from the stored original mail.
        mail = self.session.get(Mail, record.mail_id)
        parsed = parse_mail(mail.raw, mail.envelope_from, list(mail.envelope_to), self.gateway.config.parsing)
        return list(parsed.attachments)
