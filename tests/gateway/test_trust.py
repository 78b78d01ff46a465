"""The trust verdict from the SMTP peer and the trusted networks."""

import pytest

from gateway.trust import verdict_for_peer


@pytest.mark.parametrize(
    ("host", "networks", "verdict"),
    [
        ("127.0.0.1", ["127.0.0.0/8"], "pass"),
        ("::1", ["::1/128"], "pass"),
        ("::ffff:10.1.2.3", ["10.0.0.0/8"], "pass"),
        ("192.168.1.5", ["10.0.0.0/8"], "none"),
        ("127.0.0.1", [], "none"),
        ("not-an-ip", ["0.0.0.0/0"], "none"),
    ],
)
def test_only_peers_on_trusted_networks_pass(host, networks, verdict):
    assert verdict_for_peer(host, networks).verdict == verdict


def test_verdict_says_why():
    assert "127.0.0.0/8" in verdict_for_peer("127.0.0.1", ["127.0.0.0/8"]).detail
    assert "outside the trusted networks" in verdict_for_peer("203.0.113.9", ["127.0.0.0/8"]).detail
