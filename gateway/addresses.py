"""Pure helpers about addresses: ours, our staff's, and token addresses."""

import re
from dataclasses import dataclass

from gateway.config import Config


@dataclass(frozen=True)
class OurAddresses:
    local_part: str
    domains: frozenset[str]

    @classmethod
    def from_config(cls, config: Config) -> "OurAddresses":
        return cls(config.mail.address.lower(), frozenset(d.lower() for d in config.mail.domains))

    def is_gateway(self, address: str) -> bool:
        """factures@domain or factures+anything@domain, for one of our domains."""
        local_part, _, domain = address.lower().rpartition("@")
        if domain not in self.domains:
            return False
        return local_part == self.local_part or local_part.startswith(self.local_part + "+")

    def token_of(self, address: str) -> str | None:
        """The token of factures+<token>@domain, or None."""
        local_part, _, domain = address.lower().rpartition("@")
        if domain not in self.domains:
            return None
        match = re.fullmatch(re.escape(self.local_part) + r"\+([a-z0-9]+)", local_part)
        return match.group(1) if match else None


def is_known_sender(address: str, config: Config) -> bool:
    """Staff (an address, a `*@domain` pattern, or `*@*` for anyone), the manager or the accountant."""
    address = address.lower()
    if not address:
        return False
    if address in {config.mail.manager.lower(), config.mail.accountant.lower()} - {""}:
        return True
    for pattern in config.mail.staff:
        pattern = pattern.lower()
        if pattern == "*@*" or (pattern.startswith("*@") and address.endswith("@" + pattern[2:])):
            return True
        if address == pattern:
            return True
    return False


def same_address(first: str, second: str) -> bool:
    """Two addresses are the same person's, whatever their case; an empty one matches nothing."""
    return bool(first.strip()) and first.strip().lower() == second.strip().lower()


def is_manager(address: str, config: Config) -> bool:
    return same_address(config.mail.manager, address)
