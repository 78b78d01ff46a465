"""The SMTP relay refusing mid-load: 4xx retried with backoff, 5xx failed with the reason, none sent twice."""

import time

import pytest

from tests.faults.fleet import wait_all_done, wait_until
from tests.faults.relay_sink import RefusingRelay
from tests.faults.smtp_load import Load
from tests.helpers import DOMAIN, STAFF

pytestmark = pytest.mark.slow

MAILS = 60
UNKNOWN = f"parti@{DOMAIN}"  # Staff, so answered; the relay does not know the address.


def sender(number: int) -> str:
    return UNKNOWN if number % 10 == 0 else STAFF


def test_relay_refusing_mid_load_retries_4xx_fails_5xx_and_sends_each_once(private_redis, fleet_factory, tag):
    with RefusingRelay(unknown={UNKNOWN}) as relay:
        fleet = fleet_factory(private_redis.url, outbound__transport="smtp", outbound__relay_host="127.0.0.1",
                              outbound__relay_port=str(relay.port), outbound__relay_security="none")
        fleet.start(workers=2)
        load = Load(fleet.port, MAILS, tag, pause=0.02, sender=sender).start()
        wait_until(lambda: load.accepted >= MAILS // 4, 60, "a quarter of the mails accepted")
        # The relay refuses everything for a while (a full queue, a greylisting relay), then accepts.
        relay.refusing.set()
        wait_until(lambda: relay.refused_temporarily >= 5, 30, "five temporary refusals")
        time.sleep(1)
        relay.refusing.clear()
        load.join()
        done = wait_all_done(fleet, tag, MAILS)
    bad = MAILS // 10
    assert done.states["processed"] == MAILS and done.answered_twice == 0
    assert done.outbox_states == {"sent": MAILS - bad, "failed": bad}
    assert all("550" in reason and UNKNOWN in reason for reason in done.failed_reasons.values())
    # Each sent row reached the relay exactly once; nothing of the failed rows did.
    assert sorted(relay.accepted) == sorted(done.sent_message_ids)
    assert max(relay.accepted.values()) == 1
