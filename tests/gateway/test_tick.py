"""The periodic tick: retention purges once, also when run twice or from two machines at once."""

import json
import os
import re
import subprocess
import sys
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from gateway.app import open_gateway
from gateway.models import Mail
from gateway.tick import parse_now, run_tick, tick, tick_lock
from tests.gateway.test_cli import run_cli
from tests.gateway.test_retention import NOW, ignored, ignored_in_bulk, received
from tests.helpers import ROOT, make_config, make_mail

NOW_ARGUMENT = "2026-11-26T04:00:00+01:00"


def mail_count(gateway) -> int:
    with gateway.database.sessions() as session:
        return session.execute(select(func.count()).select_from(Mail)).scalar_one()


def purged(output: str) -> int:
    match = re.search(r"retention\.ignored : (\d+)", output)
    return int(match.group(1)) if match else 0


def test_tick_twice_purges_once_through_the_command_line(gateway):
    for days in (31, 40):
        ignored(gateway, days)
    kept = received(gateway, make_mail(subject="Facture"), 40)
    first = run_cli(gateway.config, "tick", "--now", NOW_ARGUMENT)
    assert first.returncode == 0, first.stdout + first.stderr
    assert purged(first.stdout) == 2
    assert "retention.expired : 0" in first.stdout
    second = run_cli(gateway.config, "tick", "--now", NOW_ARGUMENT)
    assert second.returncode == 0 and purged(second.stdout) == 0
    with gateway.database.sessions() as session:
        assert session.execute(select(Mail.id)).scalars().all() == [kept]


def test_two_ticks_at_once_on_any_database_do_the_work_once(any_db_gateway):
    ignored_in_bulk(any_db_gateway, 40, 90)
    results, errors = [], []
    start = threading.Barrier(4)

    def one_tick():
        gateway = open_gateway(any_db_gateway.config)
        try:
            start.wait()
            results.append(tick(gateway.database, gateway.config, NOW))
        except Exception as error:  # noqa: BLE001 - the test reports any error a tick raised
            errors.append(error)
        finally:
            gateway.close()

    threads = [threading.Thread(target=one_tick) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sum(result["retention.ignored"] for result in results if result) == 40
    assert mail_count(any_db_gateway) == 0


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_tick_processes_at_once_on_postgresql_purge_each_mail_once(tmp_path, database_url):
    # Two machines sharing one PostgreSQL database, each with its own timer.
    config = make_config(tmp_path / "var", database_url)
    gateway = open_gateway(config)
    ignored_in_bulk(gateway, 60, 90)
    environ = {**os.environ, "GATEWAY_STORAGE__VAR_DIR": str(config.var_dir), "GATEWAY_STORAGE__DATABASE_URL": database_url,
               "GATEWAY_MAIL__DOMAINS": json.dumps(config.mail.domains), "GATEWAY_MAIL__STAFF": json.dumps(config.mail.staff)}
    command = [sys.executable, "-m", "gateway", "tick", "--now", NOW_ARGUMENT]
    processes = [subprocess.Popen(command, cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
    outputs = [process.communicate(timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    assert sum(purged(stdout) for stdout, _ in outputs) == 60
    assert mail_count(gateway) == 0
    gateway.close()


def test_a_tick_finding_another_one_running_does_nothing(any_db_gateway):
    ignored(any_db_gateway, 90)
    with tick_lock(any_db_gateway.database) as held:
        assert held
        assert tick(any_db_gateway.database, any_db_gateway.config, NOW) is None
    assert mail_count(any_db_gateway) == 1
    assert tick(any_db_gateway.database, any_db_gateway.config, NOW)["retention.ignored"] == 1


def test_now_without_a_zone_is_read_in_the_company_time_zone(gateway):
    assert parse_now("2026-11-26T04:00:00", gateway.config) == datetime(2026, 11, 26, 3, 0, tzinfo=timezone.utc)


def test_an_unreadable_now_is_refused_with_its_reason(gateway, capsys):
    assert run_tick(gateway.config, "demain") == 2
    assert "not an ISO date-time" in capsys.readouterr().out
