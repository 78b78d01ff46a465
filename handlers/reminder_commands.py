"""PAYÉ, PAUSE, REPRENDRE, STOP, RELANCE and MISE EN DEMEURE written to the gateway: the manager steers the reminders.

PAYÉ is open to staff and the manager; the others to the manager, and to staff when
`reminders.staff_commands` is set. One mail may carry several lines; each is answered.
"""

from functools import lru_cache

from gateway.addresses import is_manager
from gateway.commands import parse_commands
from gateway.mailbox import Mailbox
from gateway.outbox_files import OutgoingFile
from handlers.credit_notes import may_credit
from invoicing.issue import today_in
from receivables.formal_notice import FormalNoticeRenderer, notice_filename
from receivables.notices import formal_notice_for
from receivables.steering import (
    Outcome,
    find_targets,
    pause_invoices,
    record_payment,
    remind_invoices,
    resume_invoices,
    stop_invoices,
)
from receivables.thanks import thank_client

REMINDER_COMMANDS = {"paid", "pause", "resume", "stop", "remind", "formal_notice"}


@lru_cache(maxsize=1)
def notice_renderer() -> FormalNoticeRenderer:
    # Loading WeasyPrint's fonts and the stylesheet takes a second: once per process.
    return FormalNoticeRenderer()


def steer_from_mail(mailbox: Mailbox) -> None:
    config, parsed, session = mailbox.gateway.config, mailbox.parsed, mailbox.session
    text = parsed.reply_text if parsed.reply_text.strip() else parsed.subject
    commands = parse_commands(text, allowed=REMINDER_COMMANDS)
    may_steer = is_manager(parsed.sender, config) or (config.reminders.staff_commands and may_credit(parsed.sender, config))
    today, mail_id = today_in(config), mailbox.mail.id
    payments, lines, files = [], [], []
    for command in commands.commands:
        if command.name == "paid":
            if not may_credit(parsed.sender, config):
                lines.append(Outcome(False, "Seuls les commerciaux et la direction peuvent enregistrer un paiement.",
                                     "only staff and the manager record payments"))
                continue
            result, receivable = record_payment(session, command.args.get("reference", ""), command.args.get("amount"),
                                                command.args.get("date", today), "command", parsed.sender, mail_id,
                                                accounting=config.accounting)
            thanked = receivable is not None and result.state in {"paid", "overpaid"} and thank_client(mailbox, receivable, result.amount)
            payments.append((result, thanked))
            continue
        if not may_steer:
            lines.append(Outcome(False, f"« {command.line} » : seule la direction peut piloter les relances.",
                                 f"{parsed.sender} may not steer reminders"))
            continue
        found, problem = find_targets(session, command.args, parsed.answered_ids)
        if problem:
            lines.append(problem)
            continue
        lines += _steer(mailbox, command, found, today, files)
    lines += [Outcome(False, unread.french, unread.english) for unread in commands.unread]
    if payments:
        mailbox.reply("payment_recorded", results=[result for result, _ in payments],
                      thanks_sent=any(thanked for _, thanked in payments))
    if lines or not payments:
        mailbox.reply("reminders_command_done", lines=lines or [Outcome(False, "Je n'ai trouvé aucune commande.", "no command")],
                      formal_notice=bool(files), attachments=files)
    refused = sum(not line.ok for line in lines) + sum(result.state == "refused" for result, _ in payments)
    mailbox.reason = f"reminder commands: {len(lines) + len(payments) - refused} applied, {refused} refused"


def _steer(mailbox: Mailbox, command, found, today, files: list[OutgoingFile]) -> list[Outcome]:
    session, config, mail_id = mailbox.session, mailbox.gateway.config, mailbox.mail.id
    if command.name == "pause":
        return pause_invoices(session, config, found, command.args, today, mail_id)
    if command.name == "resume":
        return resume_invoices(session, config, found, today, mail_id)
    if command.name == "stop":
        return stop_invoices(session, found, today, mail_id)
    if command.name == "remind":
        return remind_invoices(session, config, found, command.args.get("days", 0), today, mail_id)
    notice = formal_notice_for(session, config, found, today)
    if notice is None:
        return [Outcome(False, "Aucune de ces factures n'est échue : pas de mise en demeure.", "nothing overdue")]
    files.append(OutgoingFile(filename=notice_filename(notice), content_type="application/pdf",
                              data=notice_renderer().render_pdf(notice)))
    # A formal notice opens the legal route: the friendly automatic reminders stop there.
    stop_invoices(session, found, today, mail_id, why="Mise en demeure préparée")
    numbers = ", ".join(invoice.number for invoice in notice.invoices)
    return [Outcome(True, f"Mise en demeure pour {numbers} jointe ; relances automatiques arrêtées.",
                    f"Formal notice for {numbers} attached; automatic reminders stopped.")]
