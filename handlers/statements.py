"""A bank statement mailed to the gateway: its credits matched to open invoices, the rest listed back.

Formats: CAMT.053, CFONB 120, OFX, and the CSV of docs/statements.md. A line already counted
(the same statement mailed twice, or overlapping periods) pays nothing twice.
"""

from decimal import Decimal

from sqlalchemy import select

from gateway.mailbox import Mailbox
from gateway.parsed import Attachment, ParsedMail
from payments.matching import OpenItem, match_lines
from payments.statement_model import StatementError
from payments.statements import read_statement, sniff
from receivables.models import OWED_STATES, Receivable, StatementLineSeen
from receivables.steering import record_payment
from receivables.thanks import thank_client

FORMAT_NAMES = {"camt053": "CAMT.053", "cfonb120": "CFONB 120", "ofx": "OFX", "csv": "CSV"}


def statement_files(mail: ParsedMail) -> list[Attachment]:
    """The attachments that are bank statements by their content (pure; routing reads it too)."""
    return [attachment for attachment in mail.attachments if sniff(attachment.filename, attachment.data, content_only=True)]


class StatementsMailbox(Mailbox):
    def process(self) -> None:
        matched, unmatched, problems = [], [], []
        ignored = seen = line_count = 0
        names, formats = [], set()
        for attachment in statement_files(self.parsed):
            names.append(attachment.filename)
            try:
                statement = read_statement(attachment.filename, attachment.data)
            except StatementError as error:
                problems.append(f"{attachment.filename} : {error.french}")
                continue
            formats.add(FORMAT_NAMES[statement.format])
            fresh = self._unseen(statement.lines)
            seen += len(statement.lines) - len(fresh)
            line_count += len(statement.lines)
            for match in match_lines(fresh, self._open_items()):
                outcome = self._apply(match)
                if match.outcome == "ignored":
                    ignored += 1
                elif outcome is None:
                    unmatched.append(_listed(match))
                else:
                    matched.append(outcome)
        self.reply("statement_result", filename=", ".join(names), format_name=", ".join(sorted(formats)),
                   line_count=line_count, matched=matched, unmatched=unmatched, ignored_count=ignored,
                   already_seen=seen, problems=problems)
        self.reason = (f"statement: {line_count} lines, {len(matched)} matched, {len(unmatched)} unmatched, "
                       f"{ignored} debits, {seen} already counted, {len(problems)} unreadable")

    def _unseen(self, lines) -> list:
        fingerprints = [line.fingerprint() for line in lines]
        known = set(self.session.scalars(select(StatementLineSeen.fingerprint)
                                         .where(StatementLineSeen.fingerprint.in_(fingerprints))))
        fresh, taken = [], set()
        for line, fingerprint in zip(lines, fingerprints):
            if fingerprint not in known and fingerprint not in taken:
                fresh.append(line)
                taken.add(fingerprint)
        return fresh

    def _open_items(self) -> list[OpenItem]:
        owed = self.session.scalars(select(Receivable).where(Receivable.state.in_(OWED_STATES)).order_by(Receivable.due_date))
        return [OpenItem(r.number, r.client_name, Decimal(r.outstanding), r.due_date) for r in owed]

    def _apply(self, match) -> dict | None:
        """Record the line; its payments when it matched. None for a line that paid nothing."""
        line = match.line
        self.session.add(StatementLineSeen(
            fingerprint=line.fingerprint(), mail_id=self.mail.id, booked_on=line.booked_on, amount=str(line.amount),
            label=line.label[:2000], outcome=match.outcome, numbers=" ".join(a.number for a in match.allocations)))
        if not match.allocations:
            return None
        notes = [match.reason] if match.reason else []
        for allocation in match.allocations:
            result, receivable = record_payment(self.session, allocation.number, allocation.amount, line.booked_on,
                                                "statement", self.parsed.sender, self.mail.id, reference=line.label[:500],
                                                accounting=self.gateway.config.accounting)
            if receivable is not None and result.state in {"paid", "overpaid"}:
                thank_client(self, receivable, result.amount)
            if result.note:
                notes.append(result.note)
        return {"booked_on": f"{line.booked_on:%d/%m/%Y}", "amount": line.amount, "label": line.label,
                "numbers": [a.number for a in match.allocations], "outcome": match.outcome, "note": " ".join(notes)}


def _listed(match) -> dict:
    line = match.line
    return {"booked_on": f"{line.booked_on:%d/%m/%Y}", "amount": line.amount, "label": line.label,
            "reason": match.reason}
