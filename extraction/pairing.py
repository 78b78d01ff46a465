"""Several attachments, how many bills: a PDF and its own XML are one bill, two invoices are two."""

from extraction.model import Bill

# Structured sources are exact, so the one to keep when two files are the same document.
PREFERENCE = {"facturx": 0, "ubl": 1, "cii": 1, "mindee": 2, "text": 3, "ocr": 4}


def mark_duplicates(bills: list[Bill]) -> list[Bill]:
    """Mark each bill that repeats another (same number, same amount) with the one kept."""
    kept: dict[tuple, Bill] = {}
    for bill in sorted((b for b in bills if b.is_bill and _identity(b)), key=lambda b: PREFERENCE.get(b.source, 9)):
        key = _identity(bill)
        if key in kept:
            bill.duplicate_of = kept[key].filename
        else:
            kept[key] = bill
    return bills


def _identity(bill: Bill) -> tuple | None:
    """Two files are the same document when their number and their total agree.

    The total is compared as a number (473 and 473.00 are equal); without a number or a total
    nothing is merged, since two different bills must never be counted as one.
    """
    total = bill.total_incl_tax if bill.total_incl_tax is not None else bill.amount_due
    if not bill.number or total is None:
        return None
    return (_normal_number(bill.number), total.normalize())


def _normal_number(number: str) -> str:
    return "".join(character for character in number.upper() if character.isalnum())
