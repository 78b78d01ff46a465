"""`make demo`: plays the user scenarios against a running embedded gateway and prints the mail exchanged."""

import argparse
import email
import smtplib
import subprocess
import sys
import time
import uuid
from datetime import date, datetime
from datetime import time as clock_time
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from sqlalchemy import func, select

from gateway.app import open_gateway
from gateway.compose import sender_address
from gateway.config import ConfigError, load_config
from gateway.models import Mail, Outbox
from receivables.ladder import ladder_for, step_date
from receivables.models import Receivable

ROOT = Path(__file__).resolve().parents[1]
DEMO_BILL = ROOT / "config" / "examples" / "bill-papeterie.pdf"
# The order of docs/orders.md, as a salesperson confirms it to the client with the gateway in Cc.
ORDER = ROOT / "config" / "examples" / "order.txt"


class GatewayUnreachable(Exception):
    pass


class Demo:
    """Sends each scenario's mail over SMTP, waits for its outcome and prints what came back."""

    def __init__(self, config, config_path: str):
        self.config, self.config_path = config, config_path
        self.gateway = open_gateway(config, migrate=False)
        self.host, self.port = config.listen_host_port
        self.domain = config.mail.domains[0]
        self.address = config.gateway_addresses[0]
        self.staff = f"marie@{self.domain}"

    def message(self, sender: str, to: str, subject: str, body: str, **headers) -> EmailMessage:
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = sender, to, subject
        mail["Message-ID"] = f"<demo-{uuid.uuid4().hex}@{self.domain}>"
        for name, value in headers.items():
            mail[name.replace("_", "-")] = value
        mail.set_content(body)
        return mail

    def play(self, title: str, mail: EmailMessage, recipients: list[str] | None = None) -> list[Outbox]:
        print(f"\n=== {title}")
        print(f"  → {mail['From']} à {mail['To']}{' (Cc ' + mail['Cc'] + ')' if mail['Cc'] else ''} : {mail['Subject']}")
        envelope_from = email.utils.parseaddr(mail["From"])[1]
        try:
            with smtplib.SMTP(self.host, self.port, timeout=30) as client:
                client.send_message(mail, from_addr=envelope_from, to_addrs=recipients or [self.address])
        except OSError as error:
            raise GatewayUnreachable(f"the gateway does not answer on {self.host}:{self.port} ({error}); "
                                     "start it with `make run`") from error
        stored, rows = self.wait_for_outcome(mail["Message-ID"])
        if stored is None:
            print("  ! no outcome within 60 s (is the worker running?)")
            return []
        print(f"  état : {stored.status} ({stored.reason})")
        for row in rows:
            print_mail(row)
        if not rows:
            print("  (aucune réponse : la passerelle ne répond jamais à un tel message)")
        return rows

    def answer(self, title: str, row: Outbox | None, sender: str, body: str) -> list[Outbox]:
        """Reply to one of the gateway's mails, as a mail client does: to its From, in its thread."""
        if row is None:
            print(f"\n=== {title}\n  ! the mail to answer was not sent")
            return []
        mail = self.message(sender, sender_address(row), f"RE: {row.subject}", body,
                            In_Reply_To=row.message_id, References=row.message_id)
        return self.play(title, mail, [sender_address(row)])

    def wait_for_outcome(self, message_id: str, timeout: float = 60.0) -> tuple[Mail | None, list[Outbox]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.gateway.database.sessions() as session:
                mail = session.scalars(select(Mail).where(Mail.message_id == message_id)).first()
                if mail is not None and mail.status not in ("pending", "processing"):
                    outbox = session.scalars(select(Outbox).where(Outbox.mail_id == mail.id).order_by(Outbox.id)).all()
                    if all(row.status != "pending" for row in outbox):
                        return mail, list(outbox)
            time.sleep(0.2)
        return None, []

    def tick(self, moment: datetime) -> None:
        """Move the clock: run `invoice-gateway tick --now` and print the mails it wrote."""
        with self.gateway.database.sessions() as session:
            last_id = session.scalar(select(func.max(Outbox.id))) or 0
        command = [sys.executable, "-m", "gateway", "--config", self.config_path, "tick", "--now", moment.isoformat()]
        print(f"\n=== Le temps passe : nous sommes le {moment:%d/%m/%Y à %H:%M}\n  $ invoice-gateway tick --now {moment.isoformat()}")
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        lines = (result.stdout or result.stderr).strip().splitlines()
        print("  " + "\n  ".join(line for line in lines if line.startswith(("reminders", "accounting", "outbox"))))
        with self.gateway.database.sessions() as session:
            for row in session.scalars(select(Outbox).where(Outbox.id > last_id).order_by(Outbox.id)):
                print_mail(row)

    def export_fec(self) -> None:
        year = date.today().year
        output = Path(self.config.storage.var_dir) / "exports" / f"ecritures-{year}.txt"
        output.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "gateway", "--config", self.config_path, "export", "--format", "fec",
                   "--from", f"{year}-01-01", "--to", f"{year}-12-31", "--output", str(output)]
        print(f"\n=== Le cabinet comptable reçoit les écritures\n  $ invoice-gateway export --format fec … --output {output}")
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        print("  " + (result.stdout or result.stderr).strip().replace("\n", "\n  "))
        if output.exists():
            for line in output.read_text(encoding=self.config.accounting.fec_encoding).splitlines()[:8]:
                print(f"    | {line}")


