"""The running gateways of the end-to-end tests: one that trusts no network, one that trusts loopback."""

import pytest

from gateway.app import open_gateway
from tests.e2e.live import LiveGateway
from tests.e2e.mails import SigningDomains
from tests.helpers import DOMAIN, fresh_postgres_database, make_config

# The staff's domain and the suppliers' domains each sign their mail and publish DMARC p=reject.
SIGNING_DOMAINS = [DOMAIN, "le-fournisseur.example", "netpresse.example"]


@pytest.fixture(scope="session")
def signing() -> SigningDomains:
    return SigningDomains(SIGNING_DOMAINS)


def running(config, signing: SigningDomains):
    gateway = open_gateway(config)
    gateway.resolver = signing.resolver()
    live = LiveGateway(gateway)
    try:
        yield live
    finally:
        live.stop()
        gateway.close()


@pytest.fixture
def live(tmp_path, signing):
    """No trusted network, loopback included: only DKIM/DMARC-authenticated mail is acted on."""
    yield from running(make_config(tmp_path / "var", auth={"trusted_networks": []}), signing)


@pytest.fixture
def live_trusted(tmp_path, signing):
    """Loopback trusted, as the shipped demo configuration and a company MTA relaying to it."""
    yield from running(make_config(tmp_path / "var"), signing)


@pytest.fixture(params=["sqlite", "postgresql"])
def live_any_db(request, tmp_path, signing):
    """The untrusting gateway on SQLite and on a fresh database of the machine's PostgreSQL."""
    if request.param == "sqlite":
        yield from running(make_config(tmp_path / "var", auth={"trusted_networks": []}), signing)
        return
    with fresh_postgres_database("gateway_e2e") as url:
        yield from running(make_config(tmp_path / "var", url, auth={"trusted_networks": []}), signing)
