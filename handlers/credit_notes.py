"""AVOIR FA2026-0012 [montant HT|TTC] [motif] written to the gateway: a credit note issued and sent to the client."""

from dataclasses import replace

from sqlalchemy import select

from gateway.addresses import is_known_sender, is_manager
from gateway.commands import parse_commands
from gateway.mailbox import Mailbox
from gateway.models import Outbox, OutboxAttachment
from gateway.outbox_files import OutgoingFile
from invoicing.credit import credit_invoice_in
from invoicing.issue import today_in
from invoicing.numbering import IssueDateError
from invoicing.pdf_store import file_stem
from invoicing.request import RequestError
from invoicing.stored import IssueError, find_invoice, stored_document


def may_credit(sender: str, config) -> bool:
    """Staff and the manager correct invoices; the accountant alone, who only reads the books, does not."""
    if is_manager(sender, config):
        return True
    staff_only = replace(config, mail=replace(config.mail, manager="", accountant=""))
    return is_known_sender(sender, staff_only)


def credit_from_mail(mailbox: Mailbox) -> None:
    """Issue the credit note the first line asks for, in this mail's transaction, or say why not."""
    config, parsed = mailbox.gateway.config, mailbox.parsed
    if not may_credit(parsed.sender, config):
        refuse(mailbox, "Seuls les commerciaux et la direction peuvent demander un avoir.",
               f"{parsed.sender} may not ask for credit notes")
        return
    text = parsed.reply_text if parsed.reply_text.strip() else parsed.subject
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    commands = parse_commands(first_line, allowed={"credit"})
    command = commands.first("credit")
    if command is None:
        problem = commands.unread[0] if commands.unread else None
        refuse(mailbox, problem.french if problem else "Je n'ai pas su lire la demande d'avoir.",
               problem.english if problem else "credit: unreadable")
        return
    args = command.args
    try:
        # A savepoint: a refusal takes back the number, and the mail still gets its answer.
        with mailbox.session.begin_nested():
            number = credit_invoice_in(mailbox.session, config, args["reference"], amount=args.get("amount"),
                                       basis=args.get("basis", "TTC"), reason=args.get("reason", ""),
                                       today=today_in(config))
    except (IssueError, RequestError, IssueDateError) as error:
        refuse(mailbox, str(error).split(" / ")[0], str(error))
        return
    send_credit_note(mailbox, args["reference"], number)


def send_credit_note(mailbox: Mailbox, original_number: str, number: str) -> None:
    session, sender = mailbox.session, mailbox.parsed.sender
    credit = stored_document(find_invoice(session, number))
    client_email = find_invoice(session, original_number).buyer_email
    files = [OutgoingFile(filename=f"{file_stem(number)}.pdf", invoice_number=number)]
    values = {"document": credit, "original": original_number, "company": mailbox.gateway.config.company}
    if client_email:
        row = mailbox.send_to(client_email, "credit_note_sent", cc=[sender], attachments=files, **values)
        thread = _invoice_mail_of(session, original_number)
        if thread:
            row.in_reply_to, row.references = thread, thread
        mailbox.reply("credit_note_issued", client_email=client_email, **values)
    else:
        # Without an address the client cannot get it from us: the sender gets the PDF to pass on.
        mailbox.reply("credit_note_issued", client_email="", attachments=files, **values)
    mailbox.reason = f"credit note {number} for {original_number} sent to {client_email or sender}"


def refuse(mailbox: Mailbox, french: str, english: str) -> None:
    mailbox.reply("credit_note_refused", reason=french)
    mailbox.reason = f"credit note refused: {english}"


def _invoice_mail_of(session, number: str) -> str:
    """The Message-ID of the mail that sent invoice `number` to the client: the credit note follows it."""
    query = (select(Outbox.message_id).join(OutboxAttachment, OutboxAttachment.outbox_id == Outbox.id)
             .where(OutboxAttachment.invoice_number == number, Outbox.kind == "generated").order_by(Outbox.id))
    return session.scalars(query).first() or ""
