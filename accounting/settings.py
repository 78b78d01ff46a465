"""Checks of the [accounting] configuration section, with messages naming the key."""

import codecs
import re

JOURNAL_KEYS = ("purchase_journal", "sales_journal", "bank_journal")
ACCOUNT_KEYS = (
    "supplier_account", "client_account", "deductible_vat_account",
    "reverse_charge_deductible_account", "reverse_charge_due_account", "default_charge_account",
)
FEC_ENCODINGS = ("ISO-8859-15", "UTF-8")


class AccountingSettingsError(ValueError):
    """A value of [accounting] is wrong; the message names the key."""


def check_accounting_settings(settings) -> None:
    for key in JOURNAL_KEYS:
        code = getattr(settings, key)
        # Sage's import file holds three characters of journal code; Ciel's holds two.
        if not re.fullmatch(r"[A-Z0-9]{1,3}", code):
            raise AccountingSettingsError(f"accounting.{key} must be 1 to 3 capital letters or digits, got {code!r}")
    if len({getattr(settings, key) for key in JOURNAL_KEYS}) != len(JOURNAL_KEYS):
        raise AccountingSettingsError("accounting: purchase_journal, sales_journal and bank_journal must differ")
    for key in ACCOUNT_KEYS:
        account = getattr(settings, key)
        # The FEC wants the first three characters of an account to be digits of the French chart.
        if not re.fullmatch(r"[0-9]{3}[0-9A-Z]{0,10}", account):
            raise AccountingSettingsError(f"accounting.{key} must be an account number such as 401, got {account!r}")
    if not settings.default_charge_account.startswith("6"):
        raise AccountingSettingsError(
            f"accounting.default_charge_account must be a charge account (class 6), got {settings.default_charge_account!r}")
    if normalised_encoding(settings.fec_encoding) not in FEC_ENCODINGS:
        raise AccountingSettingsError(f"accounting.fec_encoding must be ISO-8859-15 or UTF-8, got {settings.fec_encoding!r}")


def normalised_encoding(name: str) -> str:
    """The canonical spelling of an encoding name ("latin-9" → "ISO-8859-15"), or the name itself."""
    try:
        python_name = codecs.lookup(name).name
    except LookupError:
        return name
    return {"iso8859-15": "ISO-8859-15", "utf-8": "UTF-8"}.get(python_name, name)
