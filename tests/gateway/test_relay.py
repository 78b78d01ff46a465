"""Outbound delivery through a real local SMTP relay (aiosmtpd), DKIM signing, and the outbound check."""

import base64
import datetime
import email
import ipaddress
import ssl
import time
from dataclasses import replace

import dkim
import dramatiq
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from dramatiq.brokers.stub import StubBroker

from gateway.app import open_gateway
from gateway.config import ConfigError, load_config
from gateway.delivery import CLAIM_PREFIX, RetryLater
from gateway.delivery import deliver as deliver_outbox
from gateway.models import Outbox, utcnow
from gateway.outbound_identity import check_outbound, dns_records
from gateway.processing import process_mail
from gateway.queue import JobQueue
from tests.helpers import (
    DOMAIN,
    GATEWAY_ADDRESS,
    STAFF,
    deliver,
    free_port,
    maildir_messages,
    make_config,
    make_mail,
    store,
)

USER, PASSWORD = "passerelle", "s3cret-relais"


class Sink:
    """An aiosmtpd handler that keeps what it accepts and can answer from a script first."""

    def __init__(self, rcpt_answers=(), data_answers=()):
        self.rcpt_answers = dict(rcpt_answers)
        self.data_answers = list(data_answers)
        self.envelopes = []
        self.logins = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rcpt_answers:
            return self.rcpt_answers[address]
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        if self.data_answers:
            return self.data_answers.pop(0)
        self.envelopes.append(envelope)
        return f"250 2.0.0 Ok: queued as Q{len(self.envelopes)}"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append(auth_data.login.decode())
        accepted = (auth_data.login.decode(), auth_data.password.decode()) == (USER, PASSWORD)
        # handled=False lets aiosmtpd answer a refusal with its standard 535.
        return AuthResult(success=accepted, handled=False)


def _key_pair(path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()))
    return key


@pytest.fixture(scope="session")
def dkim_key(tmp_path_factory):
    """A 2048-bit signing key, and the TXT record a receiver would find in the DNS."""
    path = tmp_path_factory.mktemp("dkim") / "dkim.pem"
    public = _key_pair(path).public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return path, f"v=DKIM1; k=rsa; p={base64.b64encode(public).decode()}"


def dns_serving(record: str, selector="gateway", domain=DOMAIN):
    def dnsfunc(name, timeout=5):
        return record.encode() if name == f"{selector}._domainkey.{domain}.".encode() else None

    return dnsfunc


