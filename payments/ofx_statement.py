"""OFX statements (1.x SGML and 2.x XML) read into a Statement with ofxtools' parser.

Only ofxtools' tree is used, not its typed conversion: that conversion enforces the specification
to the letter (a NAME of at most 32 characters, every sign-on field present) and refuses the
exports of many French banks that bend it, while the tree holds everything we need.
"""

import io
from datetime import date
from decimal import Decimal, InvalidOperation

from ofxtools.Parser import OFXTree

from payments.statement_model import Statement, StatementError, StatementLine, joined


def read_ofx(data: bytes) -> Statement:
    tree = OFXTree()
    try:
        root = tree.parse(io.BytesIO(data.lstrip(b"\xef\xbb\xbf")))
    except Exception as error:  # ofxtools raises a handful of unrelated types for a broken file.
        raise StatementError(
            f"Le fichier OFX est illisible ({type(error).__name__}).",
            f"The OFX file cannot be read ({type(error).__name__}).",
        ) from None
    accounts = [text_of(account, "ACCTID") for tag in ("BANKACCTFROM", "CCACCTFROM") for account in root.iter(tag)]
    lines = tuple(line_of(transaction) for transaction in root.iter("STMTTRN"))
    currencies = frozenset(" ".join((found.text or "").split()).upper() or "EUR" for found in root.iter("CURDEF"))
    return Statement(format="ofx", account=", ".join(dict.fromkeys(a for a in accounts if a)), lines=lines,
                     currencies=currencies or frozenset({"EUR"}))


def line_of(transaction) -> StatementLine:
    payee = transaction.find("PAYEE")
    return StatementLine(
        booked_on=posted_on(text_of(transaction, "DTPOSTED")),
        amount=amount_of(text_of(transaction, "TRNAMT")),
        label=joined(text_of(transaction, "NAME"), text_of(transaction, "MEMO")),
        reference=joined(text_of(transaction, "REFNUM"), text_of(transaction, "CHECKNUM")),
        counterparty=text_of(payee, "NAME") if payee is not None else "",
        bank_id=text_of(transaction, "FITID"),
    )


def text_of(element, tag: str) -> str:
    found = element.find(tag)
    return " ".join((found.text or "").split()) if found is not None else ""


def posted_on(value: str) -> date:
    # OFX dates are YYYYMMDD followed by an optional time and time zone: the day is enough here.
    try:
        return date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise StatementError(
            f"Date d'opération OFX illisible : « {value} » (AAAAMMJJ attendu).",
            f"Unreadable OFX transaction date: “{value}” (YYYYMMDD expected).",
        ) from None


def amount_of(value: str) -> Decimal:
    # Some French banks write the decimal comma into TRNAMT: it is read as the decimal point it means.
    try:
        amount = Decimal(value.replace(",", "."))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise StatementError(f"Montant OFX illisible : « {value} ».", f"Unreadable OFX amount: “{value}”.")
    return amount
