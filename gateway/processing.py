"""Takes one stored mail to a terminal state: parse, route, run the handler, all in one transaction."""

import email
import logging
import traceback
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from gateway import metrics
from gateway.app import Gateway
from gateway.authentication import authenticate, trusted_sender
from gateway.automated import Automated, detect_automated
from gateway.logs import log_context
from gateway.mailbox import Mailbox
from gateway.models import TERMINAL_STATES, Mail, Outbox, as_utc, utcnow
from gateway.parsed import MalformedMail, ParsedMail
from gateway.parsing import parse_mail
from gateway.resolver import system_resolver
from gateway.routing import Facts, pick_route
from gateway.trust import TrustVerdict, peer_host
from receivables.models import ReceivableMail, Receivable

log = logging.getLogger(__name__)

# A mail whose processing was started this many times without finishing (the worker died each
# time, as a hostile attachment can make it) is quarantined instead of being tried again.
MAX_PROCESSING_ATTEMPTS = 3


@dataclass(frozen=True)
class Claimed:
    """What processing reads of the stored mail before it takes the row lock."""

    raw: bytes
    envelope_from: str | None
    envelope_to: list[str]
    source: str
    peer: str
    helo: str
    auth_verdict: str
    auth_detail: str
    auth_domain: str


def process_mail(gateway: Gateway, mail_id: int) -> list[int]:
    """Bring the mail to a terminal state once; return the outbox rows to deliver. Safe to repeat."""
    # Every line logged meanwhile, by us or a handler, names the mail.
    with log_context(mail_id=mail_id):
        return _process_mail(gateway, mail_id)


def _process_mail(gateway: Gateway, mail_id: int) -> list[int]:
    claimed = _claim(gateway, mail_id)
    if claimed is None:
        return []
    # Authenticating the sender (DNS, up to seconds) and parsing the MIME (milliseconds) need no
    # lock: they run before the row lock, so that SQLite's single write lock is held only briefly.
    verdict = _authenticate(gateway, claimed)
    parsed = _parse(gateway, claimed)
    # Reading a bill's attachments takes up to seconds: it is done here, before the lock, too.
    prepared = _prepare(gateway, claimed, verdict, parsed)
    try:
        with gateway.database.transaction() as session:
            mail = session.get(Mail, mail_id, with_for_update=True)
            if mail is None or mail.status != "processing":
                return []  # Another worker finished it while we waited for the lock.
            if verdict is not None:
                mail.auth_verdict, mail.auth_detail, mail.auth_domain = verdict.verdict, verdict.detail[:4000], verdict.domain
            outbox = _run(gateway, session, mail, parsed, prepared)
            session.flush()
            outbox_ids = [row.id for row in outbox]
        _record_outcome(mail)
        return outbox_ids
    except Exception as error:
        if _is_storage_error(error):
            raise  # The queue retries later; the mail is still recorded as processing.
        log.exception("mail %s: handler failed", mail_id)
        _finish_alone(gateway, mail_id, "failed", f"handler error: {_short(error)}")
        return []


def _claim(gateway: Gateway, mail_id: int) -> Claimed | None:
    """Mark the mail as being processed and count the attempt, in a transaction of its own."""
    with gateway.database.transaction() as session:
        mail = session.get(Mail, mail_id, with_for_update=True)
        if mail is None or mail.status in TERMINAL_STATES:
            return None
        if mail.status == "processing" and mail.attempts >= MAX_PROCESSING_ATTEMPTS:
            _finish(mail, "quarantined", f"processing did not finish after {mail.attempts} attempts")
            _record_outcome(mail)  # Before the commit: this rare path has no other place for it.
            return None
        mail.status = "processing"
        mail.attempts += 1
        return Claimed(mail.raw, mail.envelope_from, list(mail.envelope_to), mail.source, mail.peer, mail.helo,
                       mail.auth_verdict, mail.auth_detail, mail.auth_domain)


def _authenticate(gateway: Gateway, claimed: Claimed) -> TrustVerdict | None:
    """The verdict of sender authentication, or None to keep the pass a trusted network gave at ingress."""
    if claimed.auth_verdict == "pass":
        return None
    # A test gives the gateway a resolver of its own; a worker asks the DNS.
    resolver = gateway.resolver or system_resolver(gateway.config.auth.dns_timeout, gateway.config.auth.nameservers)
    peer_ip = peer_host(claimed.peer) if claimed.source == "smtp" else None
    return authenticate(claimed.raw, claimed.envelope_from, peer_ip, claimed.helo, gateway.config.auth, resolver)


def _parse(gateway: Gateway, claimed: Claimed) -> ParsedMail | MalformedMail:
    try:
        return parse_mail(claimed.raw, claimed.envelope_from, claimed.envelope_to, gateway.config.parsing)
    except MalformedMail as malformed:
        return malformed