def _certificate(subject, issuer, public_key, signing_key, ca: bool):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if ca:
        builder = builder.add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
    else:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False).add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()), critical=False
        )
    return builder.sign(signing_key, hashes.SHA256())


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory):
    """A test CA and a certificate it signed for 127.0.0.1 and localhost: verification stays on."""
    folder = tmp_path_factory.mktemp("tls")
    ca_key, server_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Relay test CA")])
    server_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    ca_cert = _certificate(ca_name, ca_name, ca_key.public_key(), ca_key, ca=True)
    server_cert = _certificate(server_name, ca_name, server_key.public_key(), ca_key, ca=False)
    (folder / "ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    (folder / "server.pem").write_bytes(server_cert.public_bytes(serialization.Encoding.PEM))
    (folder / "server.key").write_bytes(server_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return folder


class Relays:
    """Starts aiosmtpd relays on free loopback ports and stops them after the test."""

    def __init__(self, tls_files):
        self.tls_files = tls_files
        self.controllers = []

    def plain(self, sink: Sink) -> int:
        return self._start(Controller(sink, hostname="127.0.0.1", port=free_port()))

    def secure(self, sink: Sink) -> int:
        """STARTTLS required before anything, and AUTH required before MAIL."""
        controller = Controller(sink, hostname="127.0.0.1", port=free_port(), tls_context=self._server_context(),
                                require_starttls=True, auth_required=True, authenticator=sink.authenticate)
        return self._start(controller)

    def implicit_tls(self, sink: Sink) -> int:
        """TLS from the first byte (port 465 style), AUTH required before MAIL."""
        controller = Controller(sink, hostname="127.0.0.1", port=free_port(), ssl_context=self._server_context(),
                                auth_required=True, authenticator=sink.authenticate,
                                # aiosmtpd only counts STARTTLS as TLS; this connection is TLS throughout.
                                auth_require_tls=False)
        return self._start(controller)

    def _server_context(self):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.tls_files / "server.pem", self.tls_files / "server.key")
        return context

    def _start(self, controller: Controller) -> int:
        controller.start()
        self.controllers.append(controller)
        return controller.port

    def stop(self):
        for controller in self.controllers:
            controller.stop()


@pytest.fixture
def relays(tls_files):
    started = Relays(tls_files)
    yield started
    started.stop()


@pytest.fixture
def open_with(tmp_path):
    """Open a gateway whose [outbound] section has the given values; closed after the test."""
    opened = []

    def open_with_outbound(**outbound):
        gateway = open_gateway(make_config(tmp_path / "var", outbound={"relay_timeout": 5, **outbound}))
        opened.append(gateway)
        return gateway

    yield open_with_outbound
    for gateway in opened:
        gateway.close()


def smtp_settings(port: int, **extra) -> dict:
    return {"transport": "smtp", "relay_host": "127.0.0.1", "relay_port": port, "relay_security": "none", **extra}


def secure_settings(port: int, tls_files, **extra) -> dict:
    secure = {"relay_security": "starttls", "relay_username": USER, "relay_password": PASSWORD,
              "relay_ca_file": str(tls_files / "ca.pem")}
    return smtp_settings(port, **{**secure, **extra})


def queued_reply(gateway) -> int:
    """Store and process a staff mail; return the id of the reply waiting in the outbox."""
    [outbox_id] = process_mail(gateway, store(gateway, make_mail()).mail_id)
    return outbox_id


def outbox_row(gateway, outbox_id: int) -> Outbox:
    with gateway.database.sessions() as session:
        return session.get(Outbox, outbox_id)


def test_help_reply_reaches_the_relay_with_its_message_id_and_a_valid_dkim_signature(open_with, relays, dkim_key):
    sink = Sink()
    port = relays.plain(sink)
    gateway = open_with(**smtp_settings(port, dkim_private_key=str(dkim_key[0])))
    _, [row] = deliver(gateway, make_mail(subject="Une question"))
    assert row.status == "sent" and row.attempts == 1
    assert row.delivered_as == f"smtp 127.0.0.1:{port} 250 2.0.0 Ok: queued as Q1"
    [envelope] = sink.envelopes
    assert envelope.mail_from == GATEWAY_ADDRESS
    assert envelope.rcpt_tos == [STAFF]
    message = email.message_from_bytes(envelope.content)
    assert message["Message-ID"] == row.message_id
    assert message["Subject"] == "Re: Une question"
    assert dkim.verify(envelope.content, dnsfunc=dns_serving(dkim_key[1]))
    signature = message["DKIM-Signature"]
    assert "a=rsa-sha256" in signature and "c=relaxed/relaxed" in signature and "d=exemple.test" in signature
    assert "auto-submitted" in signature.replace("\r\n", "").replace(" ", "")
    assert maildir_messages(gateway.config) == []


def test_relay_with_starttls_and_auth_gets_the_signed_reply_with_certificate_checked(open_with, relays, tls_files, dkim_key):
    sink = Sink()
    gateway = open_with(**secure_settings(relays.secure(sink), tls_files, dkim_private_key=str(dkim_key[0])))
    _, [row] = deliver(gateway, make_mail())
    assert row.status == "sent"
    assert sink.logins == [USER]
    [envelope] = sink.envelopes
    assert dkim.verify(envelope.content, dnsfunc=dns_serving(dkim_key[1]))


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_relay_with_tls_from_the_first_byte_gets_the_reply(open_with, relays, tls_files):
    sink = Sink()
    gateway = open_with(**secure_settings(relays.implicit_tls(sink), tls_files, relay_security="ssl"))
    _, [row] = deliver(gateway, make_mail())
    assert row.status == "sent"
    assert sink.logins == [USER] and len(sink.envelopes) == 1


def test_relay_certificate_from_an_unknown_ca_is_refused_and_retried(open_with, relays, tls_files):
    sink = Sink()
    settings = secure_settings(relays.secure(sink), tls_files, relay_ca_file="", max_attempts=2)
    gateway = open_with(**settings)
    outbox_id = queued_reply(gateway)
    with pytest.raises(RetryLater, match="CERTIFICATE_VERIFY_FAILED"):
        deliver_outbox(gateway, outbox_id)
    assert sink.logins == [] and sink.envelopes == []


def test_recipient_refused_with_550_fails_at_once_with_the_relay_text(open_with, relays):
    sink = Sink(rcpt_answers={STAFF: "550 5.1.1 <marie@exemple.test>: Recipient address rejected: User unknown"})
    gateway = open_with(**smtp_settings(relays.plain(sink)))
    outbox_id = queued_reply(gateway)
    assert deliver_outbox(gateway, outbox_id) == "failed"
    row = outbox_row(gateway, outbox_id)
    assert row.attempts == 1
    assert "550 5.1.1 <marie@exemple.test>: Recipient address rejected: User unknown" in row.last_error
    # A second call, as a redelivered job would make, sends nothing.
    assert deliver_outbox(gateway, outbox_id) == "failed"
    assert sink.envelopes == []


def test_temporary_451_is_retried_once_then_sent_as_one_message(open_with, relays):
    sink = Sink(data_answers=["451 4.3.0 Try again later"])
    gateway = open_with(**smtp_settings(relays.plain(sink)))
    outbox_id = queued_reply(gateway)
    with pytest.raises(RetryLater, match="451 4.3.0 Try again later"):
        deliver_outbox(gateway, outbox_id)
    assert outbox_row(gateway, outbox_id).status == "pending"
    assert deliver_outbox(gateway, outbox_id) == "sent"
    row = outbox_row(gateway, outbox_id)
    assert row.attempts == 2 and row.last_error == ""
    assert len(sink.envelopes) == 1


def test_worker_retries_a_451_with_backoff_and_the_relay_gets_one_message(open_with, relays):
    sink = Sink(data_answers=["451 4.3.0 Try again later"])
    gateway = open_with(**smtp_settings(relays.plain(sink)))
    broker = StubBroker()
    queue = JobQueue(gateway, broker)
    worker = dramatiq.Worker(broker, worker_threads=2, worker_timeout=100)
    worker.start()
    try:
        queue.enqueue_mail(store(gateway, make_mail()).mail_id)
        deadline = time.monotonic() + 30
        while not sink.envelopes and time.monotonic() < deadline:
            time.sleep(0.05)
        broker.join("outbox", timeout=10_000)
    finally:
        worker.stop()
        broker.close()
    with gateway.database.sessions() as session:
        [row] = session.query(Outbox).all()
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(sink.envelopes) == 1


def test_relay_down_is_retried_then_failed_after_max_attempts_with_the_reason(open_with):
    gateway = open_with(**smtp_settings(free_port(), max_attempts=3))
    outbox_id = queued_reply(gateway)
    for _ in range(2):
        with pytest.raises(RetryLater, match="ConnectionRefusedError"):
            deliver_outbox(gateway, outbox_id)
    assert deliver_outbox(gateway, outbox_id) == "failed"
    row = outbox_row(gateway, outbox_id)
    assert row.attempts == 3
    assert "ConnectionRefusedError" in row.last_error and row.delivered_as == ""


def test_wrong_relay_password_fails_at_once_with_the_relay_answer(open_with, relays, tls_files):
    sink = Sink()
    gateway = open_with(**secure_settings(relays.secure(sink), tls_files, relay_password="wrong"))
    outbox_id = queued_reply(gateway)
    assert deliver_outbox(gateway, outbox_id) == "failed"
    row = outbox_row(gateway, outbox_id)
    assert row.attempts == 1
    assert "refused the login: 535" in row.last_error
    assert sink.envelopes == []


def test_maildir_copy_carries_a_valid_dkim_signature(open_with, dkim_key):
    gateway = open_with(dkim_private_key=str(dkim_key[0]))
    _, [row] = deliver(gateway, make_mail())
    [path] = maildir_messages(gateway.config)
    assert row.delivered_as == str(path)
    assert dkim.verify(path.read_bytes(), dnsfunc=dns_serving(dkim_key[1]))


def test_header_added_on_the_way_breaks_the_signature(open_with, dkim_key):
    gateway = open_with(dkim_private_key=str(dkim_key[0]))
    deliver(gateway, make_mail())
    [path] = maildir_messages(gateway.config)
    signed = path.read_bytes()
    # Cc is absent from the reply but listed in h=, so adding one afterwards is detected.
    tampered = signed.replace(b"\r\nSubject: ", b"\r\nCc: intrus@example.org\r\nSubject: ", 1)
    assert tampered != signed
    assert not dkim.verify(tampered, dnsfunc=dns_serving(dkim_key[1]))


def test_resend_after_a_lost_outcome_is_the_same_message_with_the_same_message_id(open_with, relays, dkim_key):
    sink = Sink()
    gateway = open_with(**smtp_settings(relays.plain(sink), dkim_private_key=str(dkim_key[0])))
    outbox_id = queued_reply(gateway)
    deliver_outbox(gateway, outbox_id)
    # A worker killed after the relay's 250 but before the commit leaves the row pending.
    with gateway.database.transaction() as session:
        session.get(Outbox, outbox_id).status = "pending"
    deliver_outbox(gateway, outbox_id)
    first, second = sink.envelopes
    # Only the signature's timestamp may differ: the signed message is the same, boundary included.
    assert unsigned(first.content) == unsigned(second.content)
    assert b"multipart/alternative" in first.content
    assert email.message_from_bytes(first.content)["Message-ID"] == outbox_row(gateway, outbox_id).message_id
    assert all(dkim.verify(envelope.content, dnsfunc=dns_serving(dkim_key[1])) for envelope in sink.envelopes)


def unsigned(content: bytes) -> bytes:
    assert content.startswith(b"DKIM-Signature:")
    return content[content.index(b"\r\nFrom: ") + 2:]


def test_row_being_sent_by_another_worker_is_left_alone_until_its_claim_expires(open_with, relays):
    sink = Sink()
    gateway = open_with(**smtp_settings(relays.plain(sink)))
    outbox_id = queued_reply(gateway)
    with gateway.database.transaction() as session:
        session.get(Outbox, outbox_id).delivered_as = f"{CLAIM_PREFIX}{utcnow().isoformat()} claim other"
    assert deliver_outbox(gateway, outbox_id) == "pending"
    assert sink.envelopes == [] and outbox_row(gateway, outbox_id).attempts == 0
    stale = utcnow() - datetime.timedelta(hours=1)
    with gateway.database.transaction() as session:
        session.get(Outbox, outbox_id).delivered_as = f"{CLAIM_PREFIX}{stale.isoformat()} claim dead-worker"
    assert deliver_outbox(gateway, outbox_id) == "sent"
    assert len(sink.envelopes) == 1


def test_one_refused_recipient_does_not_stop_the_others(open_with, relays):
    sink = Sink(rcpt_answers={"parti@acme.fr": "550 5.1.1 User unknown"})
    gateway = open_with(**smtp_settings(relays.plain(sink)))
    outbox_id = queued_reply(gateway)
    with gateway.database.transaction() as session:
        session.get(Outbox, outbox_id).cc = ["parti@acme.fr", STAFF]
    assert deliver_outbox(gateway, outbox_id) == "sent"
    [envelope] = sink.envelopes
    assert envelope.rcpt_tos == [STAFF]
    assert "refused: parti@acme.fr 550 5.1.1 User unknown" in outbox_row(gateway, outbox_id).delivered_as


def test_from_address_setting_is_the_from_line_and_the_envelope_sender(open_with, relays, dkim_key):
    sink = Sink()
    settings = smtp_settings(relays.plain(sink), from_address="compta@exemple.test", dkim_private_key=str(dkim_key[0]))
    deliver(open_with(**settings), make_mail())
    [envelope] = sink.envelopes
    assert envelope.mail_from == "compta@exemple.test"
    message = email.message_from_bytes(envelope.content)
    assert message["From"] == "Passerelle factures <compta@exemple.test>"
    assert dkim.verify(envelope.content, dnsfunc=dns_serving(dkim_key[1]))


def test_check_outbound_of_the_default_configuration_names_what_is_missing():
    problems = check_outbound(load_config(environ={}))
    assert any("Maildir" in problem for problem in problems)
    assert any("Aucune clé DKIM" in problem for problem in problems)


def test_check_outbound_of_a_complete_relay_configuration_finds_nothing(tmp_path, dkim_key, tls_files):
    config = make_config(tmp_path, outbound=secure_settings(587, tls_files, relay_host="smtp.relais.fr",
                                                          dkim_private_key=str(dkim_key[0])))
    assert check_outbound(config) == []


def test_check_outbound_names_each_risk_in_french(tmp_path, dkim_key):
    config = make_config(tmp_path, outbound=smtp_settings(25, relay_host="smtp.relais.fr", from_address="factures@ailleurs.fr",
                                                         dkim_private_key=str(dkim_key[0]), dkim_domain="autre.fr"))
    problems = " | ".join(check_outbound(config))
    assert "n'est pas chiffrée" in problems
    assert "Aucune authentification" in problems
    assert "factures@ailleurs.fr n'est pas dans un domaine de mail.domains" in problems
    assert "Le domaine DKIM autre.fr n'est pas aligné avec le domaine d'expédition ailleurs.fr" in problems
    unchecked = replace(config, outbound=replace(config.outbound, relay_security="starttls", relay_tls_verify=False))
    assert any("n'est pas vérifié" in problem for problem in check_outbound(unchecked))


def test_check_outbound_reports_an_unreadable_key(tmp_path):
    config = make_config(tmp_path, outbound={"dkim_private_key": str(tmp_path / "absent.pem")})
    [problem] = [p for p in check_outbound(config) if "DKIM" in p]
    assert problem.startswith("La clé DKIM est inutilisable") and "absent.pem" in problem


def test_dns_records_give_the_dkim_key_and_the_spf_of_the_relay(tmp_path, dkim_key):
    config = make_config(tmp_path, outbound=smtp_settings(587, relay_host="smtp.relais.fr", dkim_private_key=str(dkim_key[0])))
    dkim_record, spf_record = dns_records(config)
    assert (dkim_record.name, dkim_record.type, dkim_record.value) == (f"gateway._domainkey.{DOMAIN}", "TXT", dkim_key[1])
    assert all(len(chunk) <= 257 for chunk in dkim_record.zone_line().split(" IN TXT ", 1)[1].split(" "))
    assert (spf_record.name, spf_record.value) == (DOMAIN, "v=spf1 a:smtp.relais.fr -all")


@pytest.mark.parametrize(
    ("environ", "key"),
    [
        ({"GATEWAY_OUTBOUND__TRANSPORT": "smtp"}, "outbound.relay_host"),
        ({"GATEWAY_OUTBOUND__TRANSPORT": "sendmail"}, "outbound.transport"),
        ({"GATEWAY_OUTBOUND__RELAY_SECURITY": "tls"}, "outbound.relay_security"),
        ({"GATEWAY_OUTBOUND__RELAY_USERNAME": "u"}, "outbound.relay_username"),
        ({"GATEWAY_OUTBOUND__RELAY_USERNAME": "u", "GATEWAY_OUTBOUND__RELAY_PASSWORD": "p",
          "GATEWAY_OUTBOUND__RELAY_SECURITY": "none"}, "outbound.relay_security"),
        ({"GATEWAY_OUTBOUND__DKIM_PRIVATE_KEY": "/nonexistent/dkim.pem"}, "outbound.dkim_private_key"),
        ({"GATEWAY_OUTBOUND__FROM_ADDRESS": "factures"}, "outbound.from_address"),
    ],
)
def test_invalid_outbound_settings_stop_start_up_naming_the_key(environ, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_config(environ=environ)


def test_key_file_that_is_not_a_key_stops_start_up(tmp_path):
    garbage = tmp_path / "dkim.pem"
    garbage.write_text("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")
    with pytest.raises(ConfigError, match="outbound.dkim_private_key: .* not an unencrypted RSA private key"):
        load_config(environ={"GATEWAY_OUTBOUND__DKIM_PRIVATE_KEY": str(garbage)})
