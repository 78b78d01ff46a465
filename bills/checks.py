"""Fraud and exception checks of a received bill against its supplier's history; each returns its reason.

Pure functions: they read the bill's values and what validated bills taught about the supplier
(`History`), and say why the bill deserves a closer look. The summary shows every reason; an
alert marked `blocking` (an IBAN change) also forbids automatic validation.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median

from gateway.templating import euros

# An unusual amount is judged only against this many validated bills or more.
MIN_HISTORY_FOR_AMOUNT = 3


@dataclass(frozen=True)
class Alert:
    code: str  # "iban_changed", "unknown_supplier", "unusual_amount", "iban_missing_history"…
    french: str
    english: str
    # A blocking alert forbids automatic validation and is shown first, in its own block.
    blocking: bool = False


@dataclass(frozen=True)
class History:
    """What validated bills of one supplier say: how many, to which IBANs, for which TTC amounts."""

    validated_count: int = 0
    ibans: tuple[str, ...] = ()
    totals: tuple[Decimal, ...] = field(default_factory=tuple)


def compact_iban(iban: str | None) -> str:
    return "".join((iban or "").split()).upper()


def check_iban(iban: str | None, history: History) -> Alert | None:
    """An IBAN none of the supplier's validated bills carried: the classic transfer fraud."""
    iban = compact_iban(iban)
    known = {compact_iban(item) for item in history.ibans}
    if not iban or not known or iban in known:
        return None
    previous = ", ".join(sorted(known))
    return Alert("iban_changed",
                 f"L'IBAN de cette facture ({iban}) n'est pas celui des factures déjà validées de ce fournisseur "
                 f"({previous}). Vérifiez-le auprès du fournisseur par téléphone, à un numéro connu, avant de payer.",
                 f"IBAN {iban} differs from the supplier's validated IBANs ({previous})", blocking=True)


def check_known_supplier(history: History) -> Alert | None:
    if history.validated_count > 0:
        return None
    return Alert("unknown_supplier", "Premier envoi de ce fournisseur : aucune de ses factures n'a encore été validée.",
                 "unknown supplier: no validated bill yet")


def check_amount(total: Decimal | None, history: History, factor: Decimal) -> Alert | None:
    """A TTC far above the supplier's usual: more than `factor` × the median of its validated bills."""
    if total is None or len(history.totals) < MIN_HISTORY_FOR_AMOUNT:
        return None
    usual = median(history.totals)
    if usual <= 0 or total <= usual * factor:
        return None
    return Alert("unusual_amount",
                 f"Montant inhabituel : {euros(total)} TTC, plus de {factor} fois le montant habituel de ce "
                 f"fournisseur ({euros(usual)}, médiane de {len(history.totals)} factures validées).",
                 f"unusual amount {total}: above {factor} x the median {usual} of {len(history.totals)} bills")


def check_currency(currency: str | None) -> Alert | None:
    """The books are kept in euros: a bill in another currency is booked once converted."""
    if not currency or currency.upper() == "EUR":
        return None
    return Alert("foreign_currency",
                 f"Facture en {currency} : les comptes sont tenus en euros. Corrigez les montants en euros "
                 f"(TTC, HT, TVA) et écrivez « Devise : EUR » avant de répondre OK.",
                 f"bill in {currency}: amounts must be converted to euros before booking")


def supplier_alerts(iban: str | None, total: Decimal | None, history: History, factor: Decimal,
                    currency: str | None = "EUR") -> list[Alert]:
    """Every alert about the supplier side of the bill, blocking ones first."""
    found = [check_iban(iban, history), check_known_supplier(history), check_amount(total, history, factor),
             check_currency(currency)]
    alerts = [alert for alert in found if alert is not None]
    return sorted(alerts, key=lambda alert: not alert.blocking)
