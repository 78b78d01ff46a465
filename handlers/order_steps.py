"""The steps of an order conversation, shared by the order mail and the answers to it: ask, approve, issue."""

from dataclasses import replace
from decimal import Decimal

from sqlalchemy import select

from clients.directory import filled_from, find_client, record_client
from gateway.approvals import APPROVED, approval_state, approval_threshold, role_of
from gateway.mailbox import Mailbox
from gateway.models import Decision, utcnow
from gateway.outbox_files import OutgoingFile
from gateway.tokens import issue_token, record_decision
from invoicing.issue import today_in
from invoicing.numbering import IssueDateError
from invoicing.payment_terms import PaymentTermsError
from invoicing.pdf_store import file_stem
from invoicing.request import RequestError
from invoicing.stored import IssueError
from ordering.checks import ReadyOrder, client_address_in, remaining_problems
from ordering.issuing import issue_order, preview
from ordering.models import OrderRecord
from receivables.collecting import collect_from
from orders.model import ClientDetails, OrderProblem, OrderReading
from orders.request_data import order_request_data

UNREAD_ORDER = OrderProblem("order", "", "Je n'ai pas su lire la commande : reprenez l'exemple de docs/orders.md.",
                            "the order could not be read")


def take_order(mailbox: Mailbox, record: OrderRecord, reading: OrderReading) -> None:
    """Take a read order as far as it goes: ask what is missing, ask the manager, or issue and send."""
    session, config = mailbox.session, mailbox.gateway.config
    order = reading.order
    if order is None:
        ask_for_data(mailbox, record, list(reading.problems) or [UNREAD_ORDER])
        return
    client = filled_from(order.client, find_client(session, order.client))
    client_email = client.email or client_address_in(record.written_to.splitlines(), config)
    problems = remaining_problems(reading.problems, client, client_email)
    ready = None
    if not problems:
        try:
            ready = ready_order(mailbox, replace(order, client=client), client_email)
        except (RequestError, PaymentTermsError) as error:
            problems = [OrderProblem("order", "", f"La facture ne peut pas être établie ainsi : {error}", str(error))]
    if problems:
        ask_for_data(mailbox, record, problems)
        return
    decisions = _decisions(mailbox, record, ready)
    record.request, record.total_incl_tax = ready.to_json(), str(ready.total_incl_tax)
    state = approval_state(decisions, ready.total_incl_tax, approval_threshold(config))
    if state.state == "awaiting":
        ask_manager(mailbox, record, ready)
        return
    issue_and_send(mailbox, record, ready)


def ready_order(mailbox: Mailbox, order, client_email: str) -> ReadyOrder:
    config = mailbox.gateway.config
    data = order_request_data(order, company_is_franchise=config.company.vat_franchise)
    data["buyer"] = {**data["buyer"], "email": client_email}
    document = preview(config, data, today_in(config))
    return ReadyOrder(data, client_email, order.deposit_paid, tuple(order.deposit_numbers), document.total_incl_tax)


def record_order_sender(mailbox: Mailbox, record: OrderRecord) -> None:
    """The salesperson who sends an order approves it; the manager's own order needs nobody else."""
    mail, sender = mailbox.mail, mailbox.parsed.sender
    role = role_of(sender, mailbox.gateway.config.mail.manager)
    record_decision(mailbox.session, "order", record.id, APPROVED, sender, role, mail.auth_verdict,
                    mail.auth_domain, mail.message_id, mail.id)


def ask_for_data(mailbox: Mailbox, record: OrderRecord, problems: list[OrderProblem]) -> None:
    """To the salesperson only, from an address of their own: exactly what is missing."""
    record.status = "awaiting_data"
    token = issue_token(mailbox.session, "order", record.id, record.salesperson, purpose="completion")
    mailbox.send_to(record.salesperson, "order_incomplete", token=token, in_thread=True, order_id=record.id,
                    problems=problems)
    mailbox.reason = f"order {record.id}: {len(problems)} thing(s) missing, asked to {record.salesperson}"


