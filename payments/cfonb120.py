"""The French banks' CFONB 120 statement ("relevé de compte 120 caractères") read into a Statement.

Records are 120 characters, with or without line breaks: 01 old balance, 04 movement, 05 its
complements (qualified extra label, payer name, references), 07 new balance. Positions below are
0-based slices of the published layout (zone n°x of the CFONB document is 1-based).
"""

from datetime import date
from decimal import Decimal

from payments.statement_model import Statement, StatementError, StatementLine, joined

RECORD_LENGTH = 120
CODE, BANK, BRANCH, DECIMALS, ACCOUNT, DATE = slice(0, 2), slice(2, 7), slice(11, 16), 19, slice(21, 32), slice(34, 40)
LABEL, AMOUNT, REFERENCE = slice(48, 80), slice(90, 104), slice(104, 120)
QUALIFIER, DETAIL = slice(45, 48), slice(48, 118)

# The last character of an amount carries both its sign and its last digit.
SIGNED_DIGITS = {
    **{char: (1, str(digit)) for digit, char in enumerate("{ABCDEFGHI")},
    **{char: (-1, str(digit)) for digit, char in enumerate("}JKLMNOPQR")},
}
# Complements that extend the label, the ones that name the payer, and those that carry references.
LABEL_QUALIFIERS = {"LIB", "LCC", "LC2", "LCS", ""}
PAYER_QUALIFIERS = {"NPY"}
REFERENCE_QUALIFIERS = {"REF", "RCN"}


def records_of(text: str) -> list[str]:
    """The 120-character records, whether the file has line breaks or not."""
    if "\n" in text or "\r" in text:
        records = [line.rstrip() for line in text.splitlines() if line.strip()]
    else:
        records = [text[i:i + RECORD_LENGTH] for i in range(0, len(text.rstrip()), RECORD_LENGTH)]
    for number, record in enumerate(records, start=1):
        if len(record) > RECORD_LENGTH or record[CODE] not in ("01", "04", "05", "07"):
            raise StatementError(
                f"Enregistrement {number} du fichier CFONB invalide "
                "(120 caractères commençant par 01, 04, 05 ou 07 attendus).",
                f"Record {number} of the CFONB file is invalid "
                "(120 characters starting with 01, 04, 05 or 07 expected).",
            )
    # Some banks trim the trailing spaces of each line: the missing zones are blank.
    return [record.ljust(RECORD_LENGTH) for record in records]


def read_cfonb120(data: bytes) -> Statement:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    movements: list[dict] = []
    accounts: list[str] = []
    balance: Decimal | None = None
    for number, record in enumerate(records_of(text), start=1):
        code = record[CODE]
        if code == "01":
            accounts.append(f"{record[BANK]}{record[BRANCH]}{record[ACCOUNT]}".replace(" ", ""))
            balance = amount_of(record, number)
        elif code == "04":
            if balance is None:
                raise_outside(number)
            movements.append(movement_of(record, number))
            balance += movements[-1]["amount"]
        elif code == "05":
            if not movements or balance is None:
                raise_outside(number)
            add_complement(movements[-1], record)
        else:
            if balance is None:
                raise_outside(number)
            check_new_balance(balance, amount_of(record, number), number)
            balance = None
    if balance is not None:
        raise StatementError(
            "Le fichier CFONB s'arrête avant le nouveau solde (enregistrement 07) : il semble tronqué.",
            "The CFONB file ends before its new balance (record 07): it seems truncated.",
        )
    lines = tuple(
        StatementLine(
            booked_on=m["booked_on"], amount=m["amount"], label=joined(*m["labels"]),
            reference=joined(*m["references"]), counterparty=joined(*m["payers"]),
        )
        for m in movements
    )
    return Statement(format="cfonb120", account=", ".join(dict.fromkeys(accounts)), lines=lines)


def movement_of(record: str, number: int) -> dict:
    return {
        "booked_on": date_of(record[DATE], number),
        "amount": amount_of(record, number),
        "labels": [record[LABEL]],
        "references": [record[REFERENCE]],
        "payers": [],
    }


def add_complement(movement: dict, record: str) -> None:
    qualifier, detail = record[QUALIFIER].strip(), record[DETAIL]
    if qualifier in PAYER_QUALIFIERS:
        movement["payers"].append(detail)
    elif qualifier in REFERENCE_QUALIFIERS:
        movement["references"].append(detail)
    elif qualifier in LABEL_QUALIFIERS:
        movement["labels"].append(detail)


def amount_of(record: str, number: int) -> Decimal:
    digits, last = record[AMOUNT][:-1].replace(" ", "0"), record[AMOUNT][-1]
    decimals = record[DECIMALS]
    if not digits.isdigit() or last not in SIGNED_DIGITS or not decimals.isdigit():
        raise StatementError(
            f"Montant illisible dans l'enregistrement {number} du fichier CFONB : « {record[AMOUNT]} ».",
            f"Unreadable amount in record {number} of the CFONB file: “{record[AMOUNT]}”.",
        )
    sign, digit = SIGNED_DIGITS[last]
    return sign * Decimal(digits + digit).scaleb(-int(decimals))


def date_of(value: str, number: int) -> date:
    try:
        return date(2000 + int(value[4:6]), int(value[2:4]), int(value[0:2]))
    except ValueError:
        raise StatementError(
            f"Date illisible dans l'enregistrement {number} du fichier CFONB : « {value} » (JJMMAA attendu).",
            f"Unreadable date in record {number} of the CFONB file: “{value}” (DDMMYY expected).",
        ) from None


def check_new_balance(computed: Decimal, stated: Decimal, number: int) -> None:
    # The bank's own total is the one check a fixed-width file offers against a lost movement.
    if computed != stated:
        raise StatementError(
            f"Le nouveau solde de l'enregistrement {number} ({stated}) n'est pas l'ancien solde plus les mouvements "
            f"({computed}) : le fichier semble incomplet.",
            f"The new balance of record {number} ({stated}) is not the old balance plus the movements ({computed}): "
            "the file seems incomplete.",
        )


def raise_outside(number: int) -> None:
    raise StatementError(
        f"L'enregistrement {number} du fichier CFONB est hors d'un relevé (un ancien solde 01 doit le précéder).",
        f"Record {number} of the CFONB file is outside a statement (an old balance 01 must come first).",
    )
