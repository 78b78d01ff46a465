"""Checks of an extracted bill: do the amounts add up, are identifiers and dates plausible.

`check_bill(bill)` returns its reasons as `Problem`s; an empty list means the bill looks right.

Amounts follow EN 16931 as the French e-invoicing reform (CTC-FR, profile EXTENDED-CTC-FR)
relaxes it: each VAT breakdown line may differ by one cent from base × rate rounded half up to
two decimals (BR-CO-17 with a 0.01 tolerance), and a total made of n such lines may differ from
the sum of its parts by n cents. So the rules implemented here are:

- per tax line: |amount − round_half_up(base × rate / 100, 2)| ≤ 0.01;
- Σ tax line amounts vs total VAT, and Σ tax line bases vs total excl. tax: ≤ 0.01 × n;
- total excl. tax + total VAT vs total incl. tax: ≤ 0.01 × max(1, n),
where n is the number of tax lines. (The Factur-X schematron tolerates a whole unit on BR-CO-17;
we stay at the CTC-FR cent because a visual reading that is off by more is a misreading.)
"""

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from babel.numbers import list_currencies

from extraction.check_identifiers import check_party
from extraction.model import Bill
from extraction.problem import Problem

__all__ = ["Problem", "check_bill", "adjust_confidence"]

CENT = Decimal("0.01")
KEY_FIELDS = {"number": "invoice number", "issue_date": "issue date", "total_incl_tax": "total including tax"}
CURRENCIES = frozenset(list_currencies())
# Bills are dated in France; "today" is the Paris date, not the server's UTC one.
PARIS = ZoneInfo("Europe/Paris")
OLDEST_YEAR = 2000
LONGEST_TERM = timedelta(days=2 * 366)
# Structured sources are read exactly; their confidence stays as the reader set it.
STRUCTURED = ("facturx", "ubl", "cii")


def check_bill(bill: Bill, today: date | None = None) -> list[Problem]:
    """Every reason to doubt the bill, in a stable order: missing fields, amounts, identifiers, dates."""
    today = today or datetime.now(PARIS).date()
    problems = _missing_fields(bill)
    problems += check_amounts(bill)
    problems += check_party(bill.supplier, "supplier") + check_party(bill.buyer, "buyer")
    problems += check_dates(bill, today)
    problems += _check_currency(bill.currency)
    return problems


def _missing_fields(bill: Bill) -> list[Problem]:
    return [Problem("missing_field", name, f"the {label} was not found", {"field": name})
            for name, label in KEY_FIELDS.items() if getattr(bill, name) in (None, "")]


def check_amounts(bill: Bill) -> list[Problem]:
    problems = [problem for line in bill.tax_lines if (problem := _check_tax_line(line, bill.currency))]
    tolerance = CENT * max(1, len(bill.tax_lines))
    excl, tax, incl = bill.total_excl_tax, bill.total_tax, bill.total_incl_tax
    if None not in (excl, tax, incl) and abs(excl + tax - incl) > tolerance:
        problems.append(Problem("totals_mismatch", "total_incl_tax",
                                f"total including tax {incl} is not excl. tax {excl} + VAT {tax} = {excl + tax}",
                                _params(bill, incl=incl, excl=excl, tax=tax, expected=excl + tax)))
    problems += _check_line_sums(bill, tolerance)
    return problems


