"""Decides how far the sender of a stored mail is trusted, before anything reads its content."""

import ipaddress
from dataclasses import dataclass


@dataclass(frozen=True)
class TrustVerdict:
    verdict: str  # "pass", "fail", or "none" when nothing could be concluded (a DNS temperror)
    detail: str
    # The From domain that authenticated the sender; empty for trusted networks and failures.
    domain: str = ""


@dataclass(frozen=True)
class Evidence:
    """What one check (DKIM, SPF, upstream results) found: "pass", "fail" or "temperror", and why."""

    result: str
    reason: str


def verdict_for_peer(host: str, trusted_networks: list[str]) -> TrustVerdict:
    """Mail handed over by a client on a trusted network counts as authenticated (like mynetworks)."""
    address = peer_address(host)
    if address is None:
        return TrustVerdict("none", f"peer {host or 'unknown'} is not an IP address")
    for network in trusted_networks:
        if in_networks(address, [network]):
            return TrustVerdict("pass", f"peer {address} in trusted network {network}")
    return TrustVerdict("none", f"peer {address} outside the trusted networks; sender authentication follows")


def peer_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address of a peer host ("203.0.113.9", "[2001:db8::1]"), IPv4-mapped IPv6 unwrapped."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def peer_host(peer: str) -> str:
    """The host of a stored peer: "203.0.113.9:40000" and "[2001:db8::1]:25" give the address."""
    if peer.startswith("["):
        return peer[1:].partition("]")[0]
    host, colon, port = peer.rpartition(":")
    return host if colon and port.isdigit() and ":" not in host else peer


def in_networks(address, networks: list[str]) -> bool:
    return any(address in ipaddress.ip_network(network, strict=False) for network in networks)
