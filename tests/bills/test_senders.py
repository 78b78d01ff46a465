"""Configured supplier senders: matched by address or domain; their list signals overlooked, not their bounces."""

from email import message_from_bytes

import pytest

from bills.senders import is_supplier_sender, supplier_automated
from gateway.automated import detect_automated

PATTERNS = ["factures@fournisseur.fr", "*@edf.fr"]


@pytest.mark.parametrize("address, expected", [
    ("factures@fournisseur.fr", True), ("Factures@Fournisseur.FR", True), ("client@edf.fr", True),
    ("autre@fournisseur.fr", False), ("x@notedf.fr", False), ("", False),
])
def test_supplier_sender_by_address_or_domain(address, expected):
    assert is_supplier_sender(address, PATTERNS) is expected


def message(headers: str, subject: str = "Votre facture") -> object:
    return message_from_bytes(f"From: factures@edf.fr\r\nSubject: {subject}\r\n{headers}\r\nBonjour\r\n".encode())


@pytest.mark.parametrize("headers", [
    "List-Unsubscribe: <mailto:unsubscribe@edf.fr>\r\n",
    "Precedence: bulk\r\n",
    "Auto-Submitted: auto-generated\r\nList-Id: <factures.edf.fr>\r\n",
])
def test_invoicing_platform_signals_are_overlooked(headers):
    assert detect_automated(message(headers), "bounces@edf.fr", "marker") is not None
    assert supplier_automated(message(headers), "bounces@edf.fr", "marker") is None


@pytest.mark.parametrize("headers, subject, sender", [
    ("Auto-Submitted: auto-replied\r\n", "Votre facture", "factures@edf.fr"),
    ("", "Réponse automatique : absent du bureau", "factures@edf.fr"),
    ("X-Autoreply: yes\r\n", "Re: facture", "factures@edf.fr"),
    ("", "Votre facture", ""),  # the null sender: a bounce
])
def test_bounces_and_auto_replies_of_suppliers_are_still_ignored(headers, subject, sender):
    assert supplier_automated(message(headers, subject), sender, "marker") is not None
