"""The Prometheus metrics each gateway process keeps in memory, and the registry that serves them.

Counters and histograms cost a few microseconds per mail and never touch the database; the
figures that live in the database (mails per state, queue depth) are read only when Prometheus
scrapes (`gateway/metrics_gauges.py`). Each process counts its own work: with several workers,
each one serves its counters on a port of its own and Prometheus adds them up.
"""

from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector, disable_created_metrics

# The terminal states of gateway/models.py (a test keeps them equal): importing the models here
# would load SQLAlchemy into `extract`, which counts its reads too.
OUTCOMES = ("processed", "ignored", "quarantined", "failed")

# The `_created` companion series only doubles what Prometheus shows; a restart is visible anyway.
disable_created_metrics()

MAILS_PROCESSED = Counter(
    "gateway_mails_processed", "Mails this process brought to a terminal state, by outcome.",
    ["outcome"], registry=None,
)
MAIL_PROCESSING_SECONDS = Histogram(
    "gateway_mail_processing_seconds", "From reception to the terminal state, for the mails this process finished.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600), registry=None,
)
DELIVERY_SECONDS = Histogram(
    "gateway_delivery_seconds", "One delivery attempt: building, signing and handing one message to the transport.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60), registry=None,
)
DELIVERY_FAILURES = Counter(
    "gateway_delivery_failures", "Failed delivery attempts; final=\"true\" when the message ended failed.",
    ["final"], registry=None,
)
EXTRACTION_SECONDS = Histogram(
    "gateway_extraction_seconds", "Reading one file into a bill, by the path that read it (facturx, text, ocr…).",
    ["source"], buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120), registry=None,
)
EXTRACTION_FAILURES = Counter(
    "gateway_extraction_failures", "Files that could not be read as a bill (unsupported, broken, hostile).",
    registry=None,
)
PROCESS_METRICS = (MAILS_PROCESSED, MAIL_PROCESSING_SECONDS, DELIVERY_SECONDS, DELIVERY_FAILURES,
                   EXTRACTION_SECONDS, EXTRACTION_FAILURES)

# Every outcome is shown from the start, at zero: a series that appears late hides a rate.
for _outcome in OUTCOMES:
    MAILS_PROCESSED.labels(_outcome)
for _final in ("true", "false"):
    DELIVERY_FAILURES.labels(_final)


def mail_finished(outcome: str, seconds_since_received: float | None) -> None:
    """Count a mail that reached a terminal state, and how long it took since it was received."""
    MAILS_PROCESSED.labels(outcome).inc()
    if seconds_since_received is not None:
        MAIL_PROCESSING_SECONDS.observe(max(0.0, seconds_since_received))


def delivery_failed(final: bool) -> None:
    DELIVERY_FAILURES.labels("true" if final else "false").inc()


def extraction_finished(source: str, seconds: float, failed: bool) -> None:
    EXTRACTION_SECONDS.labels(source).observe(seconds)
    if failed:
        EXTRACTION_FAILURES.inc()


def build_registry(*collectors) -> CollectorRegistry:
    """This process's counters, its CPU and memory, and the given collectors (the database gauges)."""
    registry = CollectorRegistry(auto_describe=True)
    for metric in PROCESS_METRICS:
        registry.register(metric)
    ProcessCollector(registry=registry)
    for collector in collectors:
        registry.register(collector)
    return registry
