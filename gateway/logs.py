"""Logging set-up shared by every gateway process: text for people, JSON lines for a collector.

Each line says which mail, outgoing message or invoice it is about: processing and delivery set
context variables (`log_context`), and every line logged meanwhile in that thread carries them.
"""

import contextlib
import contextvars
import json
import logging
import os
import sys
from collections.abc import Iterator
from datetime import datetime, timezone

from gateway.config_sections import Observability

# The object a line is about; None when it is about none. Each worker thread has its own value.
CONTEXT_FIELDS = ("mail_id", "outbox_id", "invoice")
_context = {name: contextvars.ContextVar(name, default=None) for name in CONTEXT_FIELDS}

TEXT_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s%(context)s: %(message)s"


@contextlib.contextmanager
def log_context(**values) -> Iterator[None]:
    """Lines logged inside the block carry these fields (mail_id=…, outbox_id=…, invoice=…)."""
    tokens = [(_context[name], _context[name].set(value)) for name, value in values.items()]
    try:
        yield
    finally:
        for variable, token in reversed(tokens):
            variable.reset(token)


def bind_log_context(**values) -> None:
    """Set fields for the rest of the current context (a `log_context` block or a copied context)."""
    for name, value in values.items():
        _context[name].set(value)


def current_context() -> dict:
    """The fields known now, without the empty ones."""
    values = {name: variable.get() for name, variable in _context.items()}
    return {name: value for name, value in values.items() if value is not None}


class ContextFilter(logging.Filter):
    """Copies the context fields onto each record (an explicit `extra=` wins), and a text form."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in current_context().items():
            if getattr(record, name, None) is None:
                setattr(record, name, value)
        known = [(name, getattr(record, name, None)) for name in CONTEXT_FIELDS]
        record.context = "".join(f" {name}={value}" for name, value in known if value is not None)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO, UTC), level, logger, message, process, context, exception."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def build_handler(log_format: str = "text", stream=None) -> logging.Handler:
    """A handler writing `log_format` ("text" or "json") lines to `stream` (stderr by default)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(ContextFilter())
    handler._gateway_handler = True  # Lets a second call replace it instead of adding another.
    return handler


def setup_logging(observability: Observability | None = None) -> None:
    """Configure the root logger once per process; without settings, text at GATEWAY_LOG_LEVEL (INFO)."""
    if observability is None:
        log_format, level = "text", os.environ.get("GATEWAY_LOG_LEVEL", "INFO")
    else:
        log_format, level = observability.log_format, observability.log_level
    root = logging.getLogger()
    ours = [handler for handler in root.handlers if getattr(handler, "_gateway_handler", False)]
    # Like logging.basicConfig: a host that set up logging already (a test runner) keeps its own.
    if ours or not root.handlers:
        for handler in ours:
            root.removeHandler(handler)
        root.addHandler(build_handler(log_format))
        root.setLevel(level.upper())
    # dramatiq logs every retry with a traceback; our own log lines already say what failed.
    logging.getLogger("dramatiq").setLevel(logging.WARNING)
    # aiosmtpd logs every SMTP command at INFO; connection-level detail is only for debugging.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
