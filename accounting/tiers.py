"""Auxiliary (tiers) account codes of suppliers and clients, derived from their names."""

import re

from accounting.text import ascii_text

# Legal forms dropped from a name before it becomes a tiers code: "ACME SAS" is ACME.
LEGAL_FORMS = {"SA", "SAS", "SASU", "SARL", "EURL", "SNC", "SCI", "SCOP", "SCS", "SCA", "SELARL", "SELAS",
               "EI", "EIRL", "GIE", "SC", "LTD", "LIMITED", "GMBH", "INC", "LLC", "BV", "SRL", "SL", "AG"}
AUX_ACCOUNT_LENGTH = 17
# A tiers without a usable name nor SIREN still needs a code: one per side of the ledger.
NAMELESS = {"F": "FOURNISSEUR", "C": "CLIENT"}


def tiers_code(name: str, siren: str | None, fallback_prefix: str) -> str:
    """A stable code: capital ASCII letters and digits of the name, at most 17.

    A name with nothing usable falls back on the prefix and the SIREN's digits ("F552100554" for a
    supplier, "C552100554" for a client), then on a fixed word.
    """
    words = re.findall(r"[A-Z0-9]+", ascii_text(name or "").upper())
    significant = [word for word in words if word not in LEGAL_FORMS] or words
    code = "".join(significant)[:AUX_ACCOUNT_LENGTH]
    if code:
        return code
    digits = re.sub(r"\D", "", siren or "")
    if digits:
        return f"{fallback_prefix}{digits}"[:AUX_ACCOUNT_LENGTH]
    return NAMELESS.get(fallback_prefix, fallback_prefix or "TIERS")


def client_aux_account(name: str, siren: str | None) -> str:
    """The client's code under 411, the same in the sales and the bank journals."""
    return tiers_code(name, siren, "C")
