"""The statement every reader returns, whatever the bank's format, and the error it raises."""

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class StatementLine:
    booked_on: date
    amount: Decimal          # signed: credits (money received) positive, debits negative
    label: str               # the bank's label(s), joined with " / "
    reference: str = ""      # end-to-end id, remittance information, reference of the movement
    counterparty: str = ""   # debtor name when the format gives it
    bank_id: str = ""        # the bank's own id of the movement when given, else ""

    def fingerprint(self) -> str:
        """A stable sha256 of what identifies the movement, to refuse counting it twice.

        The amount is normalised so that 100, 100.0 and 100.00 (the same movement read from two
        formats or two exports) give the same fingerprint; JSON keeps the fields apart so that no
        separator inside a label can make two different lines collide.
        """
        amount = format(self.amount.normalize(), "f")
        fields = [self.booked_on.isoformat(), amount, self.label, self.reference, self.bank_id]
        return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Statement:
    format: str              # "camt053" | "cfonb120" | "ofx" | "csv"
    account: str             # IBAN or account number when the file gives it, else ""
    lines: tuple[StatementLine, ...]
    # The currencies the file states (camt.053 amounts, OFX CURDEF); CFONB and our CSV are in euros.
    currencies: frozenset[str] = frozenset({"EUR"})


class StatementError(ValueError):
    """A file that looks like a statement but cannot be read; both texts go back to the sender."""

    def __init__(self, french: str, english: str):
        super().__init__(f"{french} / {english}")
        self.french = french
        self.english = english


def joined(*parts: str) -> str:
    """Non-empty parts, whitespace collapsed, each once, joined with " / "."""
    seen: list[str] = []
    for part in parts:
        text = " ".join((part or "").split())
        if text and text not in seen:
            seen.append(text)
    return " / ".join(seen)
