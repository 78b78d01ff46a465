"""A small HTTP server thread on `observability.metrics_listen`: /metrics for Prometheus, /health for probes."""

import json
import logging
import socket
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client.exposition import choose_encoder
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from gateway.broker_probe import broker_probe
from gateway.config import Config
from gateway.db import Database
from gateway.metrics import build_registry
from gateway.metrics_gauges import DatabaseGauges

log = logging.getLogger(__name__)

# A health check must answer before the orchestrator gives up on it (Docker waits 5 s here).
DATABASE_TIMEOUT_SECONDS = 3


def check_health(database: Database, probe) -> tuple[int, dict]:
    """200 with every part "ok"; 503 naming the part that failed and why."""
    report = {"status": "ok", "database": _check_database(database), "broker": "none"}
    if probe is not None:
        try:
            probe.ping()
            report["broker"] = "ok"
        except Exception as error:  # noqa: BLE001 - any failure is the answer
            report["broker"] = f"error: {type(error).__name__}: {error}"
    if report["database"] != "ok" or report["broker"] not in ("ok", "none"):
        report["status"] = "failing"
        return 503, report
    return 200, report


def _check_database(database: Database) -> str:
    try:
        if database.is_sqlite:
            with database.read_engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        else:
            # A connection of its own with a timeout: the pool's could wait minutes on a silent host.
            engine = create_engine(database.url, poolclass=NullPool, connect_args={"connect_timeout": DATABASE_TIMEOUT_SECONDS})
            try:
                with engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
            finally:
                engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure is the answer
        return f"error: {type(error).__name__}: {str(error).splitlines()[0][:300]}"
    return "ok"


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_GET(self):  # noqa: N802 - the name http.server calls
        path = self.path.split("?", 1)[0]
        if path == "/metrics":
            encoder, content_type = choose_encoder(self.headers.get("Accept", ""))
            self._answer(200, content_type, encoder(self.server.registry))
        elif path == "/health":
            status, report = check_health(self.server.database, self.server.probe)
            self._answer(status, "application/json", json.dumps(report).encode())
        else:
            self._answer(404, "text/plain; charset=utf-8", b"not found: try /metrics or /health\n")

    def _answer(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - the signature http.server calls
        # A scrape every 15 s is not news; errors still reach the log through log_error.
        pass

    def log_error(self, format, *args):  # noqa: A002
        log.warning("metrics server: " + format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, database: Database, probe, family: int):
        self.address_family = family
        self.database, self.probe = database, probe
        self.registry = build_registry(DatabaseGauges(database, probe))
        super().__init__(address, _Handler)

    def server_bind(self):
        # HTTPServer's own looks the host's name up in the DNS, which can hang a start-up.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]


class MetricsServer:
    """The HTTP server and its thread; `port` is the one bound (useful with port 0)."""

    def __init__(self, listen: str, database: Database, broker_url: str = ""):
        host, _, port = listen.rpartition(":")
        host = host.strip("[]")
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.probe = broker_probe(broker_url)
        self.httpd = _Server((host, int(port)), database, self.probe, family)
        self.port = self.httpd.server_address[1]
        # The poll interval bounds how long close() waits for the serving thread.
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.2,), name="metrics-server", daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self.probe is not None:
            self.probe.close()


def start_metrics_server(config: Config, database: Database) -> MetricsServer | None:
    """Serve /metrics and /health when `observability.metrics_listen` is set. Mail goes on without them:
    a port already taken is logged as an error, never a reason to stop processing."""
    listen = config.observability.metrics_listen
    if not listen:
        return None
    try:
        server = MetricsServer(listen, database, config.queue.broker_url)
    except OSError as error:
        log.error("metrics and health not served: cannot listen on %s (observability.metrics_listen): %s", listen, error)
        return None
    log.info("metrics on http://%s/metrics, health on /health", listen)
    return server
