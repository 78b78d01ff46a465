"""A bill from a document's text (a PDF's text layer or OCR): the rules, then the document's kind."""

from extraction.classify import classify_document
from extraction.model import Bill, Party, TextDocument
from extraction.text_rules import read_bill


def bill_from_text(document: TextDocument, filename: str, known_buyer: Party | None = None) -> Bill:
    bill = read_bill(document, filename, known_buyer=known_buyer)
    bill.filename = filename
    bill.kind = classify_document(document, filename)
    bill.pages = len(document.pages)
    return bill
