"""Trusts the Authentication-Results that one configured upstream server wrote, and no other."""

from email.message import Message

import authres
import authres.dmarc

from gateway.dmarc import aligned
from gateway.trust import Evidence

HEADER = "Authentication-Results"
_FEATURES = authres.FeatureContext(authres.dmarc)


def check_upstream(message: Message, author_domain: str, authserv_id: str) -> Evidence:
    """pass when the topmost Authentication-Results is the upstream's and shows an aligned pass.

    The upstream server prepends its header above every header it received, so only the topmost
    one can be its own: one lower down claiming the same id was written by whoever sent the mail.
    """
    values = [" ".join(str(value).split()) for value in message.get_all(HEADER, [])]
    parsed = [_parse(value) for value in values]
    claims = [index for index, header in enumerate(parsed) if header and _same_id(header.authserv_id, authserv_id)]
    forged = [index for index in claims if index > 0]
    note = f"; ignored {len(forged)} lower {HEADER} claiming {authserv_id}" if forged else ""
    if not values:
        return Evidence("fail", f"no {HEADER} from upstream {authserv_id}")
    top = parsed[0]
    if top is None:
        return Evidence("fail", f"topmost {HEADER} unreadable, not trusted{note}")
    if not _same_id(top.authserv_id, authserv_id):
        return Evidence("fail", f"topmost {HEADER} is from {top.authserv_id}, not upstream {authserv_id}{note}")
    found = _aligned_pass(top, author_domain)
    if found:
        return Evidence("pass", f"{HEADER} of upstream {authserv_id}: {found}{note}")
    methods = ", ".join(f"{result.method}={result.result}" for result in top.results) or "none"
    return Evidence("fail", f"{HEADER} of upstream {authserv_id}: {methods}, no aligned pass{note}")


def _parse(value: str):
    try:
        return _FEATURES.parse_value(value)
    except Exception:  # noqa: BLE001 - an unreadable header is not trusted, whoever wrote it
        return None


def _same_id(found: str | None, expected: str) -> bool:
    return (found or "").rstrip(".").lower() == expected.rstrip(".").lower()


def _aligned_pass(header, author_domain: str) -> str:
    """The result that vouches for the From domain: dmarc=pass for it first, else an aligned dkim=pass."""
    for result in sorted(header.results, key=lambda result: (result.method or "").lower() != "dmarc"):
        method, outcome = (result.method or "").lower(), (result.result or "").lower()
        if outcome != "pass":
            continue
        if method == "dmarc":
            header_from = _property(result, "header", "from").lower()
            if header_from == author_domain:
                return f"dmarc=pass header.from={header_from}"
        if method == "dkim":
            domain = _property(result, "header", "d") or _property(result, "header", "i").rpartition("@")[2]
            if aligned(domain, author_domain):
                return f"dkim=pass header.d={domain.lower()}"
    return ""


def _property(result, kind: str, name: str) -> str:
    for prop in result.properties:
        if prop.type == kind and prop.name == name:
            return str(prop.value or "").strip()
    return ""
