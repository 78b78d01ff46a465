"""`doctor` explains in French what is wrong with a domain's records and the gateway's settings."""

from dataclasses import replace

from gateway.doctor import run_doctor
from gateway.resolver import StaticResolver
from tests.helpers import UNTRUSTED, deliver, make_mail

GOOD_RECORDS = {
    ("exemple.test", "MX"): ["10 mx.exemple.test"],
    ("exemple.test", "TXT"): ["v=spf1 include:spf.fournisseur.test -all"],
    ("_dmarc.exemple.test", "TXT"): ["v=DMARC1; p=quarantine"],
}


def levels(findings, topic):
    return [finding.level for finding in findings if finding.topic == topic]


def test_well_configured_domain_is_ok(config):
    config = replace(config, company=replace(config.company, example=False))
    findings = run_doctor(config, StaticResolver(GOOD_RECORDS))
    assert levels(findings, "exemple.test")[0] == "ok"
    assert not [f for f in findings if f.level == "problem"]


def test_misconfigured_domain_is_explained_with_the_fix(config):
    records = {("exemple.test", "TXT"): ["v=spf1 a -all", "v=spf1 mx -all"]}
    findings = run_doctor(config, StaticResolver(records))
    messages = " ".join(f.message for f in findings if f.topic == "exemple.test")
    fixes = " ".join(f.fix for f in findings if f.topic == "exemple.test")
    assert "n'a pas d'enregistrement MX" in messages
    assert "publie 2 enregistrements SPF" in messages
    assert "ne publie pas de politique DMARC" in messages
    assert "_dmarc.exemple.test" in fixes
    assert any(f.topic == "entreprise" and f.level == "problem" for f in findings)


def test_dns_failure_is_reported_not_raised(config):
    findings = run_doctor(config, StaticResolver({}, broken=["exemple.test"]))
    assert any("Impossible d'interroger le DNS" in f.message for f in findings)


def test_staff_domain_without_trusted_path_is_told_the_fallbacks(config):
    config = replace(config, auth=replace(config.auth, trusted_networks=[]))
    findings = run_doctor(config, StaticResolver(GOOD_RECORDS))
    [staff] = [f for f in findings if f.topic == "exemple.test" and "salariés" in f.message]
    assert "auth.trusted_networks" in staff.fix and "auth.upstream_authserv_id" in staff.fix


def test_dkim_key_missing_from_dns_gives_the_record_to_publish(config, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "dkim.pem"
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    config = replace(config, outbound=replace(config.outbound, dkim_private_key=str(path)))
    [finding] = [f for f in run_doctor(config, StaticResolver(GOOD_RECORDS)) if f.topic == "DKIM"]
    assert finding.level == "problem"
    assert "gateway._domainkey.exemple.test. IN TXT" in finding.fix


def test_recent_staff_mail_refused_as_untrusted_is_reported(gateway):
    deliver(gateway, make_mail(), trust=UNTRUSTED)
    findings = run_doctor(gateway.config, StaticResolver(GOOD_RECORDS), gateway.database)
    [finding] = [f for f in findings if f.topic == "authentification"]
    assert "1 message(s) de vos salariés refusés" in finding.message


def test_doctor_command_prints_findings_and_exits_1_on_problems(gateway):
    from tests.gateway.test_cli import run_cli

    # No DNS server answers on this port: every look-up fails fast and is reported.
    result = run_cli(gateway.config, "doctor", env={"GATEWAY_AUTH__NAMESERVERS": '["127.0.0.1"]',
                                                    "GATEWAY_AUTH__DNS_TIMEOUT": "1"})
    assert result.returncode == 1
    assert "identité d'entreprise" in result.stdout
