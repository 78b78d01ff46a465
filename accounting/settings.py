"""Checks of the [accounting] configuration section, with messages naming the key."""

import codecs
import re

JOURNAL_KEYS = ("purchase_journal", "sales_journal", "bank_journal")
ACCOUNT_KEYS = (
    "supplier_account", "client_account", "deductible_vat_account",
    "reverse_charge_deductible_account", "reverse_charge_due_account", "default_charge_account",
    "services_account", "goods_account", "collected_vat_account", "deposit_account", "bank_account",
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
    _check_monthly_mail(settings)


def _check_monthly_mail(settings) -> None:
    # Imported here: the formats' writers are not needed to read the configuration.
    from accounting.exports import FORMATS

    if settings.accountant_format not in FORMATS:
        raise AccountingSettingsError(f"accounting.accountant_format must be one of {', '.join(FORMATS)}, "
                                      f"got {settings.accountant_format!r}")
    # Day 28 at most: every month has it.
    if not 0 <= settings.monthly_day <= 28:
        raise AccountingSettingsError(f"accounting.monthly_day must be between 0 (off) and 28, got {settings.monthly_day}")
    if not 1 <= settings.documents_zip_max_mb <= 100:
        raise AccountingSettingsError(
            f"accounting.documents_zip_max_mb must be between 1 and 100, got {settings.documents_zip_max_mb}")


def normalised_encoding(name: str) -> str:
    """The canonical spelling of an encoding name ("latin-9" → "ISO-8859-15"), or the name itself."""
    try:
        python_name = codecs.lookup(name).name
    except LookupError:
        return name
    return {"iso8859-15": "ISO-8859-15", "utf-8": "UTF-8"}.get(python_name, name)
