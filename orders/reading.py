"""Read an order from a mail (text and attachments), and complete it with the salesperson's answer."""

from collections.abc import Sequence
from datetime import date

from gateway.parsed import Attachment
from orders.assemble import assemble
from orders.attachments import read_attachments
from orders.block import read_text
from orders.draft import Draft
from orders.model import OrderProblem, OrderReading


def read_order(text: str, attachments: Sequence[Attachment], today: date, *,
               company_is_franchise: bool = False) -> OrderReading:
    """The order of a mail: its text (the salesperson's own reply text) and its CSV or JSON attachments.

    `today` is the expected issue date: written due dates become « N jours » from it and the legal
    cap of the payment term is checked against it. A company in the VAT franchise has no VAT case
    to decide, so no VAT problem is raised for it.
    """
    return assemble(read_draft(text, attachments), today, company_is_franchise)


def complete_order(original_text: str, reply_text: str, attachments: Sequence[Attachment], today: date, *,
                   original_attachments: Sequence[Attachment] = (), company_is_franchise: bool = False) -> OrderReading:
    """The original order completed by the answer to the « missing data » mail (rules in docs/orders.md).

    Every field the answer gives replaces the original's; the original's lines that were quoted as
    wrong (unreadable, zero or negative) are dropped and the answer's lines are added after the
    others, except those that repeat a line already kept. `attachments` are the answer's; the
    original mail's order files are `original_attachments`.
    """
    original = read_draft(original_text, original_attachments)
    answer = read_draft(reply_text, attachments)
    # The original was an order: the answer completes it even without any order label of its own.
    merged = Draft(fields={**original.fields, **answer.fields}, source=original.source or answer.source,
                   problems=(original.problems if not answer.items else []) + answer.problems, structured=True)
    if "deposit_numbers" in original.fields and "deposit_numbers" in answer.fields:
        merged.fields["deposit_numbers"] = original.fields["deposit_numbers"] + "\n" + answer.fields["deposit_numbers"]
    kept = [item for item in original.items if item.usable]
    merged.items = kept + [item for item in answer.items if item.line is None or item.line not in
                           {old.line for old in kept}]
    return assemble(merged, today, company_is_franchise)


def read_draft(text: str, attachments: Sequence[Attachment]) -> Draft:
    """One draft from the text and the order files: the text's fields first, the files' lines first."""
    draft = read_text(text)
    files = read_attachments(attachments)
    if not files:
        return draft
    merged = Draft(fields=dict(draft.fields), order_labels=set(draft.order_labels), problems=list(draft.problems),
                   source=files[0].source, structured=True)
    for file in files:
        for name, value in file.fields.items():
            merged.set(name, value)
        merged.items.extend(file.items)
        merged.problems.extend(file.problems)
    file_lines = {item.line for item in merged.items}
    if not merged.items:
        # A file with the client only: the lines are those of the text, which says where they come from.
        merged.items, merged.source = list(draft.items), draft.source
    elif any(item.line not in file_lines for item in draft.items):
        merged.problems.append(OrderProblem(
            "lines", "", "Des lignes sont à la fois dans le texte du message et dans la pièce jointe : gardez-les à "
            "un seul endroit pour éviter de les facturer deux fois.", "Item lines are both in the mail's text and in "
            "the attachment: keep them in one place so that nothing is invoiced twice."))
        merged.items = draft.items + merged.items
    return merged
