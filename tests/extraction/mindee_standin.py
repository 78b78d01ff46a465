"""A local stand-in for Mindee's invoice API v4 (v1 products), answering as its documentation shows.

A real HTTP server on 127.0.0.1 and a free port, in a thread. It serves
POST /v1/products/mindee/invoices/v4/predict: checks "Authorization: Token <key>" (401 with
Mindee's documented error body otherwise), reads the multipart "document" field, and answers 201
with the documented {api_request, document: {inference: {prediction, pages}}} JSON. Tests can make
it fail (401/403/429/500 with Mindee's JSON, 502 with a gateway's HTML page) or answer late, and read
what it received. The bodies themselves are in mindee_payloads.
"""

import email.parser
import email.policy
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.extraction.mindee_payloads import (ERRORS, PREDICT_PATH, error_body, french_invoice_prediction,
                                             success_body)


@dataclass
class Received:
    path: str
    headers: dict
    filename: str | None
    document: bytes | None


@dataclass
class Failure:
    status: int
    headers: dict = field(default_factory=dict)


class MindeeStandin:
    """`with MindeeStandin(api_key="k") as server:` then read with base_url=server.base_url."""

    def __init__(self, api_key: str = "md-test-key", prediction: dict | None = None):
        self.api_key = api_key
        self.prediction = prediction if prediction is not None else french_invoice_prediction()
        self.received: list[Received] = []
        self.failures: list[Failure] = []
        self.delay_seconds = 0.0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, status: int, retry_after: str | None = None, times: int = 1) -> None:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        self.failures.extend(Failure(status, headers) for _ in range(times))

    def __enter__(self) -> "MindeeStandin":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _handler_class(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the name http.server calls
                standin._answer(self)

            def log_message(self, *args):
                pass

        return Handler

    def _answer(self, request: BaseHTTPRequestHandler) -> None:
        body = request.rfile.read(int(request.headers.get("Content-Length", 0)))
        filename, document = _document_field(request.headers.get("Content-Type", ""), body)
        self.received.append(Received(request.path, dict(request.headers), filename, document))
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        if request.path.split("?", 1)[0] != PREDICT_PATH:
            return _send(request, 404, error_body(404))
        if request.headers.get("Authorization") != f"Token {self.api_key}":
            return _send(request, 401, error_body(401))
        if self.failures:
            failure = self.failures.pop(0)
            if failure.status not in ERRORS:
                # A gateway in front of Mindee answers with an HTML page, not Mindee's JSON.
                return _send_html(request, failure.status)
            return _send(request, failure.status, error_body(failure.status), failure.headers)
        if document is None:
            return _send(request, 400, error_body(400))
        _send(request, 201, success_body(self.prediction, filename or "document"))


def _document_field(content_type: str, body: bytes) -> tuple[str | None, bytes | None]:
    """The multipart/form-data field named "document": its file name and bytes."""
    if not content_type.startswith("multipart/form-data"):
        return None, None
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == "document":
            return part.get_filename(), part.get_payload(decode=True)
    return None, None


def _send_html(request: BaseHTTPRequestHandler, status: int) -> None:
    page = f"<html><head><title>{status} Bad Gateway</title></head><body><h1>{status} Bad Gateway</h1></body></html>"
    _send(request, status, page.encode(), content_type="text/html")


def _send(request: BaseHTTPRequestHandler, status: int, payload, headers: dict | None = None,
          content_type: str = "application/json") -> None:
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    try:
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError):
        # The client gave up (a timeout test): nothing left to answer.
        pass
