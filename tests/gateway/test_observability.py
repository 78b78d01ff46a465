"""The operator's view: JSON log lines naming the mail, /metrics, /health, and `status` showing the same."""

import io
import json
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import replace
from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import update

from extraction.engine import Extractor
from gateway import metrics
from gateway.cli import _print_operations
from gateway.config_sections import Extraction
from gateway.db import Database
from gateway.delivery import RetryLater
from gateway.delivery import deliver as deliver_outbox
from gateway.logs import build_handler, log_context
from gateway.metrics_server import MetricsServer
from gateway.models import TERMINAL_STATES, Mail, Outbox, utcnow
from gateway.processing import process_mail
from gateway.status import gateway_status
from gateway.status_figures import percentile
from tests.gateway.test_cli import run_cli
from tests.helpers import CORPUS, ROOT, deliver, free_port, make_mail, service_missing, store

BROKERS = {
    "redis": "redis://127.0.0.1:6379/15",
    "rabbitmq": "amqp://guest:guest@127.0.0.1:5672/%2F",
}


@pytest.fixture
def json_lines():
    """Everything logged during the test, as the JSON lines a collector would read."""
    stream = io.StringIO()
    handler = build_handler("json", stream)
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(previous_level)


@pytest.fixture
def metrics_server(any_db_gateway):
    server = MetricsServer("127.0.0.1:0", any_db_gateway.database)
    yield server
    server.close()


def http_get(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def scrape(port: int) -> dict:
    """Samples by (name, sorted labels)."""
    status, body = http_get(port, "/metrics")
    assert status == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
    }


def counter(name: str, **labels) -> float:
    return metrics.build_registry().get_sample_value(name, labels) or 0.0


def test_json_log_lines_name_the_mail_being_processed(gateway, json_lines):
    logging.getLogger("tests").info("before any mail")
    mail, _ = deliver(gateway, make_mail())
    lines = json_lines()
    finished = [line for line in lines if line["logger"] == "gateway.processing"]
    assert finished and finished[-1]["mail_id"] == mail.id
    assert finished[-1]["message"].startswith("processed: ")
    assert {"time", "level", "logger", "message", "process"} <= finished[-1].keys()
    assert finished[-1]["time"].endswith("+00:00")
    assert "mail_id" not in lines[0]  # Logged outside any mail: no id leaks onto it.


def test_delivery_failure_lines_name_the_outgoing_message_and_its_mail(tmp_path, gateway, json_lines):
    gateway.config = replace(gateway.config, outbound=replace(
        gateway.config.outbound, transport="smtp", relay_host="127.0.0.1", relay_port=free_port(), relay_security="none"))
    failures_before = counter("gateway_delivery_failures_total", final="false")
    mail_id = store(gateway, make_mail()).mail_id
    [outbox_id] = process_mail(gateway, mail_id)
    with pytest.raises(RetryLater):
        deliver_outbox(gateway, outbox_id)
    warning = [line for line in json_lines() if line["logger"] == "gateway.delivery"][-1]
    assert warning["level"] == "WARNING"
    assert (warning["outbox_id"], warning["mail_id"]) == (outbox_id, mail_id)
    assert counter("gateway_delivery_failures_total", final="false") == failures_before + 1


def test_json_log_line_carries_the_exception_text(json_lines):
    with log_context(mail_id=42, invoice="FA2026-0007"):
        try:
            raise ValueError("broken attachment")
        except ValueError:
            logging.getLogger("tests").exception("handler failed")
    [line] = [line for line in json_lines() if line["logger"] == "tests"]
    assert (line["mail_id"], line["invoice"]) == (42, "FA2026-0007")
    assert "Traceback" in line["exception"] and "ValueError: broken attachment" in line["exception"]


def test_metrics_show_mails_per_state_queue_depth_and_processing(any_db_gateway, metrics_server):
    processed_before = counter("gateway_mails_processed_total", outcome="processed")
    delivered_before = counter("gateway_delivery_seconds_count")
    deliver(any_db_gateway, make_mail())
    deliver(any_db_gateway, b"\x00garbage")
    store(any_db_gateway, make_mail())
    samples = scrape(metrics_server.port)
    assert samples[("gateway_mails", (("state", "processed"),))] == 1
    assert samples[("gateway_mails", (("state", "quarantined"),))] == 1
    assert samples[("gateway_mails", (("state", "pending"),))] == 1
    assert samples[("gateway_outbox", (("state", "sent"),))] == 1
    assert samples[("gateway_queue_depth", ())] == 1
    assert samples[("gateway_database_up", ())] == 1
    assert samples[("gateway_mails_processed_total", (("outcome", "processed"),))] == processed_before + 1
    assert samples[("gateway_delivery_seconds_count", ())] == delivered_before + 1
    assert ("process_cpu_seconds_total", ()) in samples


def test_health_is_ok_while_the_database_answers(metrics_server):
    status, body = http_get(metrics_server.port, "/health")
    assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok", "broker": "none"})
    assert http_get(metrics_server.port, "/nothing")[0] == 404


def test_health_is_503_when_the_database_is_unreachable():
    stopped = Database(f"postgresql://postgres@127.0.0.1:{free_port()}/test")
    server = MetricsServer("127.0.0.1:0", stopped)
    try:
        status, body = http_get(server.port, "/health")
        report = json.loads(body)
        samples = scrape(server.port)
    finally:
        server.close()
        stopped.dispose()
    assert status == 503
    assert report["status"] == "failing" and report["database"].startswith("error: OperationalError")
    assert samples[("gateway_database_up", ())] == 0


