"""A client (not staff) answering a mail we sent: recorded on the thread, never answered."""

from gateway.mailbox import Mailbox


class ClientAnswersMailbox(Mailbox):
    def process(self) -> None:
        # The reminder ladder (#9) pauses on such answers; until then the mail is kept, linked
        # by its References to our mail, and `status` shows it. The client gets no automatic reply.
        return None
