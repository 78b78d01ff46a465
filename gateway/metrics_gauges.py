"""The gauges read at scrape time: mails and outgoing messages per state, queue depth, the broker's queues.

Two `COUNT … GROUP BY` on indexed status columns per scrape, none per mail. Every worker reports
the same database figures: in Prometheus, take them from one target (`max by ()`), not a sum.
"""

import logging

from prometheus_client.core import GaugeMetricFamily

from gateway.db import Database
from gateway.status import queue_depth, state_counts

log = logging.getLogger(__name__)


class DatabaseGauges:
    """A Prometheus collector: each scrape asks the database (and the broker, when there is one)."""

    def __init__(self, database: Database, probe=None):
        self.database = database
        self.probe = probe

    def describe(self):
        # Registration must not query the database: the families are only known at scrape time.
        return []

    def collect(self):
        yield from self._database_families()
        if self.probe is not None:
            yield from self._broker_families()

    def _database_families(self):
        up = GaugeMetricFamily("gateway_database_up", "1 when the database answered this scrape.")
        try:
            with self.database.sessions() as session:
                mails, outbox = state_counts(session)
        except Exception as error:  # noqa: BLE001 - a scrape reports the outage instead of failing
            log.warning("metrics: database unavailable: %s", error)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield _per_state("gateway_mails", "Stored mails per state.", mails)
        yield _per_state("gateway_outbox", "Outgoing messages per state.", outbox)
        depth = GaugeMetricFamily("gateway_queue_depth", "Mails pending plus outgoing messages pending.")
        depth.add_metric([], queue_depth(mails, outbox))
        yield depth

    def _broker_families(self):
        up = GaugeMetricFamily("gateway_broker_up", "1 when the broker answered this scrape.")
        try:
            lengths = self.probe.queue_lengths()
        except Exception as error:  # noqa: BLE001 - same: the outage is the figure
            log.warning("metrics: broker unavailable: %s", error)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        messages = GaugeMetricFamily("gateway_broker_messages", "Messages the broker holds per queue.", labels=["queue"])
        for queue, count in lengths.items():
            messages.add_metric([queue], count)
        yield messages


def _per_state(name: str, documentation: str, counts: dict[str, int]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=["state"])
    for state, count in counts.items():
        family.add_metric([state], count)
    return family
