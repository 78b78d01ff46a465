"""SMTP ingress: accepts mail for our domains and answers 250 only once it is committed."""

import asyncio
import logging
import socket
from collections.abc import Callable

from aiosmtpd.smtp import SMTP, Envelope, Session

from gateway.config import Config
from gateway.ingress import Incoming
from gateway.ingress_writer import IngressWriter, Storage
from gateway.trust import verdict_for_peer

log = logging.getLogger(__name__)


def accepts_recipient(address: str, config: Config) -> str | None:
    """Return None when we take mail for this address, or the SMTP refusal."""
    local_part, at, domain = address.rpartition("@")
    if not at or domain.lower() not in {d.lower() for d in config.mail.domains}:
        return "550 5.7.1 Relaying denied: we only accept mail for our own domains"
    local_part = local_part.lower()
    if local_part in {config.mail.address.lower(), "postmaster"}:
        return None
    if local_part.startswith(config.mail.address.lower() + "+"):
        return None
    return "550 5.1.1 No such mailbox here"


class IngressHandler:
    """aiosmtpd hooks: check recipients, then store the message through the ingress writer."""

    def __init__(self, config: Config, storage: Storage, on_stored: Callable[[int], None]):
        self.config = config
        # The commit happens behind the writer's thread, so that no disk sync ever blocks the loop.
        self.writer = IngressWriter(storage, on_stored)

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options):
        if len(envelope.rcpt_tos) >= self.config.smtp.max_recipients:
            return "452 4.5.3 Too many recipients"
        refusal = accepts_recipient(address, self.config)
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope):
        peer = _peer_text(session.peer)
        host = session.peer[0] if isinstance(session.peer, tuple) else str(session.peer or "")
        message = Incoming(
            raw=envelope.original_content or envelope.content,
            recipients=list(envelope.rcpt_tos),
            source="smtp",
            envelope_from=envelope.mail_from or "",
            peer=peer,
            trust=verdict_for_peer(host, self.config.auth.trusted_networks),
            helo=session.host_name or "",
        )
        try:
            received = await asyncio.wrap_future(self.writer.submit(message))
        except Exception:
            log.warning("storing a message from %s failed; answered 451", peer)
            return "451 4.3.0 Storage unavailable, please try again later"
        if received.created:
            return f"250 2.0.0 Stored as mail {received.mail_id}"
        return f"250 2.0.0 Already stored as mail {received.mail_id}"

    def close(self) -> None:
        self.writer.close()


class LimitedSMTP(SMTP):
    """aiosmtpd's SMTP server that keeps count of its open connections."""

    open_connections = 0

    def connection_made(self, transport):
        if self.transport is None:
            LimitedSMTP.open_connections += 1
        super().connection_made(transport)

    def connection_lost(self, error):
        LimitedSMTP.open_connections -= 1
        super().connection_lost(error)


class BusyProtocol(asyncio.Protocol):
    """Answers a connection over the limit with 421 and closes it."""

    def connection_made(self, transport):
        transport.write(b"421 4.7.0 Too many connections, try again later\r\n")
        transport.close()


def protocol_factory(config: Config, handler: IngressHandler) -> Callable[[], asyncio.Protocol]:
    # aiosmtpd would look the machine's name up in the DNS for every connection, in the loop.
    hostname = config.smtp.hostname or socket.getfqdn()

    def make_protocol() -> asyncio.Protocol:
        if LimitedSMTP.open_connections >= config.smtp.max_connections:
            return BusyProtocol()
        return LimitedSMTP(
            handler,
            data_size_limit=config.smtp.max_message_size,
            hostname=hostname,
            ident="invoice-gateway",
            timeout=config.smtp.timeout,
            enable_SMTPUTF8=True,
        )

    return make_protocol


async def start_smtp_server(config: Config, handler: IngressHandler) -> asyncio.AbstractServer:
    host, port = config.listen_host_port
    loop = asyncio.get_running_loop()
    return await loop.create_server(protocol_factory(config, handler), host=host, port=port, reuse_address=True)


def _peer_text(peer) -> str:
    if isinstance(peer, tuple) and peer:
        return f"{peer[0]}:{peer[1]}" if ":" not in str(peer[0]) else f"[{peer[0]}]:{peer[1]}"
    return str(peer or "")
