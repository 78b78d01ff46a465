"""A bare aiosmtpd server whose handler answers 250 at once: the ceiling `serve` is compared with."""

import argparse
import asyncio
import signal
import sys
from pathlib import Path

from aiosmtpd.smtp import SMTP

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gateway.config import load_config


class NoopHandler:
    """Takes every recipient (aiosmtpd's default) and every message, and keeps nothing."""

    async def handle_DATA(self, server, session, envelope):
        return "250 2.0.0 OK"


def protocol_factory():
    # The same SMTP settings as the gateway's ingress (gateway/smtp.py), from the shipped defaults.
    smtp = load_config(environ={}).smtp
    handler = NoopHandler()

    def make_protocol() -> SMTP:
        return SMTP(
            handler,
            data_size_limit=smtp.max_message_size,
            hostname=smtp.hostname or None,
            ident="invoice-gateway",
            timeout=smtp.timeout,
            enable_SMTPUTF8=True,
        )

    return make_protocol


async def serve(port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(protocol_factory(), host="127.0.0.1", port=port, reuse_address=True)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    server.close()
    await server.wait_closed()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True, help="loopback port to listen on")
    asyncio.run(serve(parser.parse_args().port))


if __name__ == "__main__":
    main()
