"""The kind of a structured e-invoice from its UNTDID 1001 document type code (BT-3)."""

# Codes EN 16931 and the French CTC specifications use, plus the other UNTDID 1001 invoice and
# credit note codes that appear in CII and UBL in the wild.
INVOICE_CODES = {
    "80", "82", "84", "130", "202", "203", "204", "211", "218", "219", "295", "326", "380", "383", "384",
    "385", "386", "387", "388", "389", "390", "393", "394", "395", "456", "471", "472", "473", "500",
    "501", "527", "575", "623", "633", "751", "780", "875", "876", "877", "935",
}
CREDIT_NOTE_CODES = {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "502", "503", "532"}
# A proforma invoice asks for nothing to be booked: it is a quote in all but name.
QUOTE_CODES = {"325"}


def kind_of_type_code(type_code: str | None) -> str | None:
    """"invoice", "credit_note", "quote", or None for no code or one we do not know."""
    code = (type_code or "").strip()
    if code in INVOICE_CODES:
        return "invoice"
    if code in CREDIT_NOTE_CODES:
        return "credit_note"
    if code in QUOTE_CODES:
        return "quote"
    return None
