"""Order files attached to the mail: a CSV (« ; » or « , ») or a JSON object (schema in docs/orders.md)."""

import csv
import io
import json
from decimal import Decimal
from collections.abc import Sequence

from gateway.parsed import Attachment
from orders.columns import header_columns, row_item
from orders.draft import Draft, add_labelled
from orders.json_order import read_json_order
from orders.labels import match_label
from orders.model import OrderProblem

# Order files are small; a bigger one is some other document.
MAX_ORDER_FILE_BYTES = 1_000_000


def read_attachments(attachments: Sequence[Attachment]) -> list[Draft]:
    """One draft per attachment that is an order file; other attachments are not orders."""
    drafts = []
    for attachment in attachments:
        kind = _kind(attachment)
        if not kind or attachment.size > MAX_ORDER_FILE_BYTES:
            continue
        draft = read_csv(attachment.data) if kind == "csv" else read_json(attachment.filename, attachment.data)
        if draft is not None:
            drafts.append(draft)
    return drafts


def _kind(attachment: Attachment) -> str:
    name, content_type = attachment.filename.lower(), attachment.content_type.lower()
    if name.endswith(".csv") or content_type in ("text/csv", "application/csv"):
        return "csv"
    if name.endswith(".json") or content_type == "application/json":
        return "json"
    return ""


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's « Unicode text »), else Windows-1252."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv(data: bytes) -> Draft | None:
    """Key/value rows (« Client;ACME SAS ») and a table under its header row; None without such a header."""
    text = decode(data)
    first_lines = text.splitlines()[:20]
    delimiter = max(";,\t", key=lambda mark: sum(line.count(mark) for line in first_lines))
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error:
        # NUL bytes or a field beyond the csv module's limit: a binary or hostile file, not an order.
        return None
    draft = Draft(source="csv", structured=True)
    columns = None
    for row in rows:
        cells = [cell.strip() for cell in row]
        filled = [cell for cell in cells if cell]
        if not filled:
            columns = None if draft.items else columns
            continue
        if columns is None and (found := header_columns(cells)) is not None:
            columns = found
            continue
        labelled = match_label(f"{filled[0]} : {' '.join(filled[1:])}") if len(filled) >= 2 else None
        if labelled and (columns is None or draft.items and len(filled) == 2):
            add_labelled(draft, *labelled)
        elif columns is not None and not filled[0].lower().startswith("total"):
            draft.items.append(row_item(delimiter.join(row).strip(), columns, cells))
    return draft if draft.items or columns is not None else None


def read_json(filename: str, data: bytes) -> Draft | None:
    """A JSON order; a file that is not JSON at all is reported, a JSON of another kind is not an order."""
    try:
        value = json.loads(decode(data), parse_float=Decimal, parse_int=Decimal)
    except (ValueError, RecursionError):
        # RecursionError: a hostile file of thousands of nested brackets.
        draft = Draft(source="json", structured=True)
        draft.problems.append(OrderProblem(
            "attachment", filename, f"Le fichier {filename} n'est pas du JSON lisible : vérifiez-le ou écrivez la "
            "commande dans le texte du message.",
            f"The file {filename} is not readable JSON: check it or write the order in the mail's text."))
        return draft
    return read_json_order(value)