def ask_manager(mailbox: Mailbox, record: OrderRecord, ready: ReadyOrder) -> None:
    config = mailbox.gateway.config
    record.status = "awaiting_manager"
    token = issue_token(mailbox.session, "order", record.id, config.mail.manager)
    summary = _summary(ready)
    mailbox.send_to(config.mail.manager, "order_approval", token=token, order_id=record.id,
                    salesperson=record.salesperson, threshold=config.manager_threshold, **summary)
    mailbox.send_to(record.salesperson, "order_awaiting_approval", in_thread=True, order_id=record.id,
                    manager=config.mail.manager, threshold=config.manager_threshold, **summary)
    mailbox.reason = f"order {record.id}: {ready.total_incl_tax} TTC above the threshold, manager asked"


def issue_and_send(mailbox: Mailbox, record: OrderRecord, ready: ReadyOrder) -> None:
    """Number the invoice in this mail's transaction and send it to the client, the salesperson in Cc."""
    session, config = mailbox.session, mailbox.gateway.config
    try:
        issued = issue_order(session, config, ready.request, ready.deposit_paid, ready.deposit_numbers, today_in(config))
    except (RequestError, IssueError, IssueDateError) as error:
        # Nothing was numbered (the savepoint took it back): the salesperson says how to go on.
        ask_for_data(mailbox, record, [OrderProblem("order", "", f"La facture n'a pas pu être émise : {error}", str(error))])
        return
    client, changes = record_client(session, _client_of(ready.request["buyer"]))
    numbers = [number for number in (issued.deposit_number, issued.number) if number]
    files = [OutgoingFile(filename=f"{file_stem(number)}.pdf", invoice_number=number) for number in numbers]
    document = issued.document
    row = mailbox.send_to(ready.client_email, "invoice_sent", cc=[record.salesperson], attachments=files,
                          document=document, deposit_number=issued.deposit_number, deducted=list(issued.deducted),
                          due_date=document.due_date.strftime("%d/%m/%Y") if document.due_date else "",
                          company=config.company)
    _thread_to_order(row, record)
    collect_from(session, issued, row.message_id, record.salesperson, ready.deposit_paid, today_in(config),
                 config.accounting)
    # A field the directory did not have yet is no news; a name, SIREN or address replaced is.
    replaced = [change for change in changes if change.before]
    if replaced:
        note = mailbox.send_to(record.salesperson, "order_client_changed", client_name=client.name,
                               changes=replaced, number=issued.number)
        _thread_to_order(note, record)
    record.status, record.client_id, record.decided_at = "issued", client.id, utcnow()
    record.invoice_number, record.deposit_number = issued.number, issued.deposit_number
    mailbox.reason = f"order {record.id}: invoice {issued.number} sent to {ready.client_email}"


def _thread_to_order(row, record: OrderRecord) -> None:
    # Mail sent after an answer or an approval still belongs to the order's own thread.
    if record.message_id:
        row.in_reply_to, row.references = record.message_id, record.message_id


def _decisions(mailbox: Mailbox, record: OrderRecord, ready: ReadyOrder) -> list[Decision]:
    """The decisions that still hold: an OK given for another total does not carry over to this one."""
    query = select(Decision).where(Decision.object_kind == "order", Decision.object_id == record.id)
    decisions = list(mailbox.session.scalars(query))
    if record.total_incl_tax and Decimal(record.total_incl_tax) != ready.total_incl_tax:
        # The order's own mail still counts as its sender's decision; later answers were about the old total.
        decisions = [decision for decision in decisions if decision.mail_id == record.mail_id]
    return decisions


def _summary(ready: ReadyOrder) -> dict:
    buyer = ready.request["buyer"]
    return {"client_name": buyer.get("name", ""), "client_email": ready.client_email,
            "total_incl_tax": ready.total_incl_tax, "lines": ready.request.get("lines", []),
            "purchase_order": ready.request.get("purchase_order", ""), "deposit_paid": ready.deposit_paid}


def _client_of(buyer: dict) -> ClientDetails:
    address = buyer.get("address") or ()
    return ClientDetails(
        name=buyer.get("name", ""), siren=buyer.get("siren", ""), siret=buyer.get("siret", ""),
        vat_number=buyer.get("vat_number", ""), email=buyer.get("email", ""),
        address=tuple(address.splitlines()) if isinstance(address, str) else tuple(address),
        postcode=buyer.get("postcode", ""), city=buyer.get("city", ""), country=buyer.get("country", "FR"),
        is_business=not buyer.get("consumer", False),
    )
