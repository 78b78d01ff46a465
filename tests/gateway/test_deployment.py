"""The deployment kit: the production example loads, the image installs only one way, its health check."""

import re

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.config import load_config
from gateway.healthcheck import check
from gateway.metrics_server import MetricsServer
from tests.helpers import ROOT, free_port


def test_production_example_loads_with_its_secrets_given_by_environment(tmp_path):
    key = tmp_path / "dkim.pem"
    key.write_bytes(rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    config = load_config(ROOT / "config" / "production.example.toml", environ={
        "GATEWAY_OUTBOUND__RELAY_PASSWORD": "secret",
        "GATEWAY_OUTBOUND__DKIM_PRIVATE_KEY": str(key),
    })
    assert config.database_url.startswith("postgresql")
    assert config.queue.broker_url.startswith("redis://")
    assert (config.outbound.transport, config.outbound.relay_security) == ("smtp", "starttls")
    assert config.auth.trusted_networks == [] and config.auth.upstream_authserv_id
    assert (config.observability.log_format, config.observability.metrics_listen) == ("json", "0.0.0.0:9100")
    assert config.company.example  # Until the operator fills [company] in, serve keeps warning.


def test_dockerfile_installs_only_through_the_shared_script_and_pip():
    dockerfile = (ROOT / "Dockerfile").read_text()
    commands = re.findall(r"^RUN (.+?)(?<!\\)$", dockerfile, re.M | re.S)
    installs = [command for command in commands if "apt" in command or "pip" in command]
    assert installs == ["sh scripts/install-system-deps.sh --runtime && rm -rf /var/lib/apt/lists/*",
                        "pip install --no-cache-dir ."]
    assert re.search(r"^USER gateway$", dockerfile, re.M)
    assert "gateway.healthcheck" in dockerfile and "EXPOSE 2525 9100" in dockerfile


def test_healthcheck_passes_on_a_healthy_gateway_and_fails_without_one(gateway):
    server = MetricsServer("127.0.0.1:0", gateway.database)
    try:
        assert check(f"0.0.0.0:{server.port}")[0] == 0
    finally:
        server.close()
    assert check(f"127.0.0.1:{free_port()}")[0] == 1
    assert check("")[0] == 0  # Metrics off: nothing to check, the container is not marked unhealthy.
