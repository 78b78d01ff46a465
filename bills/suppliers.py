"""Suppliers as the gateway knows them: a key per supplier, its validated history, trust and policy."""

import re
import unicodedata
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bills.checks import History, compact_iban
from bills.models import ReceivedBill, Supplier
from gateway.config_sections import Bills
from gateway.models import utcnow

# Only the latest validated totals are kept for the "unusual amount" check.
KEPT_TOTALS = 24
# Words that differ between two spellings of the same company name.
LEGAL_FORMS = {"sas", "sasu", "sarl", "eurl", "sa", "sci", "snc", "scop", "ei", "eirl", "gmbh", "inc", "ltd", "llc"}


def supplier_key(siren: str, name: str) -> str:
    """The SIREN when known; else the name folded (case, accents, punctuation, legal form)."""
    if siren:
        return siren
    bare = "".join(c for c in unicodedata.normalize("NFKD", name or "") if not unicodedata.combining(c))
    # "S.A.S." is SAS: dots between letters are dropped before the words are read.
    words = [word for word in re.findall(r"[a-z0-9]+", bare.casefold().replace(".", "")) if word not in LEGAL_FORMS]
    return "name:" + " ".join(words) if words else ""


def find_supplier(session: Session, key: str) -> Supplier | None:
    if not key:
        return None
    return session.scalars(select(Supplier).where(Supplier.key == key)).first()


def history_of(supplier: Supplier | None) -> History:
    if supplier is None:
        return History()
    return History(supplier.validated_count, tuple(item["iban"] for item in supplier.validated_ibans),
                   tuple(Decimal(total) for total in supplier.validated_totals))


def duplicate_policy(settings: Bills, siren: str, supplier: Supplier | None) -> str:
    """The configured policy of this SIREN, else the supplier's own, else the default."""
    if siren and siren in settings.duplicate_policies:
        return settings.duplicate_policies[siren]
    if supplier is not None and supplier.duplicate_policy != "review":
        return supplier.duplicate_policy
    return settings.duplicate_policy


def is_trusted(settings: Bills, siren: str, iban: str, supplier: Supplier | None) -> bool:
    """Configured by SIREN, or N validated bills in a row to this same IBAN without correction."""
    if siren and siren in settings.trusted_suppliers:
        return True
    if supplier is None or settings.auto_validate_after <= 0:
        return False
    same_iban = bool(iban) and compact_iban(iban) == supplier.streak_iban
    return same_iban and supplier.streak_count >= settings.auto_validate_after


def learn_from_validation(session: Session, bill: ReceivedBill, settings: Bills) -> Supplier | None:
    """Record a validated bill in its supplier's history: account, IBAN, total, trust streak."""
    if not bill.supplier_key:
        return None
    supplier = find_supplier(session, bill.supplier_key)
    if supplier is None:
        supplier = Supplier(key=bill.supplier_key, validated_ibans=[], validated_totals=[], validated_count=0,
                            corrected_count=0, streak_iban="", streak_count=0, duplicate_policy="review")
        session.add(supplier)
    supplier.name = bill.supplier_name or supplier.name
    supplier.siren = bill.supplier_siren or supplier.siren
    supplier.last_account = bill.account or supplier.last_account
    supplier.validated_count += 1
    corrected = bool(bill.corrections)
    supplier.corrected_count += int(corrected)
    iban = compact_iban(bill.supplier_iban)
    if iban:
        supplier.validated_ibans = _with_iban(supplier.validated_ibans, iban)
    if bill.total_incl_tax:
        supplier.validated_totals = [*supplier.validated_totals, bill.total_incl_tax][-KEPT_TOTALS:]
    _extend_streak(supplier, iban, corrected)
    supplier.trusted = is_trusted(settings, supplier.siren, iban, supplier)
    supplier.updated_at = utcnow()
    session.flush()
    return supplier


def _with_iban(known: list[dict], iban: str) -> list[dict]:
    today = utcnow().date().isoformat()
    for item in known:
        if item["iban"] == iban:
            return [other if other is not item else {**item, "last": today, "count": item["count"] + 1}
                    for other in known]
    return [*known, {"iban": iban, "first": today, "last": today, "count": 1}]


def _extend_streak(supplier: Supplier, iban: str, corrected: bool) -> None:
    # A correction, or a payment to another IBAN, starts trust over from nothing.
    if corrected or not iban:
        supplier.streak_iban, supplier.streak_count = "", 0
    elif iban == supplier.streak_iban:
        supplier.streak_count += 1
    else:
        supplier.streak_iban, supplier.streak_count = iban, 1