def _prepare(gateway: Gateway, claimed: Claimed, verdict: TrustVerdict | None,
             parsed: ParsedMail | MalformedMail) -> tuple[str, object] | None:
    """The route the mail will most likely take, and what its mailbox prepared without a lock.

    The route is picked again under the lock; `process` gets the result only when it is the same.
    """
    if isinstance(parsed, MalformedMail):
        return None
    if verdict is not None:
        trusted, detail = trusted_sender(verdict.verdict, verdict.domain, verdict.detail, parsed.sender)
    else:
        trusted, detail = trusted_sender(claimed.auth_verdict, claimed.auth_domain, claimed.auth_detail, parsed.sender)
    with gateway.database.sessions() as session:
        route, _ = pick_route(_facts(gateway, session, parsed, trusted, detail))
    if route.mailbox.prepare.__func__ is Mailbox.prepare.__func__:
        return None
    try:
        return route.name, route.mailbox.prepare(gateway, parsed)
    except Exception:  # noqa: BLE001 - the handler does the work again and ends the mail with its reason
        log.exception("preparing for route %s failed; the handler will try itself", route.name)
        return None


def _facts(gateway: Gateway, session: Session, parsed: ParsedMail, trusted: bool, trust_detail: str) -> Facts:
    return Facts(
        mail=parsed,
        trusted=trusted,
        trust_detail=trust_detail,
        answers_our_mail=_answers_our_mail(session, parsed),
        client_of_invoice=_client_of_invoice(session, parsed),
        config=gateway.config,
        loop_marker=gateway.loop_marker,
    )


def _run(gateway: Gateway, session: Session, mail: Mail, parsed: ParsedMail | MalformedMail,
         prepared: tuple[str, object] | None = None) -> list[Outbox]:
    if isinstance(parsed, MalformedMail):
        automated = _automated_despite_malformed(mail, gateway.loop_marker)
        if automated:
            _finish(mail, "ignored", automated.reason)
            mail.route = "automated"
        else:
            _finish(mail, "quarantined", f"malformed: {parsed.reason}")
        return []
    mail.sender = parsed.sender[:998]
    mail.subject = parsed.subject[:2000]
    trusted, trust_detail = trusted_sender(mail.auth_verdict, mail.auth_domain, mail.auth_detail, parsed.sender)
    route, reason = pick_route(_facts(gateway, session, parsed, trusted, trust_detail))
    mailbox = route.mailbox(gateway, session, mail, parsed, route.name, reason)
    if prepared is not None and prepared[0] == route.name:
        mailbox.prepared = prepared[1]
    mailbox.process()
    mail.route = route.name
    _finish(mail, mailbox.outcome, mailbox.reason)
    return mailbox.outbox


def _automated_despite_malformed(mail: Mail, loop_marker: str) -> Automated | None:
    """A bounce whose MIME our parser cannot read is still a bounce: record it as one."""
    try:
        message = email.message_from_bytes(mail.raw)
        return detect_automated(message, mail.envelope_from, loop_marker)
    except Exception:  # noqa: BLE001 - the mail is quarantined with the parser's reason instead
        return None


def _answers_our_mail(session: Session, parsed: ParsedMail) -> bool:
    referenced = parsed.answered_ids
    if not referenced:
        return False
    return session.scalar(select(Outbox.id).where(Outbox.message_id.in_(referenced)).limit(1)) is not None


def _client_of_invoice(session: Session, parsed: ParsedMail) -> bool:
    """The sender is the client an invoice mail or reminder it answers was sent to."""
    referenced = parsed.answered_ids
    if not referenced or not parsed.sender:
        return False
    query = (select(Receivable.id).join(ReceivableMail, ReceivableMail.receivable_id == Receivable.id)
             .where(ReceivableMail.message_id.in_(referenced), func.lower(Receivable.client_email) == parsed.sender.lower())
             .limit(1))
    return session.scalar(query) is not None


def _finish(mail: Mail, status: str, reason: str) -> None:
    mail.status = status
    mail.reason = reason[:4000]
    mail.finished_at = utcnow()


def _finish_alone(gateway: Gateway, mail_id: int, status: str, reason: str) -> None:
    with gateway.database.transaction() as session:
        result = session.execute(
            update(Mail)
            .where(Mail.id == mail_id, Mail.status.not_in(TERMINAL_STATES))
            .values(status=status, reason=reason[:4000], finished_at=utcnow())
        )
    if result.rowcount:
        metrics.mail_finished(status, None)


def _record_outcome(mail: Mail) -> None:
    """Count the terminal state in this process's metrics and log it: one line per mail, with its reason."""
    metrics.mail_finished(mail.status, (utcnow() - as_utc(mail.received_at)).total_seconds())
    log.info("%s: %s", mail.status, mail.reason)


def _is_storage_error(error: Exception) -> bool:
    return isinstance(error, OperationalError) or (isinstance(error, DBAPIError) and error.connection_invalidated)


def _short(error: Exception) -> str:
    last = traceback.extract_tb(error.__traceback__)[-1:] if error.__traceback__ else []
    where = f" at {last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno}" if last else ""
    return f"{type(error).__name__}: {error}{where}"


def reset_for_replay(gateway: Gateway, mail_id: int) -> str | None:
    """Put a stored mail back to pending, whatever its state; return the state it had."""
    with gateway.database.transaction() as session:
        mail = session.get(Mail, mail_id, with_for_update=True)
        if mail is None:
            return None
        previous = mail.status
        mail.status, mail.reason, mail.route, mail.attempts, mail.finished_at = "pending", "", "", 0, None
        return previous
