"""Commands written to the gateway itself: STATUT, AIDE, AVOIR, and the reminders' PAYÉ, PAUSE, RELANCE…"""

from functools import partial

from gateway.addresses import is_manager
from gateway.command_text import fold
from gateway.command_words import KEYWORDS
from gateway.commands import parse_commands
from gateway.mailbox import Mailbox
from gateway.parsed import ParsedMail
from gateway.status_sections import REPORT_DAYS, SECTIONS, Requester, status_report
from handlers.credit_notes import credit_from_mail
from handlers.reminder_commands import REMINDER_COMMANDS, steer_from_mail
from invoicing.issue import today_in
from receivables.status import receivables_section

# The commands a mail to the gateway's own address may carry; the others answer one of our mails.
CORE_COMMANDS = {"status", "help", "credit"} | REMINDER_COMMANDS


def report_sections(config) -> list:
    """The STATUT report: what the gateway received, then the client invoices still owed."""
    return [*SECTIONS, partial(receivables_section, today=today_in(config))]


def command_of(mail: ParsedMail) -> str | None:
    """The core command a mail carries: on its first written line, or in its subject when it has
    no text at all (pure; routing and the mailbox both read it here)."""
    found = first_command(mail.reply_text) if mail.reply_text.strip() else first_command(mail.subject)
    # A forwarded supplier credit note ("Avoir n° 12 de …", with its PDF) is a bill, not a command.
    if found == "credit" and (mail.attachments or mail.forwarded):
        return None
    return found


def first_command(text: str) -> str | None:
    """The core command on the first written line of a text, or None."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    parsed = parse_commands(first_line, allowed=CORE_COMMANDS)
    names = parsed.names & CORE_COMMANDS
    if len(names) == 1:
        return sorted(names)[0]
    # AVOIR with wrong arguments is still a credit note asked for: the sender is told what is wrong.
    return "credit" if opens_with_credit(first_line) else None


def opens_with_credit(line: str) -> bool:
    first_word = fold(line).split()[0] if line.strip() else ""
    return KEYWORDS.get(first_word) == "credit"


class CommandsMailbox(Mailbox):
    def process(self) -> None:
        command = command_of(self.parsed)
        if command == "status":
            self._status()
        elif command == "credit":
            credit_from_mail(self)
        elif command in REMINDER_COMMANDS:
            steer_from_mail(self)
        else:
            self.reply("help_reply", route="command", gateway_address=self._our_address(), company=self.gateway.config.company)

    def _status(self) -> None:
        config = self.gateway.config
        requester = Requester(self.parsed.sender, is_manager(self.parsed.sender, config))
        sections = status_report(self.session, requester, providers=report_sections(config))
        self.reply("status_reply", requester=requester, sections=sections, days=REPORT_DAYS)