def print_mail(row: Outbox) -> None:
    path = Path(row.delivered_as)
    message = email.message_from_bytes(path.read_bytes(), policy=default) if path.exists() else None
    arrow = "réponse à" if row.kind == "reply" else "envoi à"
    copies = f" (Cc {', '.join(row.cc)})" if row.cc else ""
    print(f"  ← {arrow} {', '.join(row.recipients)}{copies} : {row.subject}  [{path.name or row.status}]")
    body = message.get_body(("plain",)).get_content() if message else row.body_text
    for line in body.strip().splitlines():
        print(f"    | {line}")
    for part in message.iter_attachments() if message else ():
        print(f"    📎 {part.get_filename()} ({len(part.get_payload(decode=True)):,} octets)".replace(",", " "))


def first(rows: list[Outbox], template: str) -> Outbox | None:
    return next((row for row in rows if row.template == template), None)


def scenarios(demo: Demo) -> None:
    staff, manager = demo.staff, demo.config.mail.manager
    demo.play("Un salarié demande de l'aide", demo.message(staff, demo.address, "AIDE", "AIDE\n"))

    bill = demo.message(staff, demo.address, "TR: Facture PC-2026-0457",
                        "Bonjour, voici la facture de la papeterie.\nMarie\n")
    bill.add_attachment(DEMO_BILL.read_bytes(), maintype="application", subtype="pdf", filename=DEMO_BILL.name)
    rows = demo.play("Un salarié transfère une facture fournisseur", bill)
    demo.answer("Il répond OK au résumé", first(rows, "bill_summary"), staff, "OK merci\n")
    demo.export_fec()

    order = demo.message(staff, "ACME SAS <compta@acme.fr>", "Confirmation de votre commande BC-2026-114",
                         ORDER.read_text(encoding="utf-8"), Cc=demo.address)
    rows = demo.play("Un commercial met la passerelle en copie d'une commande", order, ["compta@acme.fr", demo.address])
    # Above the approval threshold (5 000 € TTC in the demo), the manager's OK issues the invoice.
    if (request := first(rows, "order_approval")) is not None:
        demo.answer("La direction valide la commande", request, manager, "OK\n")

    chase_payment(demo, staff)
    accountant_answers(demo)

    demo.play("Une lettre d'information arrive", demo.message(
        "news@fournisseur.example", demo.address, "Nos offres de décembre", "Achetez !\n",
        List_Id="<offres.fournisseur.example>", Precedence="bulk"))
    demo.play("Un répondeur d'absence répond", demo.message(
        staff, demo.address, "Réponse automatique : absent du bureau", "Je suis absente.\n", Auto_Submitted="auto-replied"))


def chase_payment(demo: Demo, staff: str) -> None:
    """The invoice just sent is not paid: the clock moves through the ladder, then PAYÉ stops it."""
    with demo.gateway.database.sessions() as session:
        receivable = session.scalars(select(Receivable).where(Receivable.state == "open")
                                     .order_by(Receivable.id.desc())).first()
    if receivable is None:
        print("\n=== Relances\n  ! no open invoice to chase")
        return
    zone = demo.config.timezone
    for step in ladder_for(demo.config.reminders, receivable.client_email, receivable.client_siren):
        day = step_date(step, receivable.due_date)
        demo.tick(datetime.combine(day, clock_time(10, 0), tzinfo=zone))
    demo.play("Le client a payé : le commercial l'écrit à la passerelle",
              demo.message(staff, demo.address, "Paiement reçu", f"PAYÉ {receivable.number}\n"))


def accountant_answers(demo: Demo) -> None:
    """The ticks of the ladder went past a month's end: the accountant got that month's mail and answers it."""
    accountant = demo.config.mail.accountant
    with demo.gateway.database.sessions() as session:
        # The first month mailed holds the bill of the papeterie.
        monthly = session.scalars(select(Outbox).where(Outbox.template == "accountant_monthly")
                                  .order_by(Outbox.id)).first()
    if monthly is None or not accountant:
        print("\n=== Le cabinet comptable\n  ! no monthly mail was written (is mail.accountant set?)")
        return
    demo.answer("Le cabinet comptable reclasse la facture de la papeterie et répond OK pour clôturer le mois", monthly, accountant,
                "Bonjour,\n\nPC-2026-0457 compte 6063\nOK\n\nCordialement,\nLe cabinet\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", default="config/demo.toml")
    arguments = parser.parse_args()
    try:
        config = load_config(arguments.config)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    demo = Demo(config, arguments.config)
    try:
        scenarios(demo)
    except GatewayUnreachable as error:
        print(f"  ! {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
