"""The bills the round-trip benchmark forwards: varied French text PDFs, each in a staff member's forward."""

import random
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP

from french_layouts import make_french_bill
from harness import DOMAIN

GATEWAY = f"factures@{DOMAIN}"
STAFF = [f"{name}@{DOMAIN}" for name in ("marie", "jean", "claire", "paul")]
NOTE = "Bonjour,\n\nFacture reçue ce matin, à saisir s'il vous plaît.\n\nBonne journée\n"


@dataclass(frozen=True)
class BillMail:
    """One forward, ready for SMTP DATA (dot-stuffed, ending with the lone dot)."""

    number: int
    sender: str
    message_id: str
    data: bytes
    pdf_size: int


def render_pdfs(count: int, seed: int) -> list[bytes]:
    """`count` different one-page French bills (random layouts, suppliers, numbers, amounts)."""
    from weasyprint import HTML

    rng = random.Random(seed)
    return [HTML(string=make_french_bill(rng)[0]).write_pdf() for _ in range(count)]


def forward(number: int, pdf: bytes, tag: str) -> BillMail:
    sender = STAFF[number % len(STAFF)]
    message_id = f"<{tag}.{number}@bench.{DOMAIN}>"
    message = EmailMessage(policy=SMTP)
    message["From"] = f"{sender.split('@')[0].title()} <{sender}>"
    message["To"] = GATEWAY
    message["Subject"] = f"TR: Facture fournisseur {number}"
    message["Date"] = "Mon, 2 Feb 2026 09:30:00 +0100"
    message["Message-ID"] = message_id
    message.set_content(NOTE)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"facture-{number}.pdf")
    raw = re.sub(rb"(?m)^\.", b"..", message.as_bytes())
    return BillMail(number, sender, message_id, raw + b".\r\n", len(pdf))


def bill_mails(count: int, seed: int, tag: str) -> list[BillMail]:
    return [forward(number, pdf, tag) for number, pdf in enumerate(render_pdfs(count, seed))]
