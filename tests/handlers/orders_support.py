"""Order mails for the tests of the order conversation: the example of docs/orders.md, Cc or Bcc."""

from tests.helpers import GATEWAY_ADDRESS, STAFF, deliver, make_mail

CLIENT = "compta@acme.fr"
EXAMPLE_ORDER = """Bonjour,

Comme convenu, voici le récapitulatif de votre commande.

Client : ACME SAS — SIREN 732 829 320 — compta@acme.fr
Adresse : 12 rue de la Paix, 75002 Paris
Référence : BC-2026-114
Échéance : 30 jours
- 3 x Audit sécurité à 1 200,00 € HT, TVA 20 %
- 10 h Développement à 85 € HT
Acompte versé : 500 €

Cordialement,
Marie
"""


def order_mail(body: str = EXAMPLE_ORDER, bcc: bool = False, to: str = CLIENT, sender: str = STAFF, **headers) -> bytes:
    """The salesperson's mail to the client, the gateway in Cc (or only in the envelope: Bcc)."""
    cc = "" if bcc else f"Cc: {GATEWAY_ADDRESS}\r\n"
    return make_mail(sender=sender, to=to, subject="Votre commande BC-2026-114", body=body, extra_headers=cc, **headers)


def send_order(gateway, body: str = EXAMPLE_ORDER, bcc: bool = False, sender: str = STAFF, to: str = CLIENT, **envelope):
    return deliver(gateway, order_mail(body, bcc=bcc, sender=sender, to=to), envelope_from=sender, **envelope)


def answer_to(gateway, row, body: str, sender: str = STAFF):
    """Answer one of our mails through the token address it came from."""
    address = row.sender.rsplit("<", 1)[-1].rstrip(">")
    raw = make_mail(sender=sender, to=address, subject=f"Re: {row.subject}", body=body,
                    extra_headers=f"In-Reply-To: {row.message_id}\r\nReferences: {row.message_id}\r\n")
    return deliver(gateway, raw, recipients=(address,), envelope_from=sender)
