"""Commands written to the gateway itself: STATUT (where things stand) and AIDE (what it does)."""

from gateway.addresses import is_manager
from gateway.commands import parse_commands
from gateway.mailbox import Mailbox
from gateway.parsed import ParsedMail
from gateway.status_sections import REPORT_DAYS, Requester, status_report

# The commands a mail to the gateway's own address may carry; the others answer one of our mails.
CORE_COMMANDS = {"status", "help"}


def command_of(mail: ParsedMail) -> str | None:
    """The core command a mail carries: on its first written line, or in its subject when it has
    no text at all (pure; routing and the mailbox both read it here)."""
    return first_command(mail.reply_text) if mail.reply_text.strip() else first_command(mail.subject)


def first_command(text: str) -> str | None:
    """The core command on the first written line of a text, or None."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    parsed = parse_commands(first_line, allowed=CORE_COMMANDS)
    names = parsed.names & CORE_COMMANDS
    return sorted(names)[0] if len(names) == 1 else None


class CommandsMailbox(Mailbox):
    def process(self) -> None:
        if command_of(self.parsed) == "status":
            self._status()
        else:
            self.reply("help_reply", route="command", gateway_address=self._our_address(), company=self.gateway.config.company)

    def _status(self) -> None:
        config = self.gateway.config
        requester = Requester(self.parsed.sender, is_manager(self.parsed.sender, config))
        sections = status_report(self.session, requester)
        self.reply("status_reply", requester=requester, sections=sections, days=REPORT_DAYS)
