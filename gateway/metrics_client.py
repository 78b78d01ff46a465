"""Reads the counters a running gateway process serves at /metrics, for `status` to show them."""

import urllib.request

from prometheus_client.parser import text_string_to_metric_families

# `status` must answer even when the process it asks is stuck.
TIMEOUT_SECONDS = 2


def local_url(listen: str, path: str) -> str:
    """The URL to reach a `host:port` listener from this machine (a wildcard address means loopback)."""
    host, _, port = listen.rpartition(":")
    host = host.strip("[]")
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}{path}"


def read_live_counters(listen: str) -> dict | None:
    """The counters of the process serving metrics on `listen` since it started; None when metrics are off."""
    if not listen:
        return None
    url = local_url(listen, "/metrics")
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            text = response.read().decode("utf-8")
    except (OSError, ValueError) as error:
        return {"endpoint": url, "error": f"{type(error).__name__}: {error}"}
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append(sample)
    return {
        "endpoint": url,
        "mails_processed": {s.labels["outcome"]: int(s.value) for s in samples.get("gateway_mails_processed_total", [])},
        "delivery_failures": int(sum(s.value for s in samples.get("gateway_delivery_failures_total", []))),
        "extraction_failures": int(sum(s.value for s in samples.get("gateway_extraction_failures_total", []))),
    }
