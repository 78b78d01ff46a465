"""Trusted staff mail that no conversation takes yet gets a short help reply."""

from gateway.mailbox import Mailbox


class HelpMailbox(Mailbox):
    def process(self) -> None:
        # The template says, in the mail's language, what the route recognised.
        self.reply(
            "help_reply",
            route=self.route,
            gateway_address=self._our_address(),
            company=self.gateway.config.company,
        )
