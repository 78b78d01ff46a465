"""Sender authentication: does the From domain vouch for this mail (DKIM, SPF, DMARC, upstream)?"""

import logging
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses

from gateway.config import Auth
from gateway.dkim_check import check_dkim
from gateway.dmarc import aligned, find_policy
from gateway.spf_check import check_spf, spf_identity
from gateway.trust import Evidence, TrustVerdict, in_networks, peer_address
from gateway.upstream_results import check_upstream

log = logging.getLogger(__name__)


def authenticate(
    raw: bytes, envelope_from: str | None, peer_ip: str | None, helo: str, auth: Auth, resolver
) -> TrustVerdict:
    """pass with the From domain when an aligned DKIM signature, SPF or the upstream vouches for it.

    `peer_ip` is None for mail not received over SMTP (IMAP): then there is no SPF to check.
    Never raises: a DNS failure gives "none" with the reason, anything else "fail".
    """
    try:
        return _authenticate(raw, envelope_from, peer_ip, helo, auth, resolver)
    except Exception as error:  # A verdict with a reason, never a stuck mail.
        log.exception("sender authentication failed unexpectedly")
        return TrustVerdict("none", f"authentication error: {type(error).__name__}: {error}")


def _authenticate(raw, envelope_from, peer_ip, helo, auth: Auth, resolver) -> TrustVerdict:
    message = BytesHeaderParser().parsebytes(raw)
    author, problem = author_domain(message)
    if problem:
        return TrustVerdict("fail", problem)
    evidence: list[Evidence] = []
    if auth.upstream_authserv_id:
        upstream = _upstream(message, author, peer_ip, auth)
        if upstream.result == "pass":
            return TrustVerdict("pass", upstream.reason, author)
        evidence.append(upstream)
    policy = find_policy(author, resolver)
    signatures = check_dkim(raw, author, resolver, policy.strict_dkim)
    evidence += signatures or [Evidence("fail", "no DKIM signature")]
    evidence.append(_spf(envelope_from, peer_ip, helo, author, policy.strict_spf, resolver))
    passed = next((found for found in evidence if found.result == "pass"), None)
    if passed:
        return TrustVerdict("pass", f"{passed.reason}, aligned with From {author}", author)
    # A look-up that failed might have passed: the mail is not authenticated, but not refuted either.
    verdict = "none" if any(found.result == "temperror" for found in evidence) else "fail"
    return TrustVerdict(verdict, "; ".join([found.reason for found in evidence] + [policy.describe()]))


def author_domain(message: Message) -> tuple[str, str]:
    """The domain of the one From address, or ("", the reason there is none to authenticate)."""
    values = message.get_all("From", [])
    if not values:
        return "", "no From header: nothing to authenticate"
    if len(values) > 1:
        return "", f"{len(values)} From headers: the author is ambiguous"
    addresses = [address for _, address in getaddresses([str(values[0])]) if address]
    if len(addresses) != 1:
        return "", f"From holds {len(addresses)} addresses: the author is ambiguous"
    domain = ascii_domain(addresses[0].rpartition("@")[2])
    if "@" not in addresses[0] or not domain:
        return "", f"From address {addresses[0]!r} has no valid domain"
    return domain, ""


def ascii_domain(domain: str) -> str:
    """A domain as DNS and d= spell it (IDNA A-labels, lowercase), or "" when it is not one."""
    domain = domain.strip().strip("<>").rstrip(".").lower()
    try:
        return domain.encode("idna").decode("ascii") if domain else ""
    except UnicodeError:
        return ""


def trusted_sender(verdict: str, domain: str, detail: str, sender: str) -> tuple[bool, str]:
    """A pass from DKIM, SPF or the upstream vouches for its From domain only, not for any sender.

    The router reads the sender as the mail parser sees it; should that parser read an odd From
    header differently than we did, the mail is not trusted rather than trusted for someone else.
    """
    if verdict != "pass":
        return False, detail
    if not domain:
        return True, detail  # A trusted network vouches for whatever it relays, like mynetworks.
    if ascii_domain(sender.rpartition("@")[2]) == domain:
        return True, detail
    return False, f"{detail}, but the sender {sender or '(none)'} is not in {domain}"


def _upstream(message: Message, author: str, peer_ip: str | None, auth: Auth) -> Evidence:
    """The upstream's results count for mail it handed us: over SMTP, from auth.upstream_networks."""
    if peer_ip is not None:
        address = peer_address(peer_ip)
        if address is None or not in_networks(address, auth.upstream_networks):
            return Evidence("fail", f"Authentication-Results ignored: peer {peer_ip} is not the upstream "
                                    f"{auth.upstream_authserv_id} (auth.upstream_networks)")
    return check_upstream(message, author, auth.upstream_authserv_id)


def _spf(envelope_from, peer_ip, helo, author: str, strict: bool, resolver) -> Evidence:
    if peer_ip is None:
        return Evidence("fail", "no SPF check: not received over SMTP")
    identity = spf_identity(envelope_from, helo)
    if not aligned(identity, author, strict):
        return Evidence("fail", f"SPF not aligned (envelope domain {identity or '(none)'})")
    return check_spf(peer_ip, envelope_from, helo, resolver)
