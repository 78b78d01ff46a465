"""A JSON order file: its client, lines and terms as a draft (the schema is in docs/orders.md)."""

from decimal import Decimal

from orders.columns import line_from_values
from orders.draft import Draft, add_labelled
from orders.item_line import ItemRead
from orders.values import ValueProblem

CLIENT_KEYS = ("name", "siren", "siret", "vat_number", "email", "country")
TOP_KEYS = {"reference": "reference", "purchase_order": "reference", "payment_terms": "payment_terms",
            "due_date": "payment_terms", "sale_date": "sale_date", "notes": "notes", "operation": "operation",
            "delivery_address": "delivery_address", "deposit_paid": "deposit", "vat_rate": "vat"}
LINE_KEYS = ("description", "quantity", "unit", "unit_price", "basis", "vat_rate", "nature")


def read_json_order(value: object) -> Draft | None:
    """None when the JSON is not an order (no client and no lines)."""
    if not isinstance(value, dict):
        return None
    client = value.get("client", value.get("customer"))
    lines = value.get("lines", value.get("items"))
    if client is None and lines is None:
        return None
    draft = Draft(source="json", structured=True)
    if isinstance(client, dict):
        _client(draft, client)
    elif isinstance(client, str):
        add_labelled(draft, "client", client)
    for key, field in TOP_KEYS.items():
        if value.get(key) not in (None, "", []):
            add_labelled(draft, field, _text(value[key]))
    for number in value.get("deposit_numbers") or []:
        draft.set("deposit_numbers", str(number))
    for index, line in enumerate(lines if isinstance(lines, list) else [lines] if lines else [], start=1):
        draft.items.append(_line(line, index))
    return draft


def _client(draft: Draft, client: dict) -> None:
    for key in CLIENT_KEYS:
        if client.get(key):
            draft.set(f"client.{key}", str(client[key]))
    place = " ".join(str(client.get(key) or "") for key in ("postcode", "city")).strip()
    address = "\n".join(part for part in (_text(client.get("address") or ""), place) if part)
    draft.set("client.address", address)
    consumer = client.get("consumer")
    if client.get("is_business") is not None:
        consumer = not client["is_business"]
    if isinstance(consumer, bool):
        draft.set("client.kind", "particulier" if consumer else "entreprise")


def _line(line: object, index: int) -> ItemRead:
    text = f"lines[{index}]: {line}"
    if not isinstance(line, dict):
        return ItemRead(text, None, "Cette ligne du fichier JSON n'est pas un objet.", "this JSON line is not an object")
    values = {key: line[key] if isinstance(line[key], Decimal) else _text(line[key])
              for key in LINE_KEYS if line.get(key) is not None}
    try:
        return ItemRead(text, line_from_values(values))
    except ValueProblem as problem:
        return ItemRead(text, None, problem.french, problem.english)


def _text(value: object) -> str:
    """Text of a JSON value: a list of lines (an address) is joined by newlines."""
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value)
