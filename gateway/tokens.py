"""Reply tokens: the secret in factures+<token>@domain that binds a reply to one object and one person."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gateway.addresses import OurAddresses
from gateway.models import Decision, ReplyToken, as_utc

# 26 characters of RFC 4648 base32 carry 130 bits: nobody guesses one, and it fits a local part.
ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
TOKEN_LENGTH = 26
TOKEN_PATTERN = re.compile(f"[{ALPHABET}]{{{TOKEN_LENGTH}}}")
DEFAULT_TTL = timedelta(days=30)
# A token of these purposes allows one final decision; other purposes (a conversation that
# goes on, such as corrections) may be answered again after their first use.
FINAL_PURPOSES = frozenset({"decision"})
PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class TokenMatch:
    """A token that may be acted on: the row says which object it is bound to and what for."""

    row: ReplyToken

    @property
    def object_kind(self) -> str:
        return self.row.object_kind

    @property
    def object_id(self) -> int:
        return self.row.object_id

    @property
    def purpose(self) -> str:
        return self.row.purpose


@dataclass(frozen=True)
class TokenRefusal:
    """Why a token is refused: a code, a sentence for the sender and one for the log."""

    code: str  # "unbound", "foreign", "expired" or "spent"
    french: str
    english: str
    row: ReplyToken | None = None


def new_token() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(TOKEN_LENGTH))


def hash_token(token: str) -> str:
    """Only this hash is stored, so that a copy of the database cannot answer in anyone's name."""
    return hashlib.sha256(token.strip().lower().encode("ascii", "replace")).hexdigest()


def issue_token(session: Session, object_kind: str, object_id: int, recipient: str,
                purpose: str = "decision", ttl: timedelta = DEFAULT_TTL, now: datetime | None = None) -> str:
    """Create a token bound to one object and one recipient; return it (it is stored hashed)."""
    now = _utc(now)
    token = new_token()
    session.add(ReplyToken(
        token_hash=hash_token(token), object_kind=object_kind, object_id=object_id,
        recipient=_bare(recipient), purpose=purpose, created_at=now, expires_at=now + ttl,
    ))
    session.flush()
    return token


def resolve_token(session: Session, token: str, sender: str, now: datetime | None = None,
                  tz: ZoneInfo = PARIS) -> TokenMatch | TokenRefusal:
    """The object a reply from `sender` to this token may act on, or the reason it may not."""
    now = _utc(now)
    token = (token or "").strip().lower()
    row = None
    if TOKEN_PATTERN.fullmatch(token):
        row = session.scalars(select(ReplyToken).where(ReplyToken.token_hash == hash_token(token))).first()
    if row is None:
        return _refusal("unbound", None, tz, sender)
    # The recipient is checked first: a stranger holding someone else's token learns nothing
    # about it, not even whether it expired or was used.
    if _bare(sender) != _bare(row.recipient):
        return _refusal("foreign", row, tz, sender)
    if _utc(row.expires_at) <= now:
        return _refusal("expired", row, tz, sender)
    if row.used_at is not None and row.purpose in FINAL_PURPOSES:
        return _refusal("spent", row, tz, sender)
    return TokenMatch(row)


def spend_token(session: Session, token_row: ReplyToken, mail_id: int | None, now: datetime | None = None) -> bool:
    """Mark the token used by this mail; True for the one caller that spent it, False for any other.

    The conditional UPDATE is the lock: two workers holding the same decision both run it, the
    database lets one change the row, and the other sees no row changed.
    """
    now = _utc(now)
    result = session.execute(
        update(ReplyToken)
        .where(ReplyToken.id == token_row.id, ReplyToken.used_at.is_(None), ReplyToken.expires_at > now)
        .values(used_at=now, used_by_mail_id=mail_id)
        .execution_options(synchronize_session=False)
    )
    spent = result.rowcount == 1
    if spent and token_row in session:
        session.refresh(token_row)
    return spent


def record_decision(session: Session, object_kind: str, object_id: int, verdict: str, actor: str, role: str,
                    auth_verdict: str, auth_domain: str, message_id: str, mail_id: int | None,
                    now: datetime | None = None) -> Decision:
    """Write the audit trail row: who decided what on which object, when, how authenticated, from which mail."""
    decision = Decision(
        object_kind=object_kind, object_id=object_id, verdict=verdict, actor=_bare(actor), role=role,
        auth_verdict=auth_verdict, auth_domain=auth_domain or "", message_id=message_id or "",
        mail_id=mail_id, decided_at=_utc(now),
    )
    session.add(decision)
    session.flush()
    return decision


def token_address(local_part: str, domain: str, token: str) -> str:
    return f"{local_part}+{token}@{domain}".lower()


def token_in(addresses: list[str], ours: OurAddresses) -> str | None:
    """The first token found among the addresses a mail was sent to, or None."""
    for address in addresses:
        token = ours.token_of(_bare(address))
        if token:
            return token
    return None


def _refusal(code: str, row: ReplyToken | None, tz: ZoneInfo, sender: str) -> TokenRefusal:
    french, english = _REASONS[code]
    values = {"sender": _bare(sender) or "(none)"}
    if row is not None:
        values |= {
            "object": f"{row.object_kind} {row.object_id}", "recipient": row.recipient,
            "expired": _french_date(row.expires_at, tz, "%d/%m/%Y"), "expired_iso": _utc(row.expires_at).isoformat(),
            "used": _french_date(row.used_at, tz, "%d/%m/%Y à %H:%M") if row.used_at else "",
            "used_iso": _utc(row.used_at).isoformat() if row.used_at else "",
            "used_by": row.used_by_mail_id if row.used_by_mail_id is not None else "?",
        }
    return TokenRefusal(code, french.format(**values), english.format(**values), row)


_NOT_TAKEN = "votre réponse n'a pas été prise en compte."
_REASONS = {
    "unbound": (
        "Ce lien de réponse n'est pas reconnu ; " + _NOT_TAKEN
        + " Répondez directement au dernier message reçu de la passerelle.",
        "unbound token: no reply token matches (reply from {sender})",
    ),
    "foreign": (
        "Ce lien de réponse a été envoyé à une autre personne, qui seule peut y répondre ; " + _NOT_TAKEN,
        "foreign token: bound to {recipient} for {object}, reply from {sender}",
    ),
    "expired": (
        "Ce lien de réponse a expiré le {expired} ; " + _NOT_TAKEN
        + " Écrivez AIDE à la passerelle pour savoir comment continuer.",
        "expired token: {object} expired at {expired_iso} (reply from {sender})",
    ),
    "spent": (
        "Une décision a déjà été enregistrée avec ce lien de réponse le {used} ; " + _NOT_TAKEN,
        "spent token: {object} already decided at {used_iso} by mail {used_by} (reply from {sender})",
    ),
}


def _french_date(moment: datetime, tz: ZoneInfo, pattern: str) -> str:
    # Stored times are UTC; people read them in their own time zone.
    return _utc(moment).astimezone(tz).strftime(pattern)


def _utc(moment: datetime | None) -> datetime:
    return datetime.now(timezone.utc) if moment is None else as_utc(moment)


def _bare(address: str) -> str:
    return parseaddr(address or "")[1].strip().lower()