@pytest.mark.parametrize("broker", sorted(BROKERS))
def test_health_pings_the_broker_and_metrics_count_its_messages(gateway, broker):
    probe_server = MetricsServer("127.0.0.1:0", gateway.database, BROKERS[broker])
    try:
        status, body = http_get(probe_server.port, "/health")
        if json.loads(body)["broker"] != "ok":
            service_missing(f"{broker} at {BROKERS[broker]}", body.decode())
        samples = scrape(probe_server.port)
    finally:
        probe_server.close()
    assert status == 200
    assert samples[("gateway_broker_up", ())] == 1
    assert ("gateway_broker_messages", (("queue", "mail"),)) in samples


def test_health_is_503_when_the_broker_is_unreachable(gateway):
    server = MetricsServer("127.0.0.1:0", gateway.database, f"redis://127.0.0.1:{free_port()}/0")
    try:
        status, body = http_get(server.port, "/health")
    finally:
        server.close()
    report = json.loads(body)
    assert status == 503 and report["database"] == "ok" and report["broker"].startswith("error: ")


def test_extraction_counts_failures_and_times_each_read():
    extractor = Extractor(Extraction(), pool=None)
    failures_before = counter("gateway_extraction_failures_total")
    timed_before = counter("gateway_extraction_seconds_count", source="unreadable")
    bill = extractor.extract(b"not a bill at all", "notes.txt")
    assert bill.kind == "other"
    assert counter("gateway_extraction_failures_total") == failures_before + 1
    assert counter("gateway_extraction_seconds_count", source="unreadable") == timed_before + 1
    xml = next((CORPUS / "invoices").rglob("*.xml"), None)
    if xml is not None:
        read = extractor.extract(xml.read_bytes(), xml.name)
        assert counter("gateway_extraction_seconds_count", source=read.source) >= 1


def _three_mails_one_waited(gateway) -> None:
    """A processed mail that waited ten seconds, its reply sent two seconds after, one malformed, one pending."""
    deliver(gateway, make_mail())
    deliver(gateway, b"\x00garbage")
    store(gateway, make_mail())
    with gateway.database.transaction() as session:
        session.execute(update(Mail).where(Mail.status == "processed").values(received_at=utcnow() - timedelta(seconds=10)))
        session.execute(update(Outbox).values(created_at=utcnow() - timedelta(seconds=2)))


def test_status_reports_queue_depth_latencies_and_failures(any_db_gateway, capsys):
    _three_mails_one_waited(any_db_gateway)
    report = gateway_status(any_db_gateway)
    assert report["queue_depth"] == 1
    assert report["window_minutes"] == 60
    assert report["latency"]["mail_seconds"]["count"] == 2
    assert 9 <= report["latency"]["mail_seconds"]["max"] <= 30
    assert 1.5 <= report["latency"]["delivery_seconds"]["p50"] <= 30
    assert report["failures"]["mails_quarantined"] == 1 and report["failures"]["delivery_failed"] == 0
    assert report["live"] is None
    _print_operations(report)
    human = capsys.readouterr().out
    assert "Queue depth: 1" in human and "p99" in human and "mails_quarantined 1" in human


def test_status_json_adds_the_new_figures_to_the_keys_of_before(gateway):
    _three_mails_one_waited(gateway)
    result = run_cli(gateway.config, "status", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["mails"]["processed"] == 1 and report["outbox"]["sent"] == 1
    assert report["latest_problems"][0]["reason"].startswith("malformed:")
    assert report["queue_depth"] == 1 and report["latency"]["mail_seconds"]["count"] == 2
    assert report["failures"]["mails_quarantined"] == 1


def test_percentiles_use_the_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert (percentile(values, 0.5), percentile(values, 0.99), percentile([3.0], 0.99)) == (50.0, 99.0, 3.0)


def test_metric_outcomes_are_the_terminal_states():
    assert metrics.OUTCOMES == TERMINAL_STATES


@pytest.mark.slow
def test_worker_process_serves_health_metrics_and_json_logs(gateway, tmp_path):
    mail_id = store(gateway, make_mail()).mail_id
    port = free_port()
    env = {
        **os.environ,
        "GATEWAY_STORAGE__VAR_DIR": str(gateway.config.var_dir),
        "GATEWAY_MAIL__DOMAINS": json.dumps(gateway.config.mail.domains),
        "GATEWAY_MAIL__STAFF": json.dumps(gateway.config.mail.staff),
        "GATEWAY_OBSERVABILITY__METRICS_LISTEN": f"127.0.0.1:{port}",
        "GATEWAY_OBSERVABILITY__LOG_FORMAT": "json",
    }
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log_file:
        worker = subprocess.Popen([sys.executable, "-m", "gateway", "worker"], cwd=ROOT, env=env, stdout=log_file, stderr=log_file)
    try:
        samples = _wait_for_processed(port, worker, log_path)
        status, body = http_get(port, "/health")
        live = json.loads(run_cli(gateway.config, "status", "--json",
                                  env={"GATEWAY_OBSERVABILITY__METRICS_LISTEN": f"127.0.0.1:{port}"}).stdout)["live"]
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
    assert (status, json.loads(body)["status"]) == (200, "ok")
    assert samples[("gateway_mails", (("state", "processed"),))] == 1
    assert live["mails_processed"]["processed"] == 1
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    assert any(line.get("mail_id") == mail_id and line["message"].startswith("processed") for line in lines)


def _wait_for_processed(port: int, worker: subprocess.Popen, log_path) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert worker.poll() is None, log_path.read_text()
        try:
            samples = scrape(port)
            if samples.get(("gateway_mails_processed_total", (("outcome", "processed"),))) == 1:
                return samples
        except OSError:
            pass  # Not listening yet.
        time.sleep(0.2)
    raise AssertionError("the worker did not serve its metrics in time:\n" + log_path.read_text())
