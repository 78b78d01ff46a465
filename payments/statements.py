"""Which statement format a mailed file is, by its content, and the one entry point that reads it."""

import re
from dataclasses import replace

from payments.camt053 import read_camt053
from payments.cfonb120 import read_cfonb120
from payments.csv_statement import decoded, header_line, read_csv
from payments.ofx_statement import read_ofx
from payments.statement_model import Statement, StatementError, StatementLine

MAX_BYTES = 5 * 1024 * 1024
MAX_LINES = 20_000
READERS = {"camt053": read_camt053, "cfonb120": read_cfonb120, "ofx": read_ofx, "csv": read_csv}

# Only the start of a file is looked at: enough for a header, cheap on a 5 MB attachment.
HEAD = 4096
CAMT_ROOT = re.compile(rb"<(?:\w+:)?BkToCstmrStmt[\s>]")
CAMT_NAMESPACE = re.compile(rb"urn:iso:std:iso:20022:tech:xsd:camt\.053\.")
OFX_START = re.compile(rb"^\s*(?:OFXHEADER\s*:|<\?xml[^>]*\?>\s*<\?OFX\s|<OFX>)", re.IGNORECASE)
# An old-balance record opens every CFONB statement: "01" then the five digits of the bank code.
CFONB_RECORD = re.compile(r"^01\d{5}")


def sniff(filename: str, data: bytes, content_only: bool = False) -> str | None:
    """The statement format of a file by its content; None when it is no statement at all.

    The extension only decides between "a CSV with a header we do not know" (read, so that its
    sender learns what is wrong) and "some other text" (not a statement); with `content_only`
    (routing a mail) such a CSV is no statement: an order's CSV is not mistaken for one.
    """
    head = data[:HEAD].lstrip(b"\xef\xbb\xbf")
    if OFX_START.match(head):
        return "ofx"
    if head.lstrip().startswith(b"<"):
        return "camt053" if CAMT_NAMESPACE.search(head) or CAMT_ROOT.search(head) else None
    if b"\x00" in head or head.startswith(b"%PDF"):
        return None
    text = decoded(head)
    first_line = text.splitlines()[0] if text.strip() else ""
    if CFONB_RECORD.match(first_line):
        return "cfonb120"
    if header_line(text) is not None or (not content_only and filename.lower().endswith(".csv") and first_line.strip()):
        return "csv"
    return None


def read_statement(filename: str, data: bytes) -> Statement:
    """The statement in a mailed file; StatementError with reasons for its sender otherwise."""
    if len(data) > MAX_BYTES:
        raise StatementError(
            "Le relevé dépasse 5 Mo : envoyez un relevé plus court (un mois par exemple).",
            "The statement is larger than 5 MB: send a shorter one (a month, for instance).",
        )
    format_name = sniff(filename, data)
    if format_name is None:
        raise StatementError(
            f"« {filename} » n'est pas un relevé accepté (camt.053, CFONB 120, OFX ou CSV).",
            f"“{filename}” is no accepted statement (camt.053, CFONB 120, OFX or CSV).",
        )
    statement = READERS[format_name](data)
    if statement.currencies != {"EUR"}:
        # Invoices are in euros: a dollar credit of 1 200 is not the 1 200 € an invoice asks.
        named = ", ".join(sorted(statement.currencies))
        raise StatementError(f"Relevé en {named} : seuls les relevés en euros sont rapprochés des factures.",
                             f"Statement in {named}: only euro statements are matched to invoices.")
    if len(statement.lines) > MAX_LINES:
        raise StatementError(
            f"Le relevé compte plus de {MAX_LINES} lignes : envoyez-le en plusieurs fois.",
            f"The statement has more than {MAX_LINES} lines: send it in several parts.",
        )
    return Statement(format=statement.format, account=statement.account, lines=numbered_repeats(statement.lines))


def numbered_repeats(lines: tuple[StatementLine, ...]) -> tuple[StatementLine, ...]:
    """Lines that are exact repeats of an earlier one (two equal transfers the same day) told apart.

    Without a bank id such lines share a fingerprint, and the second would be refused as already
    counted; the repeat's bank id becomes "#2", "#3"… which a statement mailed again reproduces.
    """
    seen: dict[str, int] = {}
    numbered = []
    for line in lines:
        key = line.fingerprint()
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            line = replace(line, bank_id=f"{line.bank_id}#{seen[key]}")
        numbered.append(line)
    return tuple(numbered)
