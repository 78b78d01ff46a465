"""Read a bill from positioned text (a PDF's text layer or OCR) with label rules and arithmetic checks."""

from extraction.model import Bill, Party, TextDocument
from extraction.text_fields import find_label_hits
from extraction.text_header import number_confidence, read_currency, read_dates, read_kind, read_number
from extraction.text_lines import Line, group_lines
from extraction.text_parties import read_parties
from extraction.text_totals import read_totals

# Names and identifiers read by OCR carry no word-level check here: they count a little less.
_OCR_PARTY_FACTOR = 0.85


def read_bill(doc: TextDocument, filename: str = "", known_buyer: Party | None = None) -> Bill:
    """Every field the text supports, each with a confidence; unknown fields stay None.

    `known_buyer` (optional) is our own company: bills are addressed to it, so its SIREN and VAT
    number, wherever printed, are the buyer's and never the supplier's.
    """
    bill = Bill(source=doc.source, filename=filename, pages=len(doc.pages))
    lines = group_lines(doc)
    if not lines:
        bill.kind = "other"
        bill.warnings.append("no text found in the document")
        return bill
    hits = find_label_hits(lines)
    _read_references(bill, lines, hits)
    _read_amounts(bill, lines, hits)
    bill.supplier, bill.buyer, party_confidence = read_parties(lines, known_buyer)
    factor = _OCR_PARTY_FACTOR if doc.source == "ocr" else 1.0
    bill.confidence.update({key: value * factor for key, value in party_confidence.items()})
    bill.kind = read_kind(lines, bill.total_incl_tax)
    return bill


def _read_references(bill: Bill, lines: list[Line], hits: dict) -> None:
    """Number, issue date and due date."""
    number = read_number(lines, hits)
    if number is not None:
        bill.number = number.value
        bill.confidence["number"] = _scaled(number_confidence(number), number.ocr_confidence)
    issue, due = read_dates(lines, hits, number)
    if issue is not None:
        bill.issue_date = issue.value
        bill.confidence["issue_date"] = _scaled(0.3 + 0.62 * min(issue.score, 1.0), issue.ocr_confidence)
    if due is not None:
        bill.due_date = due.value
        bill.confidence["due_date"] = _scaled(0.3 + 0.55 * min(due.score, 1.0), due.ocr_confidence)


def _read_amounts(bill: Bill, lines: list[Line], hits: dict) -> None:
    """Totals, amount due, VAT breakdown and currency."""
    totals = read_totals(lines, hits)
    for name, value in totals.values.items():
        setattr(bill, name, value)
    bill.tax_lines = totals.tax_lines
    bill.confidence.update(totals.confidence)
    bill.derived |= totals.derived
    currency, currency_confidence = read_currency(lines, totals.currencies)
    if currency:
        bill.currency = currency
        bill.confidence["currency"] = currency_confidence


def _scaled(confidence: float, ocr_confidence: float) -> float:
    """A value read from an uncertain OCR word is as uncertain as that word."""
    return confidence * (0.5 + 0.5 * ocr_confidence)