def _check_tax_line(line, currency: str | None) -> Problem | None:
    if line.base is None or line.amount is None or line.rate is None:
        return None
    expected = (line.base * line.rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    if abs(line.amount - expected) <= CENT:
        return None
    return Problem("tax_line_mismatch", "tax_lines",
                   f"VAT at {line.rate} % on {line.base} should be {expected}, not {line.amount}",
                   {"rate": line.rate, "base": line.base, "amount": line.amount, "expected": expected,
                    "currency": currency or "EUR"})


def _check_line_sums(bill: Bill, tolerance: Decimal) -> list[Problem]:
    lines = bill.tax_lines
    problems = []
    if lines and bill.total_tax is not None and all(line.amount is not None for line in lines):
        total = sum((line.amount for line in lines), Decimal(0))
        if abs(total - bill.total_tax) > tolerance:
            problems.append(Problem("tax_lines_sum_mismatch", "total_tax",
                                    f"the VAT lines add up to {total}, the total VAT is {bill.total_tax}",
                                    _params(bill, sum=total, total=bill.total_tax)))
    if lines and bill.total_excl_tax is not None and all(line.base is not None for line in lines):
        total = sum((line.base for line in lines), Decimal(0))
        if abs(total - bill.total_excl_tax) > tolerance:
            problems.append(Problem("tax_bases_sum_mismatch", "total_excl_tax",
                                    f"the VAT bases add up to {total}, the total excl. tax is {bill.total_excl_tax}",
                                    _params(bill, sum=total, total=bill.total_excl_tax)))
    return problems


def _params(bill: Bill, **values) -> dict:
    return {**values, "currency": bill.currency or "EUR"}


def check_dates(bill: Bill, today: date) -> list[Problem]:
    problems = []
    issued, due = bill.issue_date, bill.due_date
    if issued and issued > today + timedelta(days=1):
        problems.append(Problem("issue_date_in_future", "issue_date", f"issue date {issued} is in the future",
                                {"date": issued}))
    if issued and issued.year < OLDEST_YEAR:
        problems.append(Problem("issue_date_too_old", "issue_date", f"issue date {issued} is before {OLDEST_YEAR}",
                                {"date": issued, "year": OLDEST_YEAR}))
    if issued and due and due < issued:
        problems.append(Problem("due_before_issue", "due_date", f"due date {due} is before the issue date {issued}",
                                {"date": due, "issue_date": issued}))
    if issued and due and due > issued + LONGEST_TERM:
        problems.append(Problem("due_date_too_late", "due_date",
                                f"due date {due} is more than two years after the issue date {issued}",
                                {"date": due, "issue_date": issued}))
    return problems


def _check_currency(currency: str | None) -> list[Problem]:
    if not currency:
        return [Problem("currency_missing", "currency", "no currency stated: euros (EUR) assumed",
                        {"assumed": "EUR"}, severity="warning")]
    if currency.upper() not in CURRENCIES:
        return [Problem("unknown_currency", "currency", f"{currency} is not an ISO 4217 currency code",
                        {"value": currency})]
    return []


# How far a failed check lowers the confidence of the fields it involves: the field named by the
# problem, then the others that took part in the sum or comparison.
CAPS = {"identifier": 0.3, "amount": 0.5, "date": 0.5}
# A PDF's text layer gives the printed characters exactly: an identifier failing its key there is
# most often printed wrong by the supplier (or a dummy), not misread, so it is doubted less than
# the same failure after OCR, where a misread digit is the usual cause.
TEXT_LAYER_IDENTIFIER_CAP = 0.6
RELATED = {
    "totals_mismatch": ("total_excl_tax", "total_tax", "total_incl_tax"),
    "tax_line_mismatch": ("tax_lines", "total_tax"),
    "tax_lines_sum_mismatch": ("tax_lines", "total_tax"),
    "tax_bases_sum_mismatch": ("tax_lines", "total_excl_tax"),
    "due_before_issue": ("due_date", "issue_date"),
    "due_date_too_late": ("due_date", "issue_date"),
}
AMOUNT_CODES = {"totals_mismatch", "tax_line_mismatch", "tax_lines_sum_mismatch", "tax_bases_sum_mismatch"}
SURE = 0.95


def adjust_confidence(bill: Bill, problems: list[Problem]) -> None:
    """Lower the confidence of fields a check doubts; raise the totals of a visual read that adds up.

    Structured documents keep 1.0 everywhere: confidence says how sure we are of what the document
    states, and an XML states its values exactly; a wrong value there is the supplier's, and the
    problem says so.
    """
    if bill.source in STRUCTURED:
        return
    for problem in problems:
        if problem.severity != "error":
            continue
        family = _family(problem.code)
        cap = TEXT_LAYER_IDENTIFIER_CAP if family == "identifier" and bill.source == "text" else CAPS[family]
        for name in RELATED.get(problem.code, (problem.field,)):
            if name in bill.confidence:
                bill.confidence[name] = min(bill.confidence[name], cap)
    if _totals_add_up_exactly(bill, problems):
        for name in ("total_excl_tax", "total_tax", "total_incl_tax") + (("tax_lines",) if bill.tax_lines else ()):
            bill.confidence[name] = max(bill.confidence.get(name, 0.0), SURE)


def _family(code: str) -> str:
    if code in AMOUNT_CODES:
        return "amount"
    if code.startswith(("issue_date", "due_")):
        return "date"
    return "identifier"


def _totals_add_up_exactly(bill: Bill, problems: list[Problem]) -> bool:
    """HT + TVA = TTC to the cent and no tax line disagrees (no tax lines at all counts as agreeing)."""
    excl, tax, incl = bill.total_excl_tax, bill.total_tax, bill.total_incl_tax
    if None in (excl, tax, incl) or excl + tax != incl:
        return False
    if bill.derived & {"total_excl_tax", "total_tax", "total_incl_tax"}:
        return False
    return not any(problem.code in AMOUNT_CODES for problem in problems)
