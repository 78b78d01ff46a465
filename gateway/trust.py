"""Decides how far the sender of a stored mail is trusted, before anything reads its content."""

import ipaddress
from dataclasses import dataclass


@dataclass(frozen=True)
class TrustVerdict:
    verdict: str  # "pass" or "none"
    detail: str


def verdict_for_peer(host: str, trusted_networks: list[str]) -> TrustVerdict:
    """Mail handed over by a client on a trusted network counts as authenticated (like mynetworks)."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return TrustVerdict("none", f"peer {host or 'unknown'} is not an IP address")
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    for network in trusted_networks:
        if address in ipaddress.ip_network(network, strict=False):
            return TrustVerdict("pass", f"peer {address} in trusted network {network}")
    return TrustVerdict("none", f"peer {address} outside the trusted networks; no DKIM/DMARC check yet")
