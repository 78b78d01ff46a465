"""Answers to our mail through a token address: the token says which object the answer is about."""

import logging

from gateway.addresses import OurAddresses
from gateway.commands import Parsed, help_for, parse_commands, unreadable_answer
from gateway.mailbox import Mailbox
from gateway.tokens import TokenRefusal, resolve_token, token_in
from handlers.accountant_replies import AccountantRepliesMailbox
from handlers.bill_replies import BillRepliesMailbox
from handlers.order_replies import OrderRepliesMailbox

log = logging.getLogger(__name__)

# The conversation that takes replies about each kind of object; its class attribute `accepts`
# names the commands it takes. Reminders need none: the manager's commands are written to the
# gateway itself (handlers/reminder_commands.py), clients' answers have a route of their own.
REPLY_CONVERSATIONS: dict[str, type[Mailbox]] = {
    "bill": BillRepliesMailbox,  # OK, NON, corrections, DOUBLON / NOUVEAU on a supplier bill
    "order": OrderRepliesMailbox,  # missing lines of an order, the manager's OK above the threshold
    "period": AccountantRepliesMailbox,  # the accountant's corrections to a month, OK to close it
}


class RepliesMailbox(Mailbox):
    def process(self) -> None:
        ours = OurAddresses.from_config(self.gateway.config)
        # The token is read from the To and Cc headers, which DKIM signs, not from the envelope:
        # a genuinely signed "OK" resent to another token address must not act on that object.
        token = token_in([*self.parsed.to, *self.parsed.cc], ours)
        result = resolve_token(self.session, token or "", self.parsed.sender, tz=self.gateway.config.timezone)
        if isinstance(result, TokenRefusal):
            self._refuse(result)
            return
        conversation = REPLY_CONVERSATIONS.get(result.object_kind)
        if conversation is None:
            raise LookupError(f"no conversation takes replies about {result.object_kind!r}")
        commands = parse_commands(self.parsed.reply_text, allowed=conversation.accepts)
        # Some answers are lines of the object itself ("Client : …" completing an order), not
        # commands: a conversation names the token purposes whose answers it reads as free text.
        free_text = result.purpose in getattr(conversation, "free_text_purposes", ())
        if commands.names == {"help"} and not free_text:
            self.reason = "help asked in a reply"
            self.reply("reply_unreadable", explanation=help_for(conversation.accepts, self.gateway.config.mail.language))
            return
        if (not commands.commands or commands.unread) and not free_text:
            self._cannot_read(commands, conversation.accepts)
            return
        handler = conversation(self.gateway, self.session, self.mail, self.parsed, self.route, self.reason)
        handler.token, handler.commands = result, commands
        handler.process()
        self.outbox.extend(handler.outbox)
        self.outcome, self.reason = handler.outcome, handler.reason

    def _cannot_read(self, commands: Parsed, allowed: set[str]) -> None:
        """Nothing is applied from a reply read only in part: the sender gets what was wrong and the commands."""
        language = self.gateway.config.mail.language
        self.reason = f"reply not understood: {commands.ambiguity.english if commands.ambiguity else 'no applicable command'}"
        self.reply("reply_unreadable", explanation=unreadable_answer(commands, allowed, language))

    def _refuse(self, refusal: TokenRefusal) -> None:
        log.warning("mail %s: reply refused: %s", self.mail.id, refusal.english)
        self.reason = f"token refused ({refusal.code}): {refusal.english}"
        self.reply("reply_refused", refusal=refusal, gateway_address=self._our_address())
