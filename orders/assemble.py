"""From the raw fields and item lines of an order to an Order and the list of what is missing or doubtful."""

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

from gateway.command_text import fold
from orders.client_read import read_client
from orders.draft import Draft
from orders.item_line import ItemRead
from orders.model import Order, OrderLine, OrderProblem, OrderReading
from orders.problems import line_problems, missing_client_problems
from orders.terms import read_order_date, read_terms
from orders.values import ValueProblem, read_nature, read_number, read_rate
from orders.vat_case import vat_problems


def assemble(draft: Draft, today: date, franchise: bool = False) -> OrderReading:
    """The order a draft describes, partial when something is missing, and the problems in reading order."""
    if not draft.found:
        return OrderReading(found=False, order=None, problems=(), source="")
    fields, problems = draft.fields, list(draft.problems)
    client, client_problems, business_known = read_client(fields)
    problems.extend(missing_client_problems(client, fields) + client_problems)
    items = _with_order_rate(draft.items, fields, problems)
    problems.extend(line_problems(items))
    lines = tuple(item.line for item in items if item.line is not None)
    operation = _operation(fields.get("operation", ""), lines, problems)
    if not franchise:
        numbered = [(number, item.line) for number, item in enumerate(items, start=1) if item.line]
        problems.extend(vat_problems(client, numbered, operation, business_known, bool(fields.get("operation"))))
    terms, due_date = "", None
    if fields.get("payment_terms"):
        terms, due_date, term_problems = read_terms(fields["payment_terms"], today, client.is_business)
        problems.extend(term_problems)
    sale_date = None
    if fields.get("sale_date"):
        sale_date, date_problems = read_order_date("sale_date", fields["sale_date"])
        problems.extend(date_problems)
    order = Order(
        client=client, lines=lines, reference=fields.get("reference", ""), payment_terms=terms, due_date=due_date,
        deposit_paid=_deposit_paid(fields.get("deposit_paid", ""), problems),
        deposit_numbers=tuple(fields.get("deposit_numbers", "").split()),
        delivery_address=tuple(part.strip() for part in re.split(r"[\n,]", fields.get("delivery_address", ""))
                               if part.strip()),
        sale_date=sale_date, notes=fields.get("notes", ""), operation=operation)
    return OrderReading(found=True, order=order, problems=tuple(problems), source=draft.source)


def _with_order_rate(items: list[ItemRead], fields: dict[str, str], problems: list[OrderProblem]) -> list[ItemRead]:
    """The order's own « TVA : 10 % » goes to the lines that name no rate."""
    if not fields.get("vat_rate"):
        return items
    try:
        rate = read_rate(fields["vat_rate"])
    except ValueProblem as error:
        problems.append(OrderProblem("vat", fields["vat_rate"], error.french, error.english))
        return items
    return [replace(item, line=replace(item.line, vat_rate=rate)) if item.line and item.line.vat_rate is None else item
            for item in items]


def _operation(written: str, lines: tuple[OrderLine, ...], problems: list[OrderProblem]) -> str:
    """The operation written, else the one the lines' natures give, else "" (invoicing's default)."""
    if written:
        operation = read_nature(written)
        if operation:
            return operation
        problems.append(OrderProblem("operation", written, f"« {written} » : écrivez « Nature : biens », « services » "
                                     "ou « mixte ».", f"« {written} »: write « Nature: goods », « services » or « mixed »."))
    natures = {line.nature for line in lines if line.nature}
    if len(natures) == 2:
        return "mixed"
    return natures.pop() if natures else ""


def _deposit_paid(written: str, problems: list[OrderProblem]) -> Decimal | None:
    """The TTC amount already received; an amount written HT is refused (a deposit received is TTC)."""
    if not written:
        return None
    folded = fold(written)
    amount_text = re.sub(r"(?i)\b(ttc|t\.t\.c\.?|incl\.? vat)\b", "", written).strip(" .")
    try:
        if re.search(r"\b(ht|h\.t\.?|excl)\b", folded):
            raise ValueProblem("", "")
        amount = read_number(amount_text)
        if amount <= 0:
            raise ValueProblem("", "")
        return amount
    except ValueProblem:
        problems.append(OrderProblem(
            "deposit_paid", written, f"Je ne lis pas l'acompte « {written} » : écrivez le montant TTC déjà versé, par "
            "exemple « Acompte versé : 500,00 € ».", f"Unreadable deposit « {written} »: write the amount paid "
            "including VAT, for example « Deposit paid: 500.00 EUR »."))
        return None
