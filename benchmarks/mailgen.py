"""Builds the invoice mails the benchmarks send (~85 KB, one PDF), encoded once for SMTP DATA."""

import os
import random
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP

from harness import DOMAIN, ROOT

CORPUS_PDFS = ROOT.parent / "shared" / "corpus" / "invoices" / "pdf-text"
STAFF = f"marie@{DOMAIN}"
GATEWAY = f"factures@{DOMAIN}"
# Replaced in the header block of each mail; the body is the same bytes for every mail.
MARK = "BENCHMARKNUMBER"
TEXT = """Bonjour,

Veuillez trouver ci-joint la facture du fournisseur pour le mois écoulé,
à régler sous trente jours. Merci de la saisir dans la comptabilité.

Bien cordialement,
Marie Dupont
Service comptabilité — Exemple SARL
"""


@dataclass(frozen=True)
class MailTemplate:
    """A mail split in two: a small unique header block and a shared, already dot-stuffed body."""

    head: bytes
    body: bytes
    tag: str

    def message_id(self, number: int) -> str:
        return f"<{self.tag}.{number}@bench.{DOMAIN}>"

    def data(self, number: int) -> tuple[bytes, bytes]:
        """The DATA bytes of mail `number`, ending with the lone dot: header block, then body."""
        return self.head.replace(MARK.encode(), f"{self.tag}.{number}".encode()), self.body

    @property
    def size(self) -> int:
        return len(self.head) + len(self.body)


def pick_pdf(target_size: int) -> bytes:
    """The largest corpus PDF whose mail stays under the target; a made-up one without corpus."""
    budget = target_size * 3 // 4 - 2_000
    candidates = sorted((p.stat().st_size, p) for p in CORPUS_PDFS.glob("*.pdf") if p.stat().st_size <= budget)
    if candidates:
        return candidates[-1][1].read_bytes()
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def padded(pdf: bytes, extra: int, seed: int) -> bytes:
    # Bytes after %%EOF are ignored by PDF readers; random ones keep the PDF incompressible.
    noise = random.Random(seed).randbytes(max(0, extra))
    return pdf + b"\n%" + noise.replace(b"\r", b" ").replace(b"\n", b" ")


def build_message(sender: str, pdf: bytes, tag: str) -> bytes:
    message = EmailMessage(policy=SMTP)
    message["From"] = f"Marie Dupont <{sender}>"
    message["To"] = GATEWAY
    message["Subject"] = f"TR: Facture fournisseur {MARK}"
    message["Date"] = "Mon, 24 Nov 2025 09:30:00 +0100"
    message["Message-ID"] = f"<{MARK}@bench.{DOMAIN}>"
    message.set_content(TEXT)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename="facture-fournisseur.pdf")
    return message.as_bytes()


def dot_stuffed(raw: bytes) -> bytes:
    raw = re.sub(rb"(?m)^\.", b"..", raw)
    return raw if raw.endswith(b"\r\n") else raw + b"\r\n"


def make_template(sender: str = STAFF, size_kb: float = 85, tag: str | None = None) -> MailTemplate:
    """A mail of about `size_kb` KiB from `sender`, its PDF padded with random bytes to reach it."""
    tag = tag or os.urandom(4).hex()
    target = int(size_kb * 1024)
    pdf = pick_pdf(target)
    raw = build_message(sender, pdf, tag)
    # Base64 with line breaks takes about 4/3 × 78/76 of the raw size; one correction pass is enough.
    pdf = padded(pdf, int((target - len(raw)) * 0.73), seed=len(pdf))
    raw = build_message(sender, pdf, tag)
    head, separator, rest = raw.partition(b"\r\n\r\n")
    return MailTemplate(head=head + separator, body=dot_stuffed(rest) + b".\r\n", tag=tag)
