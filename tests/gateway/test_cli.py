"""The operator's command line, run as a user runs it."""

import json
import os
import subprocess
import sys

from tests.helpers import ROOT, TRUSTED, make_mail, store


def run_cli(config, *args, env=None):
    environ = {
        **os.environ,
        "GATEWAY_STORAGE__VAR_DIR": str(config.var_dir),
        "GATEWAY_STORAGE__DATABASE_URL": config.database_url,
        "GATEWAY_MAIL__DOMAINS": json.dumps(config.mail.domains),
        "GATEWAY_MAIL__STAFF": json.dumps(config.mail.staff),
        **(env or {}),
    }
    return subprocess.run([sys.executable, "-m", "gateway", *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60)


def test_status_counts_mails_per_state_and_lists_failures(gateway):
    from tests.helpers import deliver

    deliver(gateway, make_mail())
    deliver(gateway, make_mail(sender="stranger@gmail.com"))
    deliver(gateway, b"\x00garbage")
    result = run_cli(gateway.config, "status", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["mails"]["processed"] == 1
    assert report["mails"]["ignored"] == 1
    assert report["mails"]["quarantined"] == 1
    assert report["outbox"]["sent"] == 1
    assert report["latest_problems"][0]["reason"].startswith("malformed:")
    human = run_cli(gateway.config, "status")
    assert "quarantined" in human.stdout and "malformed:" in human.stdout


def test_mail_show_tells_envelope_verdict_route_and_replies(gateway):
    from tests.helpers import deliver

    mail, outbox = deliver(gateway, make_mail(subject="Question"))
    result = run_cli(gateway.config, "mail", "show", str(mail.id), "--json")
    details = json.loads(result.stdout)
    assert details["status"] == "processed"
    assert details["route"] == "bill"
    assert details["auth"] == {"verdict": "pass", "detail": TRUSTED.detail, "domain": ""}
    assert details["envelope_to"] == ["factures@exemple.test"]
    assert details["outbox"][0]["status"] == "sent"
    raw = run_cli(gateway.config, "mail", "show", str(mail.id), "--raw")
    assert "Subject: Question" in raw.stdout


def test_mail_show_of_unknown_id_says_so(gateway):
    result = run_cli(gateway.config, "mail", "show", "999")
    assert result.returncode == 1
    assert "no mail 999" in result.stdout


def test_replay_processes_a_stored_mail_and_prints_the_outcome(gateway):
    mail_id = store(gateway, make_mail()).mail_id
    result = run_cli(gateway.config, "replay", str(mail_id))
    assert result.returncode == 0, result.stderr
    assert f"mail {mail_id}: pending → processed" in result.stdout


def test_invalid_configuration_stops_start_up_naming_the_key(gateway):
    result = run_cli(gateway.config, "serve", env={"GATEWAY_SMTP__LISTEN": "nowhere"})
    assert result.returncode == 2
    assert "smtp.listen" in result.stdout


def test_installed_console_script_answers():
    script = ROOT / ".venv" / "bin" / "invoice-gateway"
    executable = str(script) if script.exists() else "invoice-gateway"
    result = subprocess.run([executable, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "serve" in result.stdout
