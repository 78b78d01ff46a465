"""SPF: may the SMTP client send for the envelope domain? pyspf, asking through our resolver."""

import ipaddress

import spf

from gateway.resolver import DnsError
from gateway.trust import Evidence


class _ResolverQuery(spf.query):
    """pyspf's query with its DNS calls answered by our resolver instead of its module-level one."""

    def __init__(self, resolver, **arguments):
        self.resolver = resolver
        super().__init__(**arguments)

    def dns(self, name, qtype, cnames=None, ignore_void=False):
        name = str(name).rstrip(".").lower()
        if not name or not all(0 < len(label) < 64 for label in name.split(".")):
            return []
        key = (name, qtype)
        if key not in self.cache:
            try:
                self.cache[key] = [_for_pyspf(value, qtype) for value in self.resolver.records(name, qtype)]
            except DnsError as error:
                raise spf.TempError(f"DNS {error}") from None
        result = self.cache[key]
        if not result and not ignore_void:
            # RFC 7208 4.6.4: a record that sends us to many empty names is an error, not a loop.
            self.void_lookups += 1
            if self.void_lookups > spf.MAX_VOID_LOOKUPS:
                raise spf.PermError(f"Void lookup limit of {spf.MAX_VOID_LOOKUPS} exceeded")
        return result


def _for_pyspf(value: str, qtype: str):
    """Our resolver's text in the shapes pyspf's own look-up returns."""
    if qtype in {"TXT", "SPF"}:
        return [value.encode("utf-8")]
    if qtype == "MX":
        preference, _, exchange = value.partition(" ")
        return int(preference), exchange
    return value


def spf_identity(envelope_from: str | None, helo: str) -> str:
    """The domain SPF checks: the envelope sender's, or the HELO name for bounces (null sender)."""
    if envelope_from and "@" in envelope_from:
        return envelope_from.rpartition("@")[2].strip("<> ").rstrip(".").lower()
    return helo.strip().rstrip(".").lower()


def check_spf(peer_ip: str, envelope_from: str | None, helo: str, resolver) -> Evidence:
    """pass, fail (with pyspf's result: fail, softfail, neutral, none, permerror) or temperror."""
    domain = spf_identity(envelope_from, helo)
    try:
        ipaddress.ip_address(peer_ip)
    except ValueError:
        return Evidence("fail", f"spf: peer {peer_ip or '(none)'} is not an IP address")
    sender = envelope_from if envelope_from and "@" in envelope_from else ""
    try:
        query = _ResolverQuery(resolver, i=peer_ip, s=sender, h=helo or domain, timeout=resolver_timeout(resolver))
        result, _, explanation = query.check()
    except Exception as error:  # noqa: BLE001 - pyspf on hostile input: a failure with a reason
        return Evidence("fail", f"spf: check failed for {domain} ({type(error).__name__}: {error})")
    if result == "pass":
        return Evidence("pass", f"spf pass for {domain} (peer {peer_ip})")
    if result == "temperror":
        return Evidence("temperror", f"spf temperror for {domain}: {explanation}")
    return Evidence("fail", f"spf={result} for {domain} (peer {peer_ip})")


def resolver_timeout(resolver) -> float:
    return float(getattr(resolver, "timeout", 5.0))
