"""The French summary of an extracted bill that `extract` prints without --json."""

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from extraction.check_reasons import french_reason
from extraction.model import Bill, Party

KIND_NAMES = {
    "invoice": "facture", "credit_note": "avoir", "quote": "devis", "receipt": "reçu",
    "reminder": "relance", "statement": "relevé bancaire", "terms": "conditions générales",
    "other": "autre document",
}
SOURCE_NAMES = {
    "facturx": "données Factur-X intégrées au PDF", "ubl": "facture électronique UBL",
    "cii": "facture électronique CII", "text": "texte du PDF", "ocr": "reconnaissance de caractères",
    "mindee": "Mindee",
}
FIELD_NAMES = {
    "number": "numéro", "issue_date": "date", "due_date": "échéance", "currency": "devise",
    "total_excl_tax": "total HT", "total_tax": "TVA", "total_incl_tax": "total TTC",
    "amount_due": "net à payer", "supplier.name": "fournisseur", "supplier.siren": "SIREN",
    "supplier.siret": "SIRET", "supplier.vat_number": "n° TVA", "supplier.iban": "IBAN",
    "buyer.name": "client", "buyer.vat_number": "n° TVA client", "tax_lines": "lignes de TVA",
}
# Below this, a value is shown as "to check" in the summary.
DOUBTFUL = 0.9


def french_summary(bill: Bill) -> str:
    lines = [f"{bill.filename or 'document'} — {KIND_NAMES.get(bill.kind, bill.kind)} "
             f"(lu depuis : {SOURCE_NAMES.get(bill.source, bill.source)})"]
    if bill.duplicate_of:
        lines.append(f"  Même document que {bill.duplicate_of} : compté une seule fois.")
    if bill.is_bill:
        lines.extend(_bill_lines(bill))
    lines.extend(f"  ⚠ {french_reason(problem)}" for problem in bill.problems)
    lines.extend(f"  · {warning}" for warning in bill.warnings if not _is_problem(bill, warning))
    return "\n".join(lines)


def _bill_lines(bill: Bill) -> list[str]:
    currency = bill.currency or "EUR"
    lines = [f"  Fournisseur : {_party(bill.supplier)}", f"  Client : {_party(bill.buyer)}"]
    dated = f" du {_date(bill.issue_date)}" if bill.issue_date else ""
    due = f", échéance le {_date(bill.due_date)}" if bill.due_date else ""
    lines.append(f"  N° {bill.number or '?'}{dated}{due}")
    lines.append(f"  Total HT {_money(bill.total_excl_tax, currency)} · TVA {_money(bill.total_tax, currency)}"
                 f" · TTC {_money(bill.total_incl_tax, currency)}")
    for tax in bill.tax_lines:
        lines.append(f"    TVA {format_decimal(tax.rate, locale='fr_FR')} % : base {_money(tax.base, currency)},"
                     f" montant {_money(tax.amount, currency)}")
    doubtful = [FIELD_NAMES.get(name, name) for name, value in sorted(bill.confidence.items()) if value < DOUBTFUL]
    if doubtful:
        lines.append("  À vérifier (confiance faible) : " + ", ".join(doubtful))
    return lines


def _party(party: Party) -> str:
    parts = [party.name or "?"]
    parts += [f"{label} {value}" for label, value in
              (("SIREN", party.siren), ("SIRET", party.siret), ("TVA", party.vat_number), ("IBAN", party.iban)) if value]
    return " · ".join(parts)


def _money(value, currency: str) -> str:
    return "?" if value is None else format_currency(value, currency, locale="fr_FR")


def _date(value) -> str:
    return format_date(value, format="long", locale="fr_FR")


def _is_problem(bill: Bill, warning: str) -> bool:
    return any(problem.message == warning for problem in bill.problems)
