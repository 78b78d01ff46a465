"""DMARC pieces: organizational domains, identifier alignment and the published policy."""

import functools
from dataclasses import dataclass

from publicsuffixlist import PublicSuffixList

from gateway.resolver import DnsError


@functools.cache
def _suffixes() -> PublicSuffixList:
    # The list bundled with the package: nothing is downloaded at run time.
    return PublicSuffixList()


def organizational_domain(domain: str) -> str:
    """The registered domain under its public suffix: mail.exemple.fr → exemple.fr."""
    domain = domain.rstrip(".").lower()
    # A domain that is itself a public suffix (gouv.fr) is its own organization.
    return _suffixes().privatesuffix(domain) or domain


def aligned(identifier: str, author_domain: str, strict: bool = False) -> bool:
    """Relaxed alignment: the same organizational domain; strict: the same domain."""
    identifier, author_domain = identifier.rstrip(".").lower(), author_domain.rstrip(".").lower()
    if not identifier or not author_domain:
        return False
    if identifier == author_domain:
        return True
    return not strict and organizational_domain(identifier) == organizational_domain(author_domain)


@dataclass(frozen=True)
class DmarcPolicy:
    """What the From domain publishes at _dmarc; `found` is False when it publishes nothing."""

    domain: str
    found: bool = False
    policy: str = "none"
    strict_dkim: bool = False
    strict_spf: bool = False
    error: str = ""  # a DNS failure: the policy is unknown and alignment stays relaxed

    def describe(self) -> str:
        if self.error:
            return f"DMARC policy of {self.domain} unknown ({self.error})"
        if not self.found:
            return f"no DMARC policy for {self.domain}"
        return f"DMARC policy p={self.policy} for {self.domain}"


def parse_record(text: str) -> dict[str, str] | None:
    """The tags of a DMARC record ("v=DMARC1; p=reject"), or None when it is not one."""
    parts = text.split(";")
    # The version tag must come first (RFC 7489 6.3); a TXT record that merely mentions it is not DMARC.
    if "".join(parts[0].split()) != "v=DMARC1":
        return None
    tags = {}
    for part in parts[1:]:
        name, equals, value = part.partition("=")
        if equals:
            tags[name.strip().lower()] = value.strip()
    return tags


def find_policy(author_domain: str, resolver) -> DmarcPolicy:
    """The record of the From domain, else its organizational domain's (whose sp= then applies)."""
    organization = organizational_domain(author_domain)
    try:
        for name, is_subdomain in ((author_domain, False), (organization, True)):
            if is_subdomain and name == author_domain:
                break
            records = [tags for tags in map(parse_record, resolver.txt(f"_dmarc.{name}")) if tags]
            # RFC 7489 6.6.3: several records count as none.
            if len(records) == 1:
                return _policy(author_domain, records[0], is_subdomain)
    except DnsError as error:
        return DmarcPolicy(author_domain, error=str(error))
    return DmarcPolicy(author_domain)


def _policy(author_domain: str, tags: dict[str, str], is_subdomain: bool) -> DmarcPolicy:
    policy = tags.get("p", "none").lower()
    if is_subdomain:
        policy = tags.get("sp", policy).lower()
    return DmarcPolicy(
        author_domain,
        found=True,
        policy=policy if policy in {"none", "quarantine", "reject"} else "none",
        strict_dkim=tags.get("adkim", "r").lower() == "s",
        strict_spf=tags.get("aspf", "r").lower() == "s",
    )
