"""Answers to a bill summary (staff) or to an approval request (manager): OK, NON, corrections, DOUBLON, NOUVEAU."""

from decimal import Decimal

from bills.booking import booking_problem, is_reverse_charge
from bills.models import ReceivedBill
from bills.review import review_bill
from bills.summary_view import money
from bills.values import amount, apply_correction
from gateway.approvals import APPROVED, REJECTED, TokenAlreadySpent, record_reply_decision
from gateway.mailbox import Mailbox
from gateway.models import utcnow
from gateway.tokens import TokenRefusal, record_decision
from handlers.bill_flow import ask_about, close_as_duplicate, tell, validate
from handlers.bill_refusals import refusal_for

class BillRepliesMailbox(Mailbox):
    accepts = {"approve", "reject", "correct", "duplicate", "new", "help"}

    def process(self) -> None:
        row = self.session.get(ReceivedBill, self.token.object_id, with_for_update=True)
        refusal = refusal_for(row, self.token, self.commands, self.gateway.config)
        if refusal is not None:
            self._refuse(refusal)
            return
        names = self.commands.names
        corrected = self._apply_corrections(row)
        if "duplicate" in names:
            self._close_duplicate(row)
        elif "reject" in names:
            self._decide(row, REJECTED)
        elif "new" in names:
            self._lift_duplicate_hold(row, approve="approve" in names)
        elif "approve" in names:
            self._approve(row)
        elif corrected:
            self.reason = f"bill {row.id}: {corrected} correction(s), new summary sent"
            ask_about(self, row, review_bill(self.session, row, self.gateway.config,
                                             check_duplicates=row.duplicate_of_bill_id is None))

    def _apply_corrections(self, row: ReceivedBill) -> int:
        at = utcnow().isoformat()
        corrections = [command for command in self.commands.commands if command.name == "correct"]
        for command in corrections:
            args = command.args
            apply_correction(row, args["field"], args["value"], args.get("rate"), self.parsed.sender, at)
            if args["field"] == "account":
                row.account_reason = f"corrigé par {self.parsed.sender}"
        if corrections:
            row.reverse_charge = is_reverse_charge(row.supplier_vat_number, amount(row.total_tax),
                                                   row.extraction.get("warnings", []))
        if corrections and row.duplicate_of_bill_id is None:
            # A corrected number or supplier may reveal a bill already received.
            earlier = review_bill(self.session, row, self.gateway.config).earlier
            if earlier is not None:
                row.duplicate_of_bill_id, row.duplicate_match = earlier.bill.id, earlier.ground
                row.status = "awaiting_duplicate"
        return len(corrections)

    def _approve(self, row: ReceivedBill) -> None:
        if row.status == "awaiting_duplicate":
            self.reason = f"bill {row.id}: OK while a duplicate question is open"
            ask_about(self, row, review_bill(self.session, row, self.gateway.config),
                      notice="Cette facture ressemble à une facture déjà reçue : répondez DOUBLON, ou NOUVEAU "
                             "puis OK sur deux lignes. Rien n'a été validé.")
            return
        problem = booking_problem(row, self.gateway.config.accounting)
        if problem:
            self.reason = f"bill {row.id}: OK not taken, cannot be booked: {problem}"
            ask_about(self, row, review_bill(self.session, row, self.gateway.config, check_duplicates=False),
                      notice="Je ne peux pas valider cette facture telle quelle : les montants ne concordent pas "
                             "ou une valeur manque (HT, TVA, TTC, date, compte). Corrigez-la puis répondez OK.")
            return
        self._decide(row, APPROVED)

    def _decide(self, row: ReceivedBill, verdict: str) -> None:
        total = Decimal(row.total_incl_tax or 0)
        try:
            label = f"{row.number or '(sans numéro)'} de {row.supplier_name or 'fournisseur inconnu'}"
            state = record_reply_decision(self, "bill", row.id, total, verdict, label=label)
        except TokenAlreadySpent:
            self._refuse(TokenRefusal("spent", "Une décision a déjà été enregistrée pour cette facture ; votre "
                                      "réponse n'a pas été prise en compte.", f"bill {row.id}: token spent meanwhile"))
            return
        if state.state == "rejected":
            reason = self.commands.first("reject").args.get("reason", "") if verdict == REJECTED else ""
            row.status, row.decided_at, row.status_reason = "rejected", utcnow(), reason
            self._announce(row, "bill_rejected", by=self.parsed.sender, reason=reason)
        elif state.state == "approved":
            validate(self, row)
            self._announce(row, "bill_validated", by=self.parsed.sender)
        else:
            row.status = "awaiting_manager"
            self.reply("bill_sent_to_manager", bill=row, manager=self.gateway.config.mail.manager,
                       threshold=self.gateway.config.manager_threshold)
        self.reason = f"bill {row.id}: {verdict} by {self.parsed.sender}, now {row.status}"

    def _announce(self, row: ReceivedBill, template: str, **values) -> None:
        """The decider gets the answer in their thread; the reviewer is told too when someone else decided."""
        tell(self, row, template, **values)
        if row.reviewer.lower() != self.parsed.sender.lower():
            self.reply(template, bill=row, total=money(row.total_incl_tax, row.currency), **values)

    def _close_duplicate(self, row: ReceivedBill) -> None:
        earlier = self.session.get(ReceivedBill, row.duplicate_of_bill_id) if row.duplicate_of_bill_id else None
        self._record("duplicate")
        close_as_duplicate(self, row, earlier, f"DOUBLON from {self.parsed.sender}")
        self.reason = f"bill {row.id}: closed as duplicate by {self.parsed.sender}"

    def _lift_duplicate_hold(self, row: ReceivedBill, approve: bool) -> None:
        self._record("not_duplicate")
        row.status = "awaiting_staff"
        if approve:
            self._approve(row)
            return
        self.reason = f"bill {row.id}: NOUVEAU from {self.parsed.sender}, new summary sent"
        ask_about(self, row, review_bill(self.session, row, self.gateway.config, check_duplicates=False))

    def _record(self, verdict: str) -> None:
        mail = self.mail
        record_decision(self.session, "bill", self.token.object_id, verdict, actor=self.parsed.sender, role="staff",
                        auth_verdict=mail.auth_verdict, auth_domain=mail.auth_domain, message_id=mail.message_id,
                        mail_id=mail.id)

    def _refuse(self, refusal: TokenRefusal) -> None:
        self.reason = f"bill reply refused ({refusal.code}): {refusal.english}"
        self.reply("reply_refused", refusal=refusal, gateway_address=self._our_address())
