"""Outgoing mail as a row: one builder for handlers answering mail and for the tick starting it."""

from email.utils import make_msgid

from gateway.compose import format_sender
from gateway.config import Config
from gateway.models import Outbox
from gateway.templating import EmailTemplates


def outbox_row(config: Config, templates: EmailTemplates, template: str, recipients: list[str], values: dict,
               kind: str = "generated", address: str = "", cc: list[str] = (), in_reply_to: str = "",
               references: str = "", mail_id: int | None = None) -> Outbox:
    """A pending outbox row rendered from `template`; the caller adds it to its transaction.

    `address` is the gateway address the mail comes from (a token address, or the one a mail was
    written to); empty means `outbound.from_address`, else the gateway's first address.
    """
    rendered = templates.render(template, **values)
    our_address = address or config.outbound.from_address or config.gateway_addresses[0]
    return Outbox(
        mail_id=mail_id,
        kind=kind,
        template=template,
        message_id=make_msgid(idstring="gw", domain=our_address.partition("@")[2]),
        sender=format_sender(config.outbound.from_name, our_address),
        recipients=list(recipients),
        cc=list(cc),
        subject=rendered.subject,
        in_reply_to=in_reply_to,
        references=references,
        body_text=rendered.text,
        body_html=rendered.html,
        status="pending",
        attempts=0,
        last_error="",
        delivered_as="",
    )
