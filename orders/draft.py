"""What one source (mail text, table, CSV or JSON file) says, as raw texts per field, before any check."""

import re
from dataclasses import dataclass, field

from orders.client import client_fields
from orders.item_line import ItemRead
from orders.labels import ORDER_FIELDS
from orders.model import OrderProblem

# Deposit invoice numbers as the gateway numbers them (« AC2026-0001 ») or as other tools do.
DEPOSIT_NUMBER = re.compile(r"\b[A-Z]{1,5}-?\d{4}-\d{1,6}\b")
RATE_VALUE = re.compile(r"^\s*\d{1,2}(?:[.,]\d{1,2})?\s*%?\s*$")
# Fields whose value is a list: a second line adds to the first instead of being ignored.
LIST_FIELDS = ("deposit_numbers",)


@dataclass
class Draft:
    fields: dict[str, str] = field(default_factory=dict)
    items: list[ItemRead] = field(default_factory=list)
    # The order labels seen: together with items they tell an order from ordinary mail.
    order_labels: set[str] = field(default_factory=set)
    problems: list[OrderProblem] = field(default_factory=list)
    source: str = ""
    # A table header or an order file is an order on its own, labels or not.
    structured: bool = False

    @property
    def found(self) -> bool:
        return self.structured or bool(self.order_labels) and (
            bool(self.items) or len(self.order_labels) >= 2)

    def set(self, name: str, value: str) -> None:
        """Record a raw value; within one source the first value of a field wins."""
        value = value.strip()
        if not value:
            return
        if name in LIST_FIELDS and name in self.fields:
            self.fields[name] += "\n" + value
        else:
            self.fields.setdefault(name, value)


def add_labelled(draft: Draft, name: str, value: str) -> None:
    """A « Label : value » line: some labels fill several fields, others are told apart by their value."""
    if name in ORDER_FIELDS:
        draft.order_labels.add(name)
    if name == "client":
        for key, part in client_fields(value).items():
            draft.set(key, part)
    elif name == "vat":
        draft.set("vat_rate" if RATE_VALUE.match(value) else "client.vat_number", value)
    elif name == "deposit":
        numbers = DEPOSIT_NUMBER.findall(value)
        for number in numbers:
            draft.set("deposit_numbers", number)
        rest = DEPOSIT_NUMBER.sub(" ", value).strip(" ,;()-")
        if rest or not numbers:
            draft.set("deposit_paid", rest or value)
    else:
        draft.set(name, value)
