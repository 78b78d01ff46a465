"""The [bills] configuration: its defaults, and a wrong value stops start-up naming its key."""

import pytest

from gateway.config import ConfigError, load_config


def test_defaults_review_duplicates_and_trust_after_three_clean_bills():
    bills = load_config(environ={}).bills
    assert (bills.auto_validate_after, bills.duplicate_policy, bills.supplier_senders) == (3, "review", [])


def test_values_come_from_the_environment():
    bills = load_config(environ={"GATEWAY_BILLS__TRUSTED_SUPPLIERS": '["123456782"]',
                                 "GATEWAY_BILLS__DUPLICATE_POLICIES": '{"123456782": "automatic"}',
                                 "GATEWAY_BILLS__SUPPLIER_SENDERS": '["*@edf.fr"]',
                                 "GATEWAY_MAIL__MANAGER": "direction@entreprise.fr"}).bills
    assert bills.trusted_suppliers == ["123456782"] and bills.duplicate_policies == {"123456782": "automatic"}


@pytest.mark.parametrize("name, value, key", [
    ("TRUSTED_SUPPLIERS", '["12345"]', "bills.trusted_suppliers"),
    ("DUPLICATE_POLICY", "sometimes", "bills.duplicate_policy"),
    ("DUPLICATE_POLICIES", '{"123456782": "never"}', "bills.duplicate_policies"),
    ("SUPPLIER_SENDERS", '["edf.fr"]', "bills.supplier_senders"),
    ("NOTIFY", "compta", "bills.notify"),
    ("UNUSUAL_AMOUNT_FACTOR", "1", "bills.unusual_amount_factor"),
    ("AUTO_VALIDATE_AFTER", "-1", "bills.auto_validate_after"),
])
def test_wrong_value_names_its_key(name, value, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_config(environ={f"GATEWAY_BILLS__{name}": value})


def test_supplier_senders_need_someone_to_read_their_bills():
    with pytest.raises(ConfigError, match=r"bills\.notify"):
        load_config(environ={"GATEWAY_BILLS__SUPPLIER_SENDERS": '["*@edf.fr"]'})
