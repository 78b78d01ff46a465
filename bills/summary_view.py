"""The values the bill summary mail shows, formatted in French: the template only lays them out."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from bills.models import ReceivedBill
from bills.review import SURE, Review
from extraction.check_reasons import french_reason
from extraction.summary import KIND_NAMES, SOURCE_NAMES
from gateway.models import as_utc

# (label, row column, confidence key), in the order the summary lists them.
FIELD_ROWS = (
    ("Fournisseur", "supplier_name", "supplier.name"), ("SIREN", "supplier_siren", "supplier.siren"),
    ("SIRET", "supplier_siret", "supplier.siret"), ("N° TVA", "supplier_vat_number", "supplier.vat_number"),
    ("IBAN", "supplier_iban", "supplier.iban"), ("Numéro", "number", "number"),
    ("Date", "issue_date", "issue_date"), ("Échéance", "due_date", "due_date"),
    ("Total HT", "total_excl_tax", "total_excl_tax"), ("TVA", "total_tax", "total_tax"),
    ("Total TTC", "total_incl_tax", "total_incl_tax"),
)
ENGLISH_LABELS = {"Fournisseur": "Supplier", "N° TVA": "VAT number", "Numéro": "Number", "Date": "Date",
                  "Échéance": "Due date", "Total HT": "Total excl. VAT", "TVA": "VAT", "Total TTC": "Total incl. VAT"}
DATES = {"issue_date", "due_date"}
AMOUNTS = {"total_excl_tax", "total_tax", "total_incl_tax"}
# The mark of each value: the templates word them ("✓ sûr", "? à vérifier"…).
MARKS = ("sure", "doubt", "missing", "corrected")


@dataclass(frozen=True)
class FieldLine:
    label: str
    value: str
    mark: str  # one of MARKS

    @property
    def label_en(self) -> str:
        return ENGLISH_LABELS.get(self.label, self.label)


def money(value: Decimal | str | None, currency: str = "EUR") -> str:
    if value in (None, ""):
        return "?"
    return format_currency(Decimal(value), currency or "EUR", locale="fr_FR")


def french_day(value: date | str | None) -> str:
    if not value:
        return "?"
    return format_date(date.fromisoformat(value) if isinstance(value, str) else value, format="long", locale="fr_FR")


def field_lines(row: ReceivedBill) -> list[FieldLine]:
    corrected = {item["field"] for item in row.corrections}
    lines = []
    for label, column, key in FIELD_ROWS:
        raw = getattr(row, column)
        if column in DATES:
            shown = french_day(raw) if raw else ""
        elif column in AMOUNTS:
            shown = money(raw, row.currency) if raw else ""
        else:
            shown = raw
        if not shown and key not in ("number", "issue_date", "total_incl_tax", "supplier.name"):
            continue  # An optional identifier the bill does not show is not worth a line.
        lines.append(FieldLine(label, shown or "?", _mark(key, raw, row.confidence, corrected)))
    return lines


def _mark(key: str, raw: str, confidence: dict, corrected: set[str]) -> str:
    if key in corrected:
        return "corrected"
    if not raw:
        return "missing"
    return "sure" if confidence.get(key, 0.0) >= SURE else "doubt"


def tax_lines(row: ReceivedBill) -> list[str]:
    return [f"TVA {format_decimal(Decimal(line['rate']), locale='fr_FR')} % : "
            f"base {money(line.get('base'), row.currency)}, TVA {money(line.get('amount'), row.currency)}"
            for line in row.tax_lines]


def duplicate_lines(review: Review, tz: ZoneInfo) -> dict | None:
    if review.earlier is None:
        return None
    old = review.earlier.bill
    received = as_utc(old.created_at).astimezone(tz)
    return {"id": old.id, "number": old.number or "sans numéro", "supplier": old.supplier_name or "?",
            "received": received.strftime("%d/%m/%Y à %H:%M"), "by": old.forwarded_by or "?",
            "total": money(old.total_incl_tax, old.currency), "status": STATUS_WORDS.get(old.status, old.status),
            "ground": review.earlier.french_ground}


STATUS_WORDS = {"awaiting_staff": "en attente de validation", "awaiting_manager": "en attente de l'accord du gérant",
                "awaiting_duplicate": "en attente (doublon possible)", "validated": "validée", "rejected": "refusée",
                "duplicate": "classée comme doublon"}


def summary_values(row: ReceivedBill, review: Review, tz: ZoneInfo, others: list[str], position: str) -> dict:
    """Everything bill_summary renders; `others` names the documents of the mail that are not bills."""
    alerts = [alert.french for alert in review.alerts if alert.blocking]
    notes = [alert.french for alert in review.alerts if not alert.blocking]
    return {
        "kind_name": KIND_NAMES.get(row.kind, row.kind), "source_name": SOURCE_NAMES.get(row.source, row.source),
        "fields": field_lines(row), "tax_lines": tax_lines(row),
        "blocking_alerts": alerts, "notes": notes,
        "blocking_alerts_en": [alert.english for alert in review.alerts if alert.blocking],
        "notes_en": [alert.english for alert in review.alerts if not alert.blocking],
        "problems": [french_reason(problem) for problem in review.problems],
        "problems_en": [problem.message for problem in review.problems],
        "account": row.account, "account_reason": row.account_reason,
        "reverse_charge": row.reverse_charge, "duplicate": duplicate_lines(review, tz),
        "above_threshold": review.above_threshold, "others": others, "position": position,
        "corrections": len(row.corrections),
    }
