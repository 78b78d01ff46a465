"""Suppliers that send their bills to the gateway themselves: who they are, and which robots to ignore."""

from email.message import Message

from gateway.automated import (
    RULES,
    Automated,
    auto_submitted,
    bulk_precedence,
    header_text,
    incoming,
    list_header,
    normalise,
)

# Invoicing platforms send bills as newsletters do (List-Unsubscribe, Precedence: bulk) and say
# they are generated (Auto-Submitted: auto-generated). From a configured supplier those signals
# are overlooked; bounces, auto-replies and loops are not.
OVERLOOKED_RULES = (list_header, bulk_precedence)


def is_supplier_sender(address: str, patterns: list[str]) -> bool:
    """An address of the configured list, or of a "*@domain" pattern of it."""
    address = (address or "").strip().lower()
    if not address or "@" not in address:
        return False
    for pattern in (pattern.strip().lower() for pattern in patterns):
        if pattern.startswith("*@") and address.endswith("@" + pattern[2:]):
            return True
        if address == pattern:
            return True
    return False


def supplier_automated(message: Message, envelope_from: str | None, loop_marker: str) -> Automated | None:
    """detect_automated for a configured supplier's mail: list and bulk signals and a plain
    "Auto-Submitted: auto-generated" do not count, everything else does."""
    mail = incoming(message, envelope_from, loop_marker)
    for kind, rule in RULES:
        if rule in OVERLOOKED_RULES:
            continue
        if rule is auto_submitted and _generated_only(message):
            continue
        signal = rule(mail)
        if signal:
            return Automated(kind, f"{kind}: {signal}")
    return None


def _generated_only(message: Message) -> bool:
    return normalise(header_text(message, "Auto-Submitted")).startswith("auto-generated")
