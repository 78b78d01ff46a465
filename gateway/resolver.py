"""The one DNS resolver of sender authentication: dnspython in production, a table in tests."""

import threading
from collections.abc import Iterable, Mapping

import dns.exception
import dns.resolver

# The record types that DKIM, SPF and DMARC read; anything else is a programming error.
RECORD_TYPES = frozenset({"TXT", "A", "AAAA", "MX", "PTR"})


class DnsError(Exception):
    """A look-up failed for a reason that may pass (timeout, no server answered): a temperror."""


class Resolver:
    """Answers look-ups from the DNS as text: TXT strings joined, addresses, "10 mx.host", names."""

    def __init__(self, timeout: float = 5.0, nameservers: Iterable[str] = ()):
        self.timeout = timeout
        self.nameservers = list(nameservers)
        self._resolver: dns.resolver.Resolver | None = None
        self._lock = threading.Lock()

    def records(self, name: str, rdtype: str) -> list[str]:
        """The records of one type; [] when the name or the type does not exist. Raises DnsError."""
        _check_type(rdtype)
        try:
            answer = self._dns().resolve(name, rdtype, raise_on_no_answer=False, lifetime=self.timeout, search=False)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except dns.exception.DNSException as error:
            # Timeouts, SERVFAIL from every server, a missing resolv.conf: all may pass later.
            raise DnsError(f"{name} {rdtype}: {type(error).__name__}: {error}") from None
        return [_as_text(rdata, rdtype) for rdata in answer.rrset or []]

    def txt(self, name: str) -> list[str]:
        return self.records(name, "TXT")

    def _dns(self) -> dns.resolver.Resolver:
        # Built on first use, so that a machine without resolv.conf fails a look-up, not start-up.
        with self._lock:
            if self._resolver is None:
                configure = not self.nameservers
                resolver = dns.resolver.Resolver(configure=configure)
                if self.nameservers:
                    resolver.nameservers = self.nameservers
                self._resolver = resolver
            return self._resolver


class StaticResolver:
    """Answers from a table {(name, type): [records]}; names listed in `broken` fail as temperrors."""

    def __init__(self, records: Mapping[tuple[str, str], list[str]], broken: Iterable[str] = ()):
        self.table = {(_normal(name), rdtype.upper()): list(values) for (name, rdtype), values in records.items()}
        self.broken = {_normal(name) for name in broken}
        self.asked: list[tuple[str, str]] = []

    def records(self, name: str, rdtype: str) -> list[str]:
        _check_type(rdtype)
        self.asked.append((_normal(name), rdtype))
        if _normal(name) in self.broken:
            raise DnsError(f"{_normal(name)} {rdtype}: the test says this name times out")
        return list(self.table.get((_normal(name), rdtype), []))

    def txt(self, name: str) -> list[str]:
        return self.records(name, "TXT")


def _check_type(rdtype: str) -> None:
    if rdtype not in RECORD_TYPES:
        raise ValueError(f"record type {rdtype!r} is not one sender authentication reads")


def _normal(name: str) -> str:
    return name.rstrip(".").lower()


def _as_text(rdata, rdtype: str) -> str:
    if rdtype == "TXT":
        # A long TXT record comes as several strings that only mean something together.
        return b"".join(rdata.strings).decode("utf-8", "replace")
    if rdtype in {"A", "AAAA"}:
        return rdata.address
    if rdtype == "MX":
        return f"{rdata.preference} {rdata.exchange.to_text(omit_final_dot=True)}"
    return rdata.target.to_text(omit_final_dot=True)


_system_resolver: Resolver | None = None


def system_resolver(timeout: float = 5.0, nameservers: Iterable[str] = ()) -> Resolver:
    """The process's resolver, built once, so that every mail shares its configuration."""
    global _system_resolver
    if _system_resolver is None or (_system_resolver.timeout, _system_resolver.nameservers) != (timeout, list(nameservers)):
        _system_resolver = Resolver(timeout, nameservers)
    return _system_resolver
