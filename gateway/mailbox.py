"""The base of every handler: one `process()`, replies written as outbox rows, status kept here."""

from sqlalchemy.orm import Session

from gateway.app import Gateway
from gateway.models import Mail, Outbox
from gateway.outgoing import outbox_row
from gateway.outbox_files import OutgoingFile, attach
from gateway.parsed import ParsedMail
from gateway.tokens import token_address


class Mailbox:
    """A conversation handler. Subclasses implement `process`; they never send or set status."""

    # The terminal state the mail ends in when `process` returns.
    outcome = "processed"
    # The commands a reply to this conversation's mail may carry (see gateway/commands.py).
    accepts: set[str] = {"help"}
    # Set by the replies mailbox on a reply through a token address: the token it came through
    # and the commands read from it (a gateway.commands.Parsed).
    token = None
    commands = None
    # What the route's `prepare` computed before the row lock (slow, pure work such as reading
    # attachments); None when the mailbox prepares nothing.
    prepared = None

    def __init__(self, gateway: Gateway, session: Session, mail: Mail, parsed: ParsedMail, route: str, reason: str):
        self.gateway = gateway
        self.session = session
        self.mail = mail
        self.parsed = parsed
        self.route = route
        self.reason = reason
        self.outbox: list[Outbox] = []

    @classmethod
    def prepare(cls, gateway: Gateway, parsed: ParsedMail) -> object | None:
        """Slow work that needs no database, run before the mail's row lock is taken (the lock is
        SQLite's one write lock). Its result reaches `process` as `self.prepared`."""
        return None

    def process(self) -> None:
        raise NotImplementedError

    def reply(self, template: str, attachments: list[OutgoingFile] = (), token: str | None = None,
              to: str | None = None, **values) -> Outbox:
        """Answer the sender in the same thread; the row is sent after this transaction commits.
        With a token, the answer comes from the token address (a summary awaiting a decision), and
        goes `to` the person the token is bound to rather than to a Reply-To."""
        parsed = self.parsed
        recipient = to or (parsed.reply_to[0] if parsed.reply_to else parsed.sender)
        return self._write(
            kind="reply",
            template=template,
            recipients=[recipient],
            in_reply_to=parsed.message_id,
            references=self._references(),
            values={"mail": parsed, **values},
            attachments=attachments,
            address=self._token_address(token),
        )

    def send_to(self, recipient: str, template: str, token: str | None = None, cc: list[str] = (),
                in_thread: bool = False, attachments: list[OutgoingFile] = (), **values) -> Outbox:
        """Start a thread with someone else (the manager, a client). With a token, the mail comes
        from the token address, so that the answer comes back bound to its object and person.
        `in_thread` places it in the thread of the mail being handled (an invoice answering an order)."""
        in_reply_to, references = (self.parsed.message_id, self._references()) if in_thread else ("", "")
        return self._write(
            kind="generated", template=template, recipients=[recipient], in_reply_to=in_reply_to,
            references=references, values={"mail": self.parsed, **values}, address=self._token_address(token), cc=list(cc),
            attachments=attachments,
        )

    def _token_address(self, token: str | None) -> str | None:
        if not token:
            return None
        local_part, _, domain = self._our_address().partition("@")
        return token_address(local_part, domain, token)

    def _references(self) -> str:
        parsed = self.parsed
        references = [*parsed.references, parsed.message_id] if parsed.message_id else parsed.references
        return " ".join(references[-20:])

    def _write(self, kind: str, template: str, recipients: list[str], in_reply_to: str, references: str,
               values: dict, address: str | None = None, cc: list[str] = (),
               attachments: list[OutgoingFile] = ()) -> Outbox:
        config = self.gateway.config
        # A token address wins; otherwise the configured From, else the address the mail was written to.
        row = outbox_row(config, self.gateway.templates, template, recipients, values, kind=kind,
                         address=address or config.outbound.from_address or self._our_address(), cc=list(cc),
                         in_reply_to=in_reply_to, references=references, mail_id=self.mail.id)
        self.session.add(row)
        if attachments:
            self.session.flush()  # The files need the row's id.
            attach(self.session, row.id, list(attachments))
        self.outbox.append(row)
        return row

    def _our_address(self) -> str:
        """Answer from the address the mail was sent to, so each domain keeps its own identity."""
        config = self.gateway.config
        for recipient in self.parsed.envelope_to:
            domain = recipient.rpartition("@")[2].lower()
            if domain in {d.lower() for d in config.mail.domains}:
                return f"{config.mail.address}@{domain}"
        return config.gateway_addresses[0]
