"""Configuration: shipped defaults, a file laid over them, environment variables, clear errors."""

import pytest

from gateway.config import ConfigError, load_config
from tests.helpers import ROOT


def test_shipped_defaults_serve_the_embedded_example():
    config = load_config(environ={})
    assert config.smtp.listen == "127.0.0.1:2525"
    assert config.database_url.startswith("sqlite:///") and config.database_url.endswith("var/gateway.db")
    assert str(config.maildir) == "var/outbox"
    assert config.queue.broker_url == ""
    assert config.company.example is True
    # The code's default trusts no network; only the demo config trusts loopback.
    assert config.auth.trusted_networks == []


def test_demo_config_trusts_loopback(tmp_path):
    config = load_config(ROOT / "config" / "demo.toml", environ={})
    assert "127.0.0.0/8" in config.auth.trusted_networks


def test_environment_overrides_file_with_json_lists_and_plain_text(tmp_path):
    environ = {
        "GATEWAY_MAIL__DOMAINS": '["entreprise.fr", "filiale.fr"]',
        "GATEWAY_MAIL__ADDRESS": "compta",
        "GATEWAY_MAIL__STAFF": '["*@entreprise.fr", "boss@gmail.com"]',
        "GATEWAY_MAIL__MANAGER": "direction@entreprise.fr",
        "GATEWAY_SMTP__LISTEN": "127.0.0.1:2626",
        "GATEWAY_STORAGE__DATABASE_URL": "postgresql://gw@db/gateway",
        "GATEWAY_QUEUE__BROKER_URL": "redis://127.0.0.1:6379/0",
        "GATEWAY_OUTBOUND__MAILDIR": str(tmp_path / "out"),
        "GATEWAY_AUTH__TRUSTED_NETWORKS": '["10.0.0.0/8"]',
        "GATEWAY_SMTP__MAX_RECIPIENTS": "12",
    }
    config = load_config(environ=environ)
    assert config.mail.domains == ["entreprise.fr", "filiale.fr"]
    assert config.gateway_addresses == ["compta@entreprise.fr", "compta@filiale.fr"]
    assert config.mail.staff == ["*@entreprise.fr", "boss@gmail.com"]
    assert config.mail.manager == "direction@entreprise.fr"
    assert config.listen_host_port == ("127.0.0.1", 2626)
    assert config.database_url == "postgresql://gw@db/gateway"
    assert config.queue.broker_url == "redis://127.0.0.1:6379/0"
    assert config.maildir == tmp_path / "out"
    assert config.auth.trusted_networks == ["10.0.0.0/8"]
    assert config.smtp.max_recipients == 12


def test_config_file_is_laid_over_defaults_and_under_environment(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text('[mail]\ndomains = ["site.fr"]\naddress = "achats"\n', encoding="utf-8")
    config = load_config(path, environ={"GATEWAY_MAIL__ADDRESS": "factures"})
    assert config.mail.domains == ["site.fr"]
    assert config.mail.address == "factures"
    assert config.smtp.listen == "127.0.0.1:2525"


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"GATEWAY_MAIL__DOMAINS": "entreprise.fr"}, "GATEWAY_MAIL__DOMAINS"),
        ({"GATEWAY_MAIL__DOMAINS": '["not a domain"]'}, "mail.domains"),
        ({"GATEWAY_SMTP__LISTEN": "2525"}, "smtp.listen"),
        ({"GATEWAY_SMTP__MAX_RECIPIENTS": "many"}, "GATEWAY_SMTP__MAX_RECIPIENTS"),
        ({"GATEWAY_AUTH__TRUSTED_NETWORKS": '["loopback"]'}, "auth.trusted_networks"),
        ({"GATEWAY_QUEUE__BROKER_URL": "kafka://x"}, "queue.broker_url"),
        ({"GATEWAY_STORAGE__DATABASE_URL": "mysql://x/y"}, "storage.database_url"),
        ({"GATEWAY_MAIL__ADDRES": "x"}, "mail.addres"),
        ({"GATEWAY_NOPE__KEY": "x"}, "[nope]"),
        ({"GATEWAY_MAIL__MANAGER": "nobody"}, "mail.manager"),
        ({"GATEWAY_MAIL__ADDRESS": "factures@x.fr"}, "mail.address"),
    ],
)
def test_invalid_value_stops_with_a_message_naming_the_key(environ, named):
    with pytest.raises(ConfigError) as error:
        load_config(environ=environ)
    assert named in str(error.value)


def test_unknown_key_in_file_is_named(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[smtp]\nlisten_on = '1.2.3.4:25'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="smtp.listen_on"):
        load_config(path, environ={})


def test_wrong_type_in_file_is_named(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[mail]\ndomains = 'entreprise.fr'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="mail.domains must be a list of str"):
        load_config(path, environ={})


def test_missing_config_file_is_reported(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml", environ={})
