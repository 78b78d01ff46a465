"""Logging set-up shared by every gateway process."""

import logging
import os


def setup_logging() -> None:
    level = os.environ.get("GATEWAY_LOG_LEVEL", "INFO").upper()
    logging.basicConfig(level=level, format="%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    # dramatiq logs every retry with a traceback; our own log lines already say what failed.
    logging.getLogger("dramatiq").setLevel(logging.WARNING)
    # aiosmtpd logs every SMTP command at INFO; connection-level detail is only for debugging.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
