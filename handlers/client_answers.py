"""A client (not staff) answering a mail we sent: the reminders pause, the salesperson reads it, never the client a robot.

The answer is classified (receivables/reply_classes.py): a payment announced or anything unclear
pauses the invoice `reminders.pause_days` business days; a promise pauses it until the promised
day (reminders resume the day after); a dispute stops the reminders and alerts the manager.
A client's mail never marks an invoice paid: only PAYÉ or a bank statement does.
"""

from datetime import timedelta

from gateway.mailbox import Mailbox
from invoicing.issue import today_in
from receivables.business_days import add_business_days
from receivables.escalation import escalate_clients
from receivables.ledger import add_event, pause, receivables_answered
from receivables.models import OWED_STATES, Receivable
from receivables.reply_classes import classify_reply
from receivables.sending import templates_for

LABELS_FR = {"payment_announced": "paiement annoncé", "promise": "promesse de paiement", "dispute": "contestation",
             "other": "autre"}


class ClientAnswersMailbox(Mailbox):
    def process(self) -> None:
        found = receivables_answered(self.session, self.parsed.answered_ids)
        if not found:
            # An answer to another of our mails (a credit note, a thank-you for a paid invoice): kept, not acted on.
            self.reason = f"{self.reason}; no open invoice concerned: recorded only"
            return
        config = self.gateway.config
        today = today_in(config)
        text = self.parsed.reply_text.strip() or self.parsed.text.strip()
        verdict = classify_reply(f"{self.parsed.subject}\n{text}", today)
        paused_until = ""
        owed = [receivable for receivable in found if receivable.state in OWED_STATES]
        if verdict.label == "dispute":
            for receivable in owed:
                receivable.state, receivable.paused_until = "disputed", None
                add_event(self.session, receivable, today, "dispute", f"Contestation du client : {verdict.evidence}", self.mail.id)
            escalate_clients(self.session, config, templates_for(config.mail.language), sorted({r.client_key for r in owed}),
                             "dispute", today, dispute_text=text[:4000], mail_id=self.mail.id)
        else:
            until = add_business_days(today, config.reminders.pause_days, config.reminders.holidays_subdivision)
            if verdict.label == "promise" and verdict.promised_on and verdict.promised_on >= today:
                until = verdict.promised_on + timedelta(days=1)
            held = []
            for receivable in owed:
                if receivable.state in {"open", "paused"}:
                    # A longer pause already set (by the manager) is kept.
                    longer = receivable.paused_until if receivable.state == "paused" and receivable.paused_until else until
                    pause(self.session, receivable, max(until, longer), today,
                          f"Réponse du client ({LABELS_FR[verdict.label]})", self.mail.id)
                    held.append(receivable.paused_until)
                else:
                    add_event(self.session, receivable, today, "client_reply",
                              f"Réponse du client ({LABELS_FR[verdict.label]})", self.mail.id)
            paused_until = f"{max(held):%d/%m/%Y}" if held else ""
        self._forward(found, verdict, paused_until)
        self.reason = (f"client answer about {', '.join(r.number for r in found)}: {verdict.label}"
                       f"{' until ' + paused_until if paused_until else ''}")

    def _forward(self, found: list[Receivable], verdict, paused_until: str) -> None:
        config = self.gateway.config
        salesperson = next((r.salesperson for r in found if r.salesperson), "") or config.mail.manager
        if not salesperson:
            return
        self.send_to(salesperson, "client_reply_forward", client_name=found[0].client_name,
                     client_email=self.parsed.sender, numbers=[r.number for r in found], label=verdict.label,
                     promised_on=f"{verdict.promised_on:%d/%m/%Y}" if verdict.promised_on else "",
                     paused_until=paused_until, evidence=verdict.evidence, reply_subject=self.parsed.subject,
                     reply_text=(self.parsed.reply_text.strip() or self.parsed.text.strip())[:20000])
