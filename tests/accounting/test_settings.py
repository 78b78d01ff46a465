"""The [accounting] section: shipped defaults, and wrong values stopping start-up with the key named."""

import pytest

from gateway.config import ConfigError, load_config


def test_shipped_defaults_are_the_french_chart_and_latin9():
    settings = load_config(environ={}).accounting
    assert (settings.purchase_journal, settings.sales_journal, settings.bank_journal) == ("HA", "VT", "BQ")
    assert (settings.supplier_account, settings.client_account, settings.deductible_vat_account) == ("401", "411", "44566")
    assert (settings.reverse_charge_deductible_account, settings.reverse_charge_due_account) == ("445662", "4452")
    assert (settings.default_charge_account, settings.fec_encoding) == ("6068", "ISO-8859-15")
    assert (settings.services_account, settings.goods_account, settings.collected_vat_account) == ("706", "707", "44571")
    assert (settings.deposit_account, settings.bank_account) == ("4191", "512")
    assert (settings.accountant_format, settings.monthly_day, settings.documents_zip_max_mb) == ("fec", 1, 15)


@pytest.mark.parametrize("key, value", [
    ("FEC_ENCODING", "cp1252"),
    ("PURCHASE_JOURNAL", "achats"),
    ("SUPPLIER_ACCOUNT", "FOURN"),
    ("DEFAULT_CHARGE_ACCOUNT", "401"),
    ("COLLECTED_VAT_ACCOUNT", "TVA"),
    ("ACCOUNTANT_FORMAT", "excel"),
    ("MONTHLY_DAY", "31"),
    ("DOCUMENTS_ZIP_MAX_MB", "0"),
])
def test_a_wrong_value_stops_start_up_naming_the_key(key, value):
    with pytest.raises(ConfigError, match=f"accounting.{key.lower()}"):
        load_config(environ={f"GATEWAY_ACCOUNTING__{key}": value})


def test_two_journals_with_one_code_are_refused():
    with pytest.raises(ConfigError, match="must differ"):
        load_config(environ={"GATEWAY_ACCOUNTING__SALES_JOURNAL": "HA"})


def test_utf8_is_accepted_in_any_spelling():
    assert load_config(environ={"GATEWAY_ACCOUNTING__FEC_ENCODING": "utf8"}).accounting.fec_encoding == "utf8"
