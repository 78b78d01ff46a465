"""DKIM: verifies the signatures of a mail through our resolver and says in words what each gave."""

import logging

import dkim
from dkim.util import InvalidTagValueList, parse_tag_value

from gateway.dmarc import aligned
from gateway.resolver import DnsError
from gateway.trust import Evidence

# Each signature costs a DNS look-up and an RSA verification; a mail needs one that passes.
MAX_SIGNATURES = 5
MIN_KEY_BITS = 1024

# dkimpy logs every failure on its own; the reasons below say the same in one line per signature.
logging.getLogger("dkimpy").setLevel(logging.CRITICAL)


class _KeyLookup:
    """dkimpy's `dnsfunc`, answered by our resolver, remembering what it saw to explain a failure."""

    def __init__(self, resolver):
        self.resolver = resolver
        self.error = ""
        self.records: list[str] | None = None

    def __call__(self, name, timeout=5):
        name = name.decode("ascii", "replace") if isinstance(name, bytes) else name
        self.error, self.records = "", None
        try:
            self.records = self.resolver.txt(name.rstrip("."))
        except DnsError as error:
            self.error = str(error)
            raise dkim.DnsTimeoutError(self.error) from None
        return self.records[0].encode("utf-8") if self.records else None


def check_dkim(raw: bytes, author_domain: str, resolver, strict: bool = False) -> list[Evidence]:
    """One Evidence per DKIM-Signature (the first MAX_SIGNATURES); an empty list when unsigned."""
    try:
        verifier = dkim.DKIM(raw, minkey=MIN_KEY_BITS)
        headers = [value for name, value in verifier.headers if name.lower() == b"dkim-signature"]
    except Exception as error:  # noqa: BLE001 - hostile bytes give a reason, never a crash
        return [Evidence("fail", f"dkim: message unreadable ({_short(error)})")]
    return [
        _check_one(verifier, index, value, author_domain, resolver, strict)
        for index, value in enumerate(headers[:MAX_SIGNATURES])
    ]


def _check_one(verifier, index: int, value: bytes, author_domain: str, resolver, strict: bool) -> Evidence:
    try:
        tags = parse_tag_value(value)
    except InvalidTagValueList as error:
        return Evidence("fail", f"dkim: unreadable signature ({_short(error)})")
    domain = tags.get(b"d", b"").decode("ascii", "replace").lower()
    signed = [name.strip().lower() for name in tags.get(b"h", b"").split(b":")]
    if not aligned(domain, author_domain, strict):
        return Evidence("fail", f"dkim d={domain or '(none)'} not aligned with From {author_domain}")
    if b"from" not in signed:
        return Evidence("fail", f"dkim: From header not signed (d={domain})")
    if b"l" in tags:
        # A length limit lets anyone append text (an "OK") below the signed part of the body.
        return Evidence("fail", f"dkim: l= leaves part of the body unsigned, not accepted (d={domain})")
    lookup = _KeyLookup(resolver)
    try:
        if verifier.verify(idx=index, dnsfunc=lookup):
            return Evidence("pass", f"dkim pass d={domain}")
    except dkim.ValidationError as error:
        if "body hash mismatch" in str(error):
            return Evidence("fail", f"dkim: body hash did not verify (d={domain})")
        return Evidence("fail", f"dkim: {_short(error)} (d={domain})")
    except Exception as error:  # noqa: BLE001 - a malformed signature is a failure with a reason
        return Evidence("fail", f"dkim: {_short(error)} (d={domain})")
    return _why_not(lookup, tags, domain)


def _why_not(lookup: _KeyLookup, tags: dict, domain: str) -> Evidence:
    """dkimpy answers False for a missing key, a DNS error and a bad signature alike: tell them apart."""
    name = f"{tags.get(b's', b'').decode('ascii', 'replace')}._domainkey.{domain}"
    if lookup.error:
        return Evidence("temperror", f"dkim: DNS error looking up {name}: {lookup.error}")
    if not lookup.records:
        return Evidence("fail", f"dkim: no key published at {name} (d={domain})")
    try:
        dkim.evaluate_pk(name, lookup.records[0].encode("utf-8"))
    except Exception as error:  # noqa: BLE001 - the key's own fault, said in words
        return Evidence("fail", f"dkim: unusable key at {name}: {_short(error)}")
    return Evidence("fail", f"dkim: signature did not verify (d={domain})")


def _short(error: Exception) -> str:
    return " ".join(str(error).split())[:200] or type(error).__name__
