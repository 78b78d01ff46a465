"""Duplicates that explain themselves: the earlier bill a new one repeats, and on what ground."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session

from bills.models import ReceivedBill

# The grounds, strongest first. The first two are the same document beyond doubt; the third
# (same supplier, same TTC, same date) may be two genuine bills, so it is always asked about.
GROUNDS = ("file", "number", "amount_date")
CERTAIN_GROUNDS = ("file", "number")
FRENCH_GROUNDS = {
    "file": "le même fichier (même empreinte SHA-256)",
    "number": "le même fournisseur (même SIREN) et le même numéro de facture",
    "amount_date": "le même fournisseur, le même montant TTC et la même date",
}


@dataclass(frozen=True)
class Earlier:
    bill: ReceivedBill
    ground: str  # one of GROUNDS

    @property
    def french_ground(self) -> str:
        return FRENCH_GROUNDS[self.ground]


def normal_number(number: str) -> str:
    return "".join(character for character in (number or "").upper() if character.isalnum())


def ground_of(new: ReceivedBill, old: ReceivedBill) -> str | None:
    """Why `old` is the same bill as `new`, or None (pure)."""
    if new.file_sha256 and new.file_sha256 == old.file_sha256:
        return "file"
    if new.supplier_siren and new.supplier_siren == old.supplier_siren and normal_number(new.number) \
            and normal_number(new.number) == normal_number(old.number):
        return "number"
    same_supplier = bool(new.supplier_key) and new.supplier_key == old.supplier_key
    if same_supplier and new.total_incl_tax and new.issue_date and new.issue_date == old.issue_date \
            and _same_amount(new.total_incl_tax, old.total_incl_tax):
        return "amount_date"
    return None


def find_earlier(session: Session, new: ReceivedBill) -> Earlier | None:
    """The earliest bill received before this one that it repeats, on the strongest ground found.

    Bills closed as duplicates are skipped: the one they repeat is named instead.
    """
    candidates = session.scalars(
        select(ReceivedBill)
        .where(ReceivedBill.id != new.id, ReceivedBill.status != "duplicate",
               or_(ReceivedBill.file_sha256 == new.file_sha256,
                   ReceivedBill.supplier_key == new.supplier_key if new.supplier_key else false()))
        .order_by(ReceivedBill.id)
    ).all()
    found = [(GROUNDS.index(ground), old.id, old) for old in candidates
             if (new.id is None or old.id < new.id) and (ground := ground_of(new, old))]
    if not found:
        return None
    rank, _, old = min(found, key=lambda item: (item[0], item[1]))
    return Earlier(old, GROUNDS[rank])


def _same_amount(first: str, second: str) -> bool:
    try:
        return Decimal(first) == Decimal(second)
    except InvalidOperation:
        return False
