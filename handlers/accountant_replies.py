"""The accountant's answer to a monthly mail: corrections as correcting entries, OK closes the month."""

import re

from sqlalchemy import func, select

from accounting.corrections import CorrectionRefused, correcting_entry, read_corrections
from accounting.journal import booked_entries_where, record_entry
from accounting.models import AccountingPeriod, JournalEntry
from accounting.month_documents import PURCHASE_SOURCES
from accounting.monthly_mail import build_pack, mark_mailed, month_values
from accounting.periods import PeriodNotEnded, close_period, month_of, next_month, period_for
from bills.models import ReceivedBill, Supplier
from gateway.mailbox import Mailbox
from gateway.tokens import record_decision

# Our entry numbers as the files print them: the journal code, then the entry's id on six digits.
ENTRY_NUMBER = re.compile(r"([A-Z0-9]{1,3}?)(\d{6,})")


class AccountantRepliesMailbox(Mailbox):
    # The lines are read by accounting.corrections, not by the staff's command grammar.
    accepts = {"approve", "help"}
    free_text_purposes = ("corrections",)

    def process(self) -> None:
        period = self._locked_period()
        reply = read_corrections(self.parsed.reply_text)
        applied, refused = [], []
        if reply.unread or not (reply.corrections or reply.close):
            # Nothing is applied from a reply read only in part, as everywhere else.
            self.reason = f"accountant's reply not fully read: {len(reply.unread)} line(s)"
        else:
            for correction in reply.corrections:
                outcome = self._apply(correction, period)
                (refused if isinstance(outcome, tuple) else applied).append(outcome)
            self.reason = f"accountant's reply: {len(applied)} correction(s), {len(refused)} refused"
        closed = not_ended = False
        if reply.close and not reply.unread and not refused:
            closed, not_ended = self._close(period)
        self._answer(period, reply, applied, refused, closed, not_ended)

    def _locked_period(self) -> AccountingPeriod:
        query = select(AccountingPeriod).where(AccountingPeriod.id == self.token.object_id)
        if self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        return self.session.execute(query).scalar_one()

    def _close(self, period: AccountingPeriod) -> tuple[bool, bool]:
        """(closed now, not over yet): OK closes the month once it has ended, and only once."""
        try:
            closed = close_period(self.session, period, self.parsed.sender, self.mail.id,
                                  tz=self.gateway.config.timezone)
        except PeriodNotEnded:
            self.reason += "; month not over yet"
            return False, True
        if closed:
            self._audit("period", period.id, "closed")
        self.reason += "; month closed" if closed else "; month already closed"
        return closed, False

    def _answer(self, period: AccountingPeriod, reply, applied: list, refused: list, closed: bool,
                not_ended: bool) -> None:
        """The answer, with the corrected file of each month a correcting entry went to (the month
        answered, or the first open one when the corrected document's month is closed)."""
        config = self.gateway.config
        months = sorted({month_of(item["entry_date"]) for item in applied})
        packs = {month: build_pack(self.session, config, month, with_documents=False)
                 for month in {*months, period.month}}
        corrected_packs = [packs[month] for month in months]
        for corrected in corrected_packs:
            # What a file carries counts as sent: the next monthly mail does not carry it again.
            mark_mailed(self.session, corrected.booked, period_for(self.session, corrected.month).id)
        answered = packs[period.month]
        # The summary shown is the corrected month's when there is one, else the month answered's.
        shown = corrected_packs[0] if len(corrected_packs) == 1 else answered
        shown_values = month_values(config, shown, period)
        values = month_values(config, answered, period) | {
            "files": [file for corrected in corrected_packs for file in corrected.files], "applied": applied,
            "refused": refused, "unread": reply.unread, "close_asked": reply.close, "closed_now": closed,
            "not_ended": not_ended, "closable_from": next_month(period.month),
            "summary": shown.summary, "entry_count": len(shown.booked),
            "summary_month_name": shown_values["month_name"], "summary_of_month": shown_values["of_month"],
        }
        self.reply("accountant_corrections", attachments=values["files"], **values)

    def _apply(self, correction, period: AccountingPeriod):
        """The correcting entry booked (a dict for the answer), or (line, reason) when it is refused."""
        found = self._original(correction.piece, period)
        if isinstance(found, str):
            return correction.line, found
        original = found
        earlier = booked_entries_where(self.session, [JournalEntry.corrects_entry_id == original.number],
                                       self.gateway.config.timezone)
        try:
            entry = correcting_entry(original, earlier, correction, self.gateway.config.accounting,
                                     original.entry.entry_date)
        except CorrectionRefused as refusal:
            return correction.line, refusal.french
        entry_id = record_entry(self.session, entry, corrects_entry_id=original.number)
        self._audit("journal_entry", original.number, "corrected")
        if correction.account and original.entry.source_kind in PURCHASE_SOURCES:
            self._remember_account(original.entry.source_id, correction.account)
        booked = self.session.get(JournalEntry, entry_id)
        return {"line": correction.line, "piece": original.entry.piece_ref, "label": booked.label,
                "number": f"{booked.journal}{booked.id:06d}", "entry_date": booked.entry_date}

    def _original(self, piece: str, period: AccountingPeriod):
        """The entry a correction names (by our entry number or the document's number), or why not."""
        settings = self.gateway.config.accounting
        timezone = self.gateway.config.timezone
        journals = (settings.purchase_journal, settings.sales_journal, settings.bank_journal)
        base = [JournalEntry.corrects_entry_id.is_(None)]
        match = ENTRY_NUMBER.fullmatch(piece.upper())
        found = []
        if match and match[1] in journals:
            found = booked_entries_where(self.session, [*base, JournalEntry.id == int(match[2]),
                                                        JournalEntry.journal == match[1]], timezone)
        if not found:
            # A payment carries its invoice's number: the document's own entry is the one meant.
            found = booked_entries_where(self.session, [*base, func.upper(JournalEntry.piece_ref) == piece.upper(),
                                                        JournalEntry.journal != settings.bank_journal], timezone)
        if not found:
            return f"aucune écriture pour la pièce « {piece} »"
        if len(found) > 1:
            in_month = [item for item in found if item.entry.entry_date.replace(day=1) == period.month]
            if len(in_month) != 1:
                numbers = ", ".join(f"{item.entry.journal}{item.number:06d} ({item.entry.label})" for item in found)
                return f"plusieurs écritures pour « {piece} » : {numbers} ; écrivez le numéro d'écriture à la place"
            found = in_month
        return found[0]

    def _remember_account(self, bill_id: int | None, account: str) -> None:
        """The supplier's next bill is proposed on the account the accountant chose."""
        bill = self.session.get(ReceivedBill, bill_id) if bill_id is not None else None
        supplier = self.session.execute(select(Supplier).where(Supplier.key == bill.supplier_key)).scalar() if bill else None
        if supplier is not None:
            supplier.last_account = account

    def _audit(self, object_kind: str, object_id: int, verdict: str) -> None:
        mail = self.mail
        record_decision(self.session, object_kind, object_id, verdict, actor=self.parsed.sender, role="accountant",
                        auth_verdict=mail.auth_verdict, auth_domain=mail.auth_domain, message_id=mail.message_id,
                        mail_id=mail.id)
