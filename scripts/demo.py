"""`make demo`: plays the user scenarios against a running embedded gateway and prints the mail exchanged."""

import argparse
import email
import smtplib
import sys
import time
import uuid
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from sqlalchemy import select

from gateway.app import open_gateway
from gateway.config import ConfigError, load_config
from gateway.models import Mail, Outbox

SAMPLE_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def scenarios(domain: str, gateway_address: str) -> list[tuple[str, str, EmailMessage]]:
    """(title, envelope sender, message) for each thing a user of the demo company might do."""
    staff = f"marie@{domain}"

    def message(sender: str, to: str, subject: str, body: str, **headers) -> EmailMessage:
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = sender, to, subject
        mail["Message-ID"] = f"<demo-{uuid.uuid4().hex}@{domain}>"
        for name, value in headers.items():
            mail[name.replace("_", "-")] = value
        mail.set_content(body)
        return mail

    bill = message(staff, gateway_address, "TR: Facture F-2026-114", "Bonjour, voici la facture du fournisseur.\n")
    bill.add_attachment(SAMPLE_PDF, maintype="application", subtype="pdf", filename="facture-F-2026-114.pdf")
    order = message(staff, "compta@acme.example", "Confirmation de commande BC-2026-114",
                    "Client : ACME SAS\n- 3 x Audit sécurité à 1 200,00 € HT, TVA 20 %\n")
    return [
        ("Un salarié demande de l'aide", staff, message(staff, gateway_address, "AIDE", "AIDE\n")),
        ("Un salarié transfère une facture fournisseur", staff, bill),
        ("Un commercial met la passerelle en Cci d'une commande", staff, order),
        ("Une lettre d'information arrive", staff,
         message("news@fournisseur.example", gateway_address, "Nos offres de décembre", "Achetez !\n",
                 List_Id="<offres.fournisseur.example>", Precedence="bulk")),
        ("Un répondeur d'absence répond", staff,
         message(staff, gateway_address, "Réponse automatique : absent du bureau", "Je suis absente.\n",
                 Auto_Submitted="auto-replied")),
    ]


def send(host: str, port: int, envelope_from: str, recipients: list[str], mail: EmailMessage) -> str:
    with smtplib.SMTP(host, port, timeout=30) as client:
        client.send_message(mail, from_addr=envelope_from, to_addrs=recipients)
        return "250"


def wait_for_outcome(gateway, message_id: str, timeout: float = 30.0) -> tuple[Mail | None, list[Outbox]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with gateway.database.sessions() as session:
            mail = session.scalars(select(Mail).where(Mail.message_id == message_id)).first()
            if mail is not None and mail.status not in ("pending", "processing"):
                outbox = session.scalars(select(Outbox).where(Outbox.mail_id == mail.id)).all()
                if all(row.status != "pending" for row in outbox):
                    return mail, list(outbox)
        time.sleep(0.2)
    return None, []


def print_reply(row: Outbox) -> None:
    path = Path(row.delivered_as)
    reply = email.message_from_bytes(path.read_bytes(), policy=default) if path.exists() else None
    print(f"  ← réponse à {', '.join(row.recipients)} : {row.subject}  [{path.name}]")
    body = reply.get_body(("plain",)).get_content() if reply else row.body_text
    for line in body.strip().splitlines():
        print(f"    | {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", default="config/demo.toml")
    arguments = parser.parse_args()
    try:
        config = load_config(arguments.config)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    host, port = config.listen_host_port
    gateway = open_gateway(config, migrate=False)
    gateway_address = config.gateway_addresses[0]
    for title, envelope_from, mail in scenarios(config.mail.domains[0], gateway_address):
        print(f"\n=== {title}")
        print(f"  → {mail['From']} à {mail['To']} : {mail['Subject']}")
        try:
            send(host, port, envelope_from, [gateway_address], mail)
        except OSError as error:
            print(f"  ! the gateway does not answer on {host}:{port} ({error}); start it with `make run`")
            return 1
        stored, replies = wait_for_outcome(gateway, mail["Message-ID"])
        if stored is None:
            print("  ! no outcome within 30 s (is the worker running?)")
            continue
        print(f"  état : {stored.status} ({stored.reason})")
        for row in replies:
            print_reply(row)
        if not replies:
            print("  (aucune réponse : la passerelle ne répond jamais à un tel message)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
