"""IMAP intake against a real Dovecot: stored once, flagged or moved only after the commit, IDLE."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import OperationalError

from gateway.app import open_gateway
from gateway.config import ConfigError, load_config
from gateway.db import Database
from gateway.imap import poll_once, run_poller
from gateway.models import TERMINAL_STATES, ImapLedger, Mail, Outbox
from gateway.processing import process_mail
from gateway.resolver import StaticResolver
from tests.helpers import (
    DOMAIN,
    EMAILS,
    GATEWAY_ADDRESS,
    ROOT,
    STAFF,
    free_port,
    make_config,
    make_mail,
    service_missing,
)
from tests.imap.dovecot import BASIC_CAPABILITIES, DovecotServer

SEEN = b"\\Seen"


def start_dovecot(capabilities: str = "") -> DovecotServer:
    try:
        server = DovecotServer(capabilities)
    except FileNotFoundError as error:
        service_missing("Dovecot", error)
    try:
        return server.start()
    except BaseException:
        server.remove()
        raise


@pytest.fixture
def dovecot():
    server = start_dovecot()
    yield server
    server.remove()


@pytest.fixture
def plain_dovecot():
    """A server that offers neither MOVE nor IDLE, as some hosted mailboxes do."""
    server = start_dovecot(BASIC_CAPABILITIES)
    yield server
    server.remove()


def imap_config(tmp_path, server: DovecotServer, database_url: str = "", **imap):
    settings = dict(
        enabled=True, host="127.0.0.1", port=server.port, security="none",
        username=server.user, password=server.password, idle_seconds=60, poll_seconds=1,
    )
    return make_config(tmp_path / "var", database_url, imap={**settings, **imap})


def open_database(url: str) -> Database:
    opened = Database(url)
    opened.migrate()
    return opened


@pytest.fixture
def database(tmp_path):
    opened = open_database(f"sqlite:///{tmp_path / 'var' / 'gateway.db'}")
    yield opened
    opened.dispose()


@pytest.fixture
def any_database(database_url):
    """SQLite and PostgreSQL: UIDVALIDITY and UID are unsigned 32-bit numbers, beyond a signed integer column."""
    opened = open_database(database_url)
    yield opened
    opened.dispose()


def append(server: DovecotServer, raw: bytes, folder: str = "INBOX") -> None:
    with server.client() as client:
        if not client.folder_exists(folder):
            client.create_folder(folder)
        client.append(folder, raw)


def flags_by_message_id(server: DovecotServer, folder: str = "INBOX") -> dict[str, tuple]:
    """The flags of every message left in the folder (not \\Deleted), keyed by Message-ID."""
    with server.client() as client:
        client.select_folder(folder, readonly=True)
        uids = client.search(["NOT", "DELETED"])
        fetched = client.fetch(uids, ["FLAGS", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]) if uids else {}
    return {
        data[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].decode().split(":", 1)[1].strip(): data[b"FLAGS"]
        for data in fetched.values()
    }


def mail_rows(database: Database) -> list[Mail]:
    with database.sessions() as session:
        return list(session.scalars(select(Mail).order_by(Mail.id)))


def ledger_count(database: Database) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(ImapLedger))


def terminal_mails(database: Database) -> list[Mail]:
    with database.sessions() as session:
        return list(session.scalars(select(Mail).where(Mail.status.in_(TERMINAL_STATES))))


def wait_for(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_appended_message_is_stored_once_and_flagged_seen_only_after_its_row_exists(tmp_path, dovecot, any_database):
    database = any_database
    config = imap_config(tmp_path, dovecot)
    raw = make_mail(message_id="<first@client.exemple.test>")
    append(dovecot, raw)
    seen_at_hand_over = []

    def on_stored(mail_id):
        # Called once the row is committed: the message must still be unread on the server.
        assert [row.id for row in mail_rows(database)] == [mail_id]
        seen_at_hand_over.append(SEEN in flags_by_message_id(dovecot)["<first@client.exemple.test>"])

    [mail_id] = poll_once(config, database, on_stored)
    assert seen_at_hand_over == [False]
    assert flags_by_message_id(dovecot)["<first@client.exemple.test>"] == (SEEN,)
    [mail] = mail_rows(database)
    assert (mail.id, mail.raw, mail.source, mail.status) == (mail_id, raw, "imap", "pending")
    assert mail.envelope_to == [GATEWAY_ADDRESS] and mail.envelope_from is None
    assert mail.peer == "127.0.0.1"
    assert mail.auth_verdict == "none"
    assert mail.auth_detail == "fetched over IMAP from 127.0.0.1; the sender is authenticated from its headers"
    with database.sessions() as session:
        [entry] = session.scalars(select(ImapLedger))
    assert (entry.account, entry.folder, entry.uid, entry.mail_id) == (f"{dovecot.user}@127.0.0.1", "INBOX", 1, mail_id)


def test_second_pass_stores_nothing_new(tmp_path, dovecot, database):
    config = imap_config(tmp_path, dovecot)
    append(dovecot, make_mail())
    append(dovecot, (EMAILS / "thunderbird_fr_forward_attachment.eml").read_bytes())
    assert len(poll_once(config, database)) == 2
    assert poll_once(config, database) == []
    assert len(mail_rows(database)) == 2 and ledger_count(database) == 2


def test_message_stored_before_a_crash_is_not_stored_twice(tmp_path, dovecot, any_database):
    database = any_database
    config = imap_config(tmp_path, dovecot)
    append(dovecot, make_mail(message_id="<crash@client.exemple.test>"))
    [mail_id] = poll_once(config, database)
    # The crash came after the commit of the mail, before its ledger row and before the flag.
    with database.engine.begin() as connection:
        connection.execute(delete(ImapLedger))
    with dovecot.client() as client:
        client.select_folder("INBOX")
        client.remove_flags(client.search(), [SEEN])
    handed_over = []
    assert poll_once(config, database, handed_over.append) == []
    assert handed_over == []
    assert [row.id for row in mail_rows(database)] == [mail_id]
    assert ledger_count(database) == 1
    assert flags_by_message_id(dovecot)["<crash@client.exemple.test>"] == (SEEN,)


def test_stored_message_left_unread_by_a_crash_is_flagged_on_the_next_pass(tmp_path, dovecot, database):
    config = imap_config(tmp_path, dovecot)
    append(dovecot, make_mail(message_id="<unflagged@client.exemple.test>"))
    poll_once(config, database)
    with dovecot.client() as client:
        client.select_folder("INBOX")
        client.remove_flags(client.search(), [SEEN])
    assert poll_once(config, database) == []
    assert flags_by_message_id(dovecot)["<unflagged@client.exemple.test>"] == (SEEN,)


def test_message_is_left_unread_when_storing_it_fails(tmp_path, dovecot):
    config = imap_config(tmp_path, dovecot)
    append(dovecot, make_mail(message_id="<unstored@client.exemple.test>"))
    # A database without its tables: every insert fails, as with a full disk or a lost server.
    broken = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(OperationalError):
        poll_once(config, broken)
    broken.dispose()
    assert flags_by_message_id(dovecot)["<unstored@client.exemple.test>"] == ()


def test_configured_recipients_are_recorded_as_the_envelope(tmp_path, dovecot, database):
    config = imap_config(tmp_path, dovecot, recipients=["compta@exemple.test", "factures+achats@exemple.test"])
    append(dovecot, make_mail())
    poll_once(config, database)
    assert [row.envelope_to for row in mail_rows(database)] == [["compta@exemple.test", "factures+achats@exemple.test"]]


def test_move_to_moves_the_stored_message_to_another_folder(tmp_path, dovecot, database):
    config = imap_config(tmp_path, dovecot, move_to="Traité")
    append(dovecot, make_mail(message_id="<moved@client.exemple.test>"))
    [mail_id] = poll_once(config, database)
    assert flags_by_message_id(dovecot, "INBOX") == {}
    assert list(flags_by_message_id(dovecot, "Traité")) == ["<moved@client.exemple.test>"]
    assert poll_once(config, database) == [] and len(mail_rows(database)) == 1


def test_server_without_move_gets_copy_deleted_and_expunge(tmp_path, plain_dovecot, database):
    config = imap_config(tmp_path, plain_dovecot, move_to="Archive")
    append(plain_dovecot, make_mail(message_id="<copied@client.exemple.test>"))
    with plain_dovecot.client() as client:
        assert not client.has_capability("MOVE") and not client.has_capability("IDLE")
    assert len(poll_once(config, database)) == 1
    assert flags_by_message_id(plain_dovecot, "INBOX") == {}
    assert list(flags_by_message_id(plain_dovecot, "Archive")) == ["<copied@client.exemple.test>"]


def test_new_uidvalidity_neither_loses_nor_duplicates_mail(tmp_path, dovecot, database):
    config = imap_config(tmp_path, dovecot, folder="Factures")
    old = make_mail(message_id="<old@client.exemple.test>")
    append(dovecot, old, "Factures")
    [old_id] = poll_once(config, database)
    # The folder is recreated (a restore, a migration): every UID starts again under a new UIDVALIDITY.
    with dovecot.client() as client:
        client.delete_folder("Factures")
        client.create_folder("Factures")
    append(dovecot, old, "Factures")
    append(dovecot, make_mail(message_id="<new@client.exemple.test>"), "Factures")
    [new_id] = poll_once(config, database)
    assert [row.id for row in mail_rows(database)] == [old_id, new_id]
    with database.sessions() as session:
        uidvalidities = session.scalars(select(ImapLedger.uidvalidity).distinct()).all()
    assert len(uidvalidities) == 2 and ledger_count(database) == 3
    assert set(flags_by_message_id(dovecot, "Factures").values()) == {(SEEN,)}


class Poller:
    """`run_poller` in a thread, as `serve` runs it."""

    def __init__(self, config, database):
        self.stored: list[int] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=run_poller, args=(config, database, self.stored.append, self.stop))
        self.thread.start()

    def wait_for(self, count: int, seconds: float) -> list[int]:
        wait_for(lambda: len(self.stored) >= count, seconds)
        return list(self.stored)

    def finish(self) -> None:
        self.stop.set()
        self.thread.join(10)
        assert not self.thread.is_alive(), "run_poller did not stop when asked"


def test_idle_poller_stores_a_message_appended_by_another_connection(tmp_path, dovecot, database):
    # IDLE is renewed every 2 s; the message arrives after a renewal.
    poller = Poller(imap_config(tmp_path, dovecot, idle_seconds=2), database)
    try:
        time.sleep(2.5)
        append(dovecot, make_mail(message_id="<idle@client.exemple.test>"))
        started = time.monotonic()
        assert len(poller.wait_for(1, 5)) == 1
        assert time.monotonic() - started < 2, "IDLE should report new mail at once"
    finally:
        poller.finish()
    assert flags_by_message_id(dovecot)["<idle@client.exemple.test>"] == (SEEN,)


def test_poller_without_idle_polls_every_poll_seconds(tmp_path, plain_dovecot, database):
    poller = Poller(imap_config(tmp_path, plain_dovecot, poll_seconds=1), database)
    try:
        time.sleep(0.5)
        append(plain_dovecot, make_mail())
        assert len(poller.wait_for(1, 5)) == 1
    finally:
        poller.finish()


def test_poller_reconnects_after_the_server_restarts(tmp_path, dovecot, database):
    poller = Poller(imap_config(tmp_path, dovecot), database)
    try:
        append(dovecot, make_mail())
        assert len(poller.wait_for(1, 5)) == 1
        dovecot.stop()
        time.sleep(1.5)
        dovecot.start()
        append(dovecot, make_mail())
        assert len(poller.wait_for(2, 15)) == 2
        assert poller.thread.is_alive()
    finally:
        poller.finish()


def test_poller_with_a_wrong_password_keeps_trying_and_stops_on_request(tmp_path, dovecot, database, caplog):
    poller = Poller(imap_config(tmp_path, dovecot, password="not-the-password-4711"), database)
    wait_for(lambda: caplog.text.count("connecting again") >= 2, 5)
    assert poller.thread.is_alive()
    poller.finish()
    assert "AUTHENTICATIONFAILED" in caplog.text and "connecting again in 2 s" in caplog.text
    assert "not-the-password-4711" not in caplog.text


def test_staff_mail_fetched_over_imap_ends_ignored_as_untrusted(tmp_path, dovecot):
    gateway = open_gateway(imap_config(tmp_path, dovecot))
    # No DNS: the sender's domain publishes nothing, so nothing vouches for the mail.
    gateway.resolver = StaticResolver({})
    try:
        append(dovecot, make_mail(subject="Facture EDF", message_id="<e2e@client.exemple.test>"))
        [mail_id] = poll_once(gateway.config, gateway.database)
        assert process_mail(gateway, mail_id) == []
        with gateway.database.sessions() as session:
            mail = session.get(Mail, mail_id)
            outbox = session.scalars(select(Outbox).where(Outbox.mail_id == mail_id)).all()
        assert (mail.status, mail.route, outbox) == ("ignored", "untrusted", [])
        # Sender authentication replaced the verdict given at intake: nothing in the headers vouches.
        assert mail.auth_verdict == "fail"
        assert mail.reason == (
            f"untrusted sender {STAFF}: no DKIM signature; no SPF check: not received over SMTP; "
            "no DMARC policy for exemple.test"
        )
    finally:
        gateway.close()


@pytest.mark.slow
def test_serve_with_imap_enabled_takes_mail_to_a_terminal_state_and_stops_cleanly(tmp_path, dovecot):
    env = {
        **os.environ,
        "GATEWAY_STORAGE__VAR_DIR": str(tmp_path / "var"),
        "GATEWAY_SMTP__LISTEN": f"127.0.0.1:{free_port()}",
        "GATEWAY_MAIL__DOMAINS": f'["{DOMAIN}"]',
        "GATEWAY_MAIL__STAFF": f'["*@{DOMAIN}"]',
        "GATEWAY_IMAP__ENABLED": "true",
        "GATEWAY_IMAP__HOST": "127.0.0.1",
        "GATEWAY_IMAP__PORT": str(dovecot.port),
        "GATEWAY_IMAP__SECURITY": "none",
        "GATEWAY_IMAP__USERNAME": dovecot.user,
        "GATEWAY_IMAP__PASSWORD": dovecot.password,
        # A mail appended just as IDLE starts can be announced in the same packet as the
        # server's "+ idling" and go unseen until the next renewal: keep renewals short here.
        "GATEWAY_IMAP__IDLE_SECONDS": "3",
    }
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        serve = subprocess.Popen([sys.executable, "-m", "gateway", "serve"], cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        # Once SMTP listens, the database is migrated and the IMAP thread started.
        wait_for(lambda: "SMTP listening" in log_path.read_text() or serve.poll() is not None, 30)
        append(dovecot, make_mail(message_id="<served@client.exemple.test>"))
        database = Database(load_config(environ=env).database_url)
        wait_for(lambda: terminal_mails(database) or serve.poll() is not None, 60)
        assert serve.poll() is None, log_path.read_text()
        [mail] = terminal_mails(database)
        database.dispose()
        assert (mail.source, mail.status) == ("imap", "ignored"), log_path.read_text()
        assert flags_by_message_id(dovecot)["<served@client.exemple.test>"] == (SEEN,)
    finally:
        serve.send_signal(signal.SIGTERM)
        returncode = serve.wait(30)
    assert returncode == 0, log_path.read_text()
    assert "IMAP intake from gateway@127.0.0.1, folder INBOX" in log_path.read_text()


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("GATEWAY_IMAP__SECURITY", "tls", "imap.security"),
        ("GATEWAY_IMAP__PORT", "0", "imap.port"),
        ("GATEWAY_IMAP__FOLDER", "", "imap.folder"),
        ("GATEWAY_IMAP__MOVE_TO", "INBOX", "imap.move_to"),
        ("GATEWAY_IMAP__IDLE_SECONDS", "3600", "imap.idle_seconds"),
        ("GATEWAY_IMAP__POLL_SECONDS", "0", "imap.poll_seconds"),
        ("GATEWAY_IMAP__RECIPIENTS", '["factures"]', "imap.recipients"),
        ("GATEWAY_IMAP__ENABLED", "true", "imap.host"),
    ],
)
def test_invalid_imap_setting_stops_start_up_naming_the_key(variable, value, named):
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        load_config(environ={variable: value})


def test_imap_settings_come_from_the_environment():
    config = load_config(environ={
        "GATEWAY_IMAP__ENABLED": "true", "GATEWAY_IMAP__HOST": "imap.entreprise.fr",
        "GATEWAY_IMAP__USERNAME": "factures@entreprise.fr", "GATEWAY_IMAP__PASSWORD": "secret",
        "GATEWAY_IMAP__MOVE_TO": "Traité", "GATEWAY_IMAP__RECIPIENTS": '["factures@entreprise.fr"]',
    })
    assert (config.imap.port, config.imap.security, config.imap.folder) == (993, "ssl", "INBOX")
    assert config.imap.move_to == "Traité" and config.imap.recipients == ["factures@entreprise.fr"]
