"""The thank-you mail a client receives when an invoice is fully paid (`reminders.thank_you`)."""

from decimal import Decimal

from gateway.mailbox import Mailbox
from invoicing.issue import today_in
from receivables.ledger import link_mail
from receivables.models import Receivable
from receivables.views import invoice_view


def thank_client(mailbox: Mailbox, receivable: Receivable, received: Decimal) -> bool:
    """Write the thank-you in the invoice's thread; False when switched off or the client has no address."""
    config = mailbox.gateway.config
    if not config.reminders.thank_you or not receivable.client_email:
        return False
    row = mailbox.send_to(receivable.client_email, "payment_thanks", company=config.company,
                          invoice=invoice_view(receivable, today_in(config)), received=received,
                          penalty=None, consumer=receivable.consumer, iban=config.company.iban, bic=config.company.bic)
    if receivable.thread_message_id:
        row.in_reply_to = row.references = receivable.thread_message_id
    link_mail(mailbox.session, receivable, row.message_id)
    return True
