"""Why an answer about a bill cannot act, worded for the person: decided already, outdated, not theirs to give."""

from zoneinfo import ZoneInfo

from bills.models import FINAL_STATES, ReceivedBill
from gateway.commands import Parsed
from gateway.config import Config
from gateway.models import as_utc
from gateway.tokens import TokenMatch, TokenRefusal

DECIDED_WORDS = {"validated": "validée", "rejected": "refusée", "duplicate": "classée comme doublon"}
_NOT_TAKEN = "votre réponse n'a pas été prise en compte."


def refusal_for(row: ReceivedBill | None, token: TokenMatch, commands: Parsed, config: Config) -> TokenRefusal | None:
    """The reason this answer may not act on the bill, or None when it may."""
    if row is None:
        return TokenRefusal("unbound", "Cette facture n'existe plus ; " + _NOT_TAKEN,
                            f"bill {token.object_id} not found")
    if row.status in FINAL_STATES:
        return _decided(row, config.timezone)
    if token.purpose == "review":
        return _staff_refusal(row, token, config)
    # The manager's approval request takes OK or NON; corrections go through the staff's summary.
    if commands.names - {"approve", "reject"}:
        return TokenRefusal("manager_commands", "À cette demande d'accord, répondez OK ou NON suivi du motif ; "
                            "les corrections se font en réponse au résumé envoyé à " + row.reviewer + ". " + _NOT_TAKEN,
                            f"bill {row.id}: manager answered {sorted(commands.names)}")
    if row.status != "awaiting_manager":
        return TokenRefusal("not_awaited", "Cette facture n'attend pas votre accord ; " + _NOT_TAKEN,
                            f"bill {row.id}: manager answered while {row.status}")
    return None


def _staff_refusal(row: ReceivedBill, token: TokenMatch, config: Config) -> TokenRefusal | None:
    if row.review_token_id is not None and token.row.id != row.review_token_id:
        return TokenRefusal("outdated", "Un résumé plus récent de cette facture vous a été envoyé (après une "
                            "correction) : répondez à ce dernier ; " + _NOT_TAKEN,
                            f"bill {row.id}: answer through an outdated summary (token {token.row.id})")
    if row.status == "awaiting_manager":
        return TokenRefusal("awaiting_manager", "Vous avez déjà validé cette facture ; elle attend maintenant "
                            f"l'accord de {config.mail.manager}. " + _NOT_TAKEN.capitalize(),
                            f"bill {row.id}: staff answered again while awaiting the manager")
    return None


def _decided(row: ReceivedBill, tz: ZoneInfo) -> TokenRefusal:
    when = as_utc(row.decided_at).astimezone(tz).strftime("%d/%m/%Y à %H:%M") if row.decided_at else "?"
    reason = f" ({row.status_reason})" if row.status == "rejected" and row.status_reason else ""
    return TokenRefusal("decided", f"Cette facture a déjà été {DECIDED_WORDS[row.status]} le {when}{reason} ; "
                        + _NOT_TAKEN, f"bill {row.id} already {row.status}")
