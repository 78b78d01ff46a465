"""Commands written to the gateway itself: STATUT (where things stand) and AIDE (what it does)."""

from gateway.addresses import is_manager
from gateway.commands import parse_commands
from gateway.mailbox import Mailbox
from gateway.status_sections import REPORT_DAYS, Requester, status_report

# The commands a mail to the gateway's own address may carry; the others answer one of our mails.
CORE_COMMANDS = {"status", "help"}


def first_command(text: str) -> str | None:
    """The core command on the first written line of a mail, or None (pure; used by routing too)."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    parsed = parse_commands(first_line, allowed=CORE_COMMANDS)
    names = parsed.names & CORE_COMMANDS
    return sorted(names)[0] if len(names) == 1 else None


class CommandsMailbox(Mailbox):
    def process(self) -> None:
        command = first_command(self.parsed.reply_text) or first_command(self.parsed.subject)
        if command == "status":
            self._status()
        else:
            self.reply("help_reply", route="command", gateway_address=self._our_address(), company=self.gateway.config.company)

    def _status(self) -> None:
        config = self.gateway.config
        requester = Requester(self.parsed.sender, is_manager(self.parsed.sender, config))
        sections = status_report(self.session, requester)
        self.reply("status_reply", requester=requester, sections=sections, days=REPORT_DAYS)
