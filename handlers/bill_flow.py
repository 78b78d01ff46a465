"""What both bill conversations do to a bill: ask about it, validate it, close it; mail goes to its reviewer."""

from sqlalchemy import select

from bills.booking import book, booking_problem
from bills.models import ReceivedBill
from bills.review import Review, review_bill
from bills.suppliers import learn_from_validation
from bills.summary_view import money, summary_values
from gateway.addresses import same_address
from gateway.mailbox import Mailbox
from gateway.models import ReplyToken, utcnow
from gateway.tokens import hash_token, issue_token, record_decision


def tell(mailbox: Mailbox, row: ReceivedBill, template: str, token: str | None = None, **values):
    """Write to the bill's reviewer: as an answer in the thread of the mail being handled when it
    is theirs (a forward, a reply), else as a new thread (a supplier's direct send, a manager's OK)."""
    values = dict(bill=row, total=money(row.total_incl_tax, row.currency), **values)
    if same_address(mailbox.parsed.sender, row.reviewer):
        return mailbox.reply(template, token=token, to=row.reviewer, **values)
    return mailbox.send_to(row.reviewer, template, token=token, **values)


def ask_about(mailbox: Mailbox, row: ReceivedBill, review: Review, others: list[str] = (), position: str = "",
              notice: str = ""):
    """Send the summary from a fresh token address; answers through older summaries stop counting."""
    token = issue_token(mailbox.session, "bill", row.id, row.reviewer, purpose="review")
    row.review_token_id = mailbox.session.scalar(
        select(ReplyToken.id).where(ReplyToken.token_hash == hash_token(token)))
    values = summary_values(row, review, mailbox.gateway.config.timezone, list(others), position)
    return tell(mailbox, row, "bill_summary", token=token, notice=notice, **values)


def validate(mailbox: Mailbox, row: ReceivedBill) -> None:
    """Book the bill and teach its supplier, in the transaction that carries the decision."""
    config = mailbox.gateway.config
    row.status, row.decided_at = "validated", utcnow()
    book(mailbox.session, row, config.accounting)
    learn_from_validation(mailbox.session, row, config.bills)


def auto_validate(mailbox: Mailbox, row: ReceivedBill) -> None:
    """A trusted supplier's clean bill: validated with the gateway as the recorded decider, and a notice."""
    mail = mailbox.mail
    record_decision(mailbox.session, "bill", row.id, "approved", actor=mailbox.gateway.config.gateway_addresses[0],
                    role="system", auth_verdict=mail.auth_verdict, auth_domain=mail.auth_domain,
                    message_id=mail.message_id, mail_id=mail.id)
    validate(mailbox, row)
    tell(mailbox, row, "bill_auto_validated")


def close_as_duplicate(mailbox: Mailbox, row: ReceivedBill, earlier: ReceivedBill | None, reason: str) -> None:
    row.status, row.decided_at, row.status_reason = "duplicate", utcnow(), reason
    row.duplicate_of_bill_id = earlier.id if earlier is not None else row.duplicate_of_bill_id
    tell(mailbox, row, "bill_duplicate_closed", earlier=earlier, reason=reason)


def settle_new_bill(mailbox: Mailbox, row: ReceivedBill, others: list[str], position: str) -> str:
    """Decide what happens to a bill just read: closed as a duplicate, validated alone, or asked
    about. Returns a word for the log."""
    config = mailbox.gateway.config
    review = review_bill(mailbox.session, row, config)
    if review.earlier is not None:
        row.duplicate_of_bill_id, row.duplicate_match = review.earlier.bill.id, review.earlier.ground
        if review.closes_as_duplicate:
            close_as_duplicate(mailbox, row, review.earlier.bill, f"automatic policy: same {review.earlier.ground}")
            return "duplicate closed"
        row.status = "awaiting_duplicate"
    elif not review.auto_validation_blockers() and booking_problem(row, config.accounting) is None:
        auto_validate(mailbox, row)
        return "auto-validated"
    ask_about(mailbox, row, review, others, position)
    return "summary sent"
