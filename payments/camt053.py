"""ISO 20022 camt.053 (bank to customer statement) read into a Statement, any camt.053.001.xx version.

Elements are found by their local names, so that every version of the schema (001.02 from most
French banks, 001.08 and later from the newer ones) reads the same; the few places where versions
differ (debtor name, transaction amount, entry status) are looked up under each spelling.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from payments.statement_model import Statement, StatementError, StatementLine, joined

# No entity is expanded and nothing is fetched: a statement is data, never a reason to go online.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_xml(data: bytes) -> etree._Element:
    try:
        root = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as error:
        raise StatementError(
            f"Le fichier XML est illisible ({error.msg}).", f"The XML file cannot be read ({error.msg})."
        ) from None
    if root.getroottree().docinfo.doctype:
        raise StatementError("Un relevé XML ne doit pas contenir de DOCTYPE.", "A statement XML must have no DOCTYPE.")
    return root


def children(element, path: str) -> list:
    """The elements at a path of local names ("NtryDtls/TxDtls"), whatever their namespace."""
    found = [element]
    for name in path.split("/"):
        found = [child for parent in found for child in parent if etree.QName(child).localname == name]
    return found


def text_at(element, *paths: str) -> str:
    """The text of the first path that has some, whitespace collapsed."""
    for path in paths:
        for found in children(element, path):
            if found.text and found.text.strip():
                return " ".join(found.text.split())
    return ""


def read_camt053(data: bytes) -> Statement:
    root = parse_xml(data)
    if etree.QName(root).localname != "Document" or not children(root, "BkToCstmrStmt"):
        raise StatementError(
            "Ce fichier XML n'est pas un relevé camt.053 (élément BkToCstmrStmt absent).",
            "This XML file is no camt.053 statement (no BkToCstmrStmt element).",
        )
    statements = children(root, "BkToCstmrStmt/Stmt")
    accounts = [text_at(statement, "Acct/Id/IBAN", "Acct/Id/Othr/Id") for statement in statements]
    lines = [line for statement in statements for entry in children(statement, "Ntry") for line in entry_lines(entry)]
    currencies = frozenset(amount.get("Ccy", "EUR").upper() for statement in statements
                           for amount in children(statement, "Ntry/Amt"))
    return Statement(format="camt053", account=", ".join(dict.fromkeys(a for a in accounts if a)), lines=tuple(lines),
                     currencies=currencies or frozenset({"EUR"}))


def entry_lines(entry) -> list[StatementLine]:
    """The lines of one booked entry: one per transaction of a batch when each has its amount."""
    status = text_at(entry, "Sts", "Sts/Cd")
    if status and status != "BOOK":
        # Pending and informational entries are not money on the account yet.
        return []
    sign = sign_of(text_at(entry, "CdtDbtInd"))
    booked_on = entry_date(entry)
    bank_id = text_at(entry, "AcctSvcrRef", "NtryRef")
    label = text_at(entry, "AddtlNtryInf")
    transactions = children(entry, "NtryDtls/TxDtls")
    amounts = [text_at(tx, "AmtDtls/TxAmt/Amt", "Amt") for tx in transactions]
    if len(transactions) > 1 and all(amounts):
        # A batch (several transfers credited as one entry): each transfer pays its own invoice.
        return [
            transaction_line(tx, booked_on, sign * to_amount(amount), label, bank_id and f"{bank_id}/{index}")
            for index, (tx, amount) in enumerate(zip(transactions, amounts), start=1)
        ]
    amount = sign * to_amount(text_at(entry, "Amt"))
    if not transactions:
        return [StatementLine(booked_on=booked_on, amount=amount, label=label, bank_id=bank_id)]
    return [transaction_line(transactions[0], booked_on, amount, label, bank_id)]


def transaction_line(tx, booked_on: date, amount: Decimal, entry_label: str, bank_id: str) -> StatementLine:
    return StatementLine(
        booked_on=booked_on,
        amount=amount,
        label=joined(entry_label, text_at(tx, "AddtlTxInf")) or text_at(tx, "RmtInf/Ustrd"),
        reference=joined(
            *(found.text or "" for found in children(tx, "RmtInf/Ustrd")),
            text_at(tx, "RmtInf/Strd/CdtrRefInf/Ref"),
            "" if text_at(tx, "Refs/EndToEndId") == "NOTPROVIDED" else text_at(tx, "Refs/EndToEndId"),
        ),
        counterparty=text_at(tx, "RltdPties/Dbtr/Nm", "RltdPties/Dbtr/Pty/Nm") if amount > 0
        else text_at(tx, "RltdPties/Cdtr/Nm", "RltdPties/Cdtr/Pty/Nm"),
        bank_id=text_at(tx, "Refs/AcctSvcrRef") or bank_id,
    )


def entry_date(entry) -> date:
    value = text_at(entry, "BookgDt/Dt", "BookgDt/DtTm", "ValDt/Dt", "ValDt/DtTm")
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise StatementError(
            f"Une écriture du relevé a une date illisible ({value or 'absente'}).",
            f"An entry of the statement has an unreadable date ({value or 'missing'}).",
        ) from None


def sign_of(indicator: str) -> int:
    if indicator not in ("CRDT", "DBIT"):
        raise StatementError(
            f"Sens d'écriture inconnu ({indicator or 'absent'}) : CRDT ou DBIT attendu.",
            f"Unknown entry direction ({indicator or 'missing'}): CRDT or DBIT expected.",
        )
    return 1 if indicator == "CRDT" else -1


def to_amount(value: str) -> Decimal:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0:
        raise StatementError(
            f"Montant d'écriture illisible : {value or 'absent'}.", f"Unreadable entry amount: {value or 'missing'}."
        )
    return amount
