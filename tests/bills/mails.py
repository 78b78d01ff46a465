"""Mails of the bill conversations for tests: forwards of corpus bills, answers to summaries."""

import re
import uuid
from email.message import EmailMessage
from pathlib import Path

from facturx import get_xml_from_pdf

from tests.helpers import CORPUS, GATEWAY_ADDRESS, STAFF, deliver, make_mail

NETPRESSE = CORPUS / "invoices" / "pdf-text" / "NetpresseInvoice.pdf"  # French text PDF, 56,02 € TTC
AKRETION = CORPUS / "invoices" / "facturx" / "akretion_invoice_EN16931.pdf"  # Factur-X, 104,90 € TTC
AKRETION_NUMBER, AKRETION_IBAN = "F20260023", "FR20 1254 2547 2569 8542 5874 698"
OTHER_IBAN = "FR7630006000011234567890189"


def akretion_xml(number: str = AKRETION_NUMBER, iban: str = AKRETION_IBAN) -> bytes:
    """The CII invoice embedded in the Factur-X sample, optionally with another number or IBAN."""
    _, xml = get_xml_from_pdf(AKRETION.read_bytes(), check_xsd=False)
    text = xml.decode("utf-8").replace(AKRETION_NUMBER, number).replace(AKRETION_IBAN, iban)
    return text.encode("utf-8")


def forward_message(files: list[tuple[str, bytes]], sender: str = STAFF, subject: str = "TR: Facture",
                    as_rfc822: bool = False) -> bytes:
    """A staff forward of a supplier's mail: inline (files attached to the forward) or as an attached message."""
    outer = EmailMessage()
    outer["From"], outer["To"], outer["Subject"] = f"Marie Durand <{sender}>", GATEWAY_ADDRESS, subject
    outer["Message-ID"] = f"<{uuid.uuid4().hex}@client.exemple.test>"
    outer["Date"] = "Thu, 26 Nov 2026 10:00:00 +0100"
    original = EmailMessage() if as_rfc822 else outer
    if as_rfc822:
        original["From"], original["To"] = "Compta Fournisseur <compta@fournisseur.fr>", sender
        original["Subject"], original["Date"] = "Votre facture", "Wed, 25 Nov 2026 09:00:00 +0100"
        original.set_content("Bonjour,\n\nVeuillez trouver votre facture ci-jointe.\n")
        outer.set_content("Bonjour,\n\nÀ traiter svp.\n")
    else:
        outer.set_content("Bonjour,\n\n---------- Message transféré ---------\nDe : Compta Fournisseur "
                          "<compta@fournisseur.fr>\nDate : mer. 25 nov. 2026 à 09:00\nObjet : Votre facture\n\n"
                          "Veuillez trouver votre facture ci-jointe.\n")
    for name, data in files:
        subtype = "pdf" if name.endswith(".pdf") else "xml"
        original.add_attachment(data, maintype="application", subtype=subtype, filename=name)
    if as_rfc822:
        outer.add_attachment(original)
    return outer.as_bytes()


def forward(gateway, *paths: Path, **options):
    return deliver(gateway, forward_message([(path.name, path.read_bytes()) for path in paths], **options))


def token_of(row) -> str:
    return re.search(r"factures\+([a-z2-7]{26})@", row.sender).group(1)


def answer(gateway, token: str, body: str, sender: str = STAFF, subject: str = "Re: TR: Facture"):
    address = f"factures+{token}@exemple.test"
    return deliver(gateway, make_mail(sender=sender, to=address, subject=subject, body=body),
                   recipients=(address,), envelope_from=sender)


def terms_pdf() -> bytes:
    """A short PDF of general terms of sale (CGV), as suppliers attach beside their bills."""
    from weasyprint import HTML

    html = ("<h1>Conditions générales de vente</h1><p>Article 1 – Objet. Les présentes conditions générales de "
            "vente s'appliquent à toutes les commandes.</p><p>Article 2 – Prix. Les prix sont indiqués en euros.</p>"
            "<p>Article 3 – Paiement. Pénalités de retard : trois fois le taux d'intérêt légal.</p>")
    return HTML(string=html).write_pdf()


# A supplier that sends its bills itself, as invoicing platforms do.
SUPPLIER = "factures@fournisseur.fr"


def supplier_mail(headers: dict[str, str] | None = None, with_bill: bool = True) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = f"Fournisseur <{SUPPLIER}>", "factures@exemple.test", "Facture"
    message["Message-ID"] = f"<{uuid.uuid4().hex}@fournisseur.fr>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content("Bonjour,\n\nVotre facture est jointe.\n")
    if with_bill:
        message.add_attachment(NETPRESSE.read_bytes(), maintype="application", subtype="pdf", filename=NETPRESSE.name)
    return message.as_bytes()
