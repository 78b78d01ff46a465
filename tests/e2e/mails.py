"""The mail the end-to-end tests send: DKIM-signed by the staff's mail server, replies to a summary."""

import base64
from email.message import Message
from email.utils import parseaddr

import dkim
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.resolver import StaticResolver

SIGNED_HEADERS = [b"from", b"to", b"cc", b"subject", b"date", b"message-id", b"in-reply-to", b"references"]
SELECTOR = "s1"


class SigningDomains:
    """One throw-away RSA key per test session, published for each domain that signs its mail."""

    def __init__(self, domains: list[str]):
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.private_pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        )
        public = private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        record = f"v=DKIM1; k=rsa; p={base64.b64encode(public).decode()}"
        self.records = {}
        for domain in domains:
            self.records[(f"{SELECTOR}._domainkey.{domain}", "TXT")] = [record]
            self.records[(f"_dmarc.{domain}", "TXT")] = ["v=DMARC1; p=reject"]

    def resolver(self) -> StaticResolver:
        return StaticResolver(self.records)

    def sign(self, raw: bytes, domain: str) -> bytes:
        """What the sender's outgoing server adds: a DKIM-Signature header above the message."""
        signature = dkim.sign(raw, SELECTOR.encode(), domain.encode(), self.private_pem, include_headers=SIGNED_HEADERS)
        return signature + raw


def crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def reply_to(summary: Message, sender: str, body: str, message_id: str, extra_headers: str = "",
             to: str | None = None) -> bytes:
    """A reply as a French client writes it: text above the quote, threaded on the summary."""
    ours = token_address(summary)
    quoted = "\n".join(f"> {line}" for line in _summary_text(summary).splitlines()[:8])
    return crlf(
        f"From: {sender}\nTo: {to or ours}\nSubject: Re: {header(summary, 'Subject')}\n"
        f"Date: Mon, 2 Feb 2026 11:05:00 +0100\nMessage-ID: {message_id}\n"
        f"In-Reply-To: {header(summary, 'Message-ID')}\nReferences: {header(summary, 'Message-ID')}\n"
        f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n{extra_headers}\n"
        f"{body}\n\nLe lun. 2 févr. 2026 à 10:30, Passerelle factures <{ours}> a écrit :\n"
        f"{quoted}\n"
    )


def _summary_text(summary: Message) -> str:
    """The text part of a summary as the client quotes it."""
    for part in summary.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8", "replace")
    return ""


def header(message: Message, name: str) -> str:
    """A header's value unfolded: long Message-IDs are folded onto a continuation line."""
    value = message[name]
    return " ".join(str(value).split()) if value is not None else ""


def token_address(summary: Message) -> str:
    return parseaddr(str(summary["From"]))[1].lower()


def facturx_variant(pdf: bytes, replacements: dict[bytes, bytes]) -> bytes:
    """The same supplier's Factur-X invoice with other values in its XML (a later bill, a new IBAN)."""
    from facturx import generate_from_binary, get_facturx_xml_from_pdf

    _, xml = get_facturx_xml_from_pdf(pdf, check_xsd=False)
    for old, new in replacements.items():
        assert old in xml, old
        xml = xml.replace(old, new)
    return generate_from_binary(pdf, xml, check_xsd=False)


def swap_pdf(raw: bytes, old_pdf: bytes, new_pdf: bytes, words: dict[bytes, bytes]) -> bytes:
    """The same forward carrying another PDF, with its Message-ID and subject words changed too."""
    encoded = base64.encodebytes(old_pdf).replace(b"\n", b"\r\n")
    assert encoded in raw
    raw = raw.replace(encoded, base64.encodebytes(new_pdf).replace(b"\n", b"\r\n"))
    for old, new in words.items():
        assert old in raw, old
        raw = raw.replace(old, new)
    return raw
