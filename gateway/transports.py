"""The two ways outgoing mail leaves: a local Maildir, or an SMTP relay with STARTTLS and AUTH."""

import functools
import smtplib
import ssl
from dataclasses import dataclass

from gateway.config import Config, Outbound
from gateway.maildir import write_once


@dataclass(frozen=True)
class Envelope:
    """What one attempt sends: the same bytes, sender and recipients every time."""

    sender: str
    recipients: tuple[str, ...]
    data: bytes
    maildir_name: str


class DeliveryFailure(Exception):
    """An attempt that did not deliver: `permanent` ends the row at once, otherwise it is retried."""

    def __init__(self, reason: str, permanent: bool):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def send(config: Config, envelope: Envelope) -> str:
    """Deliver through the configured transport; return where the message went, for `delivered_as`."""
    if config.outbound.transport == "smtp":
        return send_smtp(config, envelope)
    return send_maildir(config, envelope)


def send_maildir(config: Config, envelope: Envelope) -> str:
    try:
        return str(write_once(config.maildir, envelope.maildir_name, envelope.data))
    except OSError as error:
        raise DeliveryFailure(f"{type(error).__name__}: {error}", permanent=False) from error


def send_smtp(config: Config, envelope: Envelope) -> str:
    """One SMTP session with the relay: the relay's final answer, or a classified failure."""
    outbound = config.outbound
    where = f"smtp {outbound.relay_host}:{outbound.relay_port}"
    client = None
    try:
        client = open_relay(outbound, config.smtp.hostname)
        answer = transaction(client, envelope)
    except (smtplib.SMTPException, OSError) as error:
        raise classify(where, error) from error
    finally:
        if client is not None:
            _quit(client)
    return f"{where} {answer}"


def open_relay(outbound: Outbound, helo_name: str) -> smtplib.SMTP:
    """Connect, say EHLO, start TLS and log in, as the configuration asks."""
    options = {"local_hostname": helo_name or None, "timeout": outbound.relay_timeout}
    context = tls_context(outbound.relay_tls_verify, outbound.relay_ca_file)
    if outbound.relay_security == "ssl":
        client = smtplib.SMTP_SSL(outbound.relay_host, outbound.relay_port, context=context, **options)
    else:
        client = smtplib.SMTP(outbound.relay_host, outbound.relay_port, **options)
    try:
        client.ehlo()
        if outbound.relay_security == "starttls":
            # A relay that stops offering STARTTLS may be an attacker stripping it: we never go on
            # in clear, smtplib raises and the attempt is retried.
            client.starttls(context=context)
            client.ehlo()
        if outbound.relay_username:
            client.login(outbound.relay_username, outbound.relay_password)
    except BaseException:
        client.close()
        raise
    return client


def transaction(client: smtplib.SMTP, envelope: Envelope) -> str:
    """MAIL, RCPT and DATA by hand, because smtplib's `sendmail` drops the relay's final answer."""
    options = ["BODY=8BITMIME"] if client.has_extn("8bitmime") and not envelope.data.isascii() else []
    code, reply = client.mail(envelope.sender, options)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, envelope.sender)
    refused = {}
    for recipient in envelope.recipients:
        code, reply = client.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
    if len(refused) == len(envelope.recipients):
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = client.data(envelope.data)
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)
    answer = f"{code} {_text(reply)}"
    if refused:
        # The others have the message; sending it again would give them a second copy.
        answer += "; refused: " + _describe(refused)
    return answer


def classify(where: str, error: Exception) -> DeliveryFailure:
    """A 5xx answer is final; 4xx, a dropped connection, a timeout or a TLS error may pass."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        permanent = all(500 <= code < 600 for code in codes)
        return DeliveryFailure(f"{where} refused every recipient: {_describe(error.recipients)}", permanent)
    if isinstance(error, smtplib.SMTPResponseException):
        step = {
            smtplib.SMTPSenderRefused: "refused the sender",
            smtplib.SMTPDataError: "refused the message",
            smtplib.SMTPAuthenticationError: "refused the login",
            smtplib.SMTPConnectError: "refused the connection",
        }.get(type(error), "answered")
        permanent = 500 <= error.smtp_code < 600
        return DeliveryFailure(f"{where} {step}: {error.smtp_code} {_text(error.smtp_error)}", permanent)
    return DeliveryFailure(f"{where}: {type(error).__name__}: {error}", permanent=False)


@functools.lru_cache(maxsize=4)
def tls_context(verify: bool, ca_file: str) -> ssl.SSLContext:
    """Certificates are checked against the system's CAs, or `relay_ca_file` for a private CA."""
    context = ssl.create_default_context(cafile=ca_file or None)
    if not verify:
        # Only for a relay on a private network with a certificate nobody signed (documented risk).
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _quit(client: smtplib.SMTP) -> None:
    # The outcome is known before QUIT: a relay that answers it badly or hangs up changes nothing.
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def _describe(refused: dict) -> str:
    return "; ".join(f"{recipient} {code} {_text(reply)}" for recipient, (code, reply) in refused.items())


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())
