"""Mail that is recorded and never answered: bounces, auto-replies, lists, unknown senders."""

from gateway.mailbox import Mailbox


class IgnoredMailbox(Mailbox):
    outcome = "ignored"

    def process(self) -> None:
        # Answering any of these would risk a mail loop or backscatter to a forged sender;
        # the reason kept on the row is all an operator needs.
        return None
