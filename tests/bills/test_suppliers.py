"""Suppliers: their key, their duplicate policy, and trust earned by validated bills to one IBAN."""

from dataclasses import replace

import pytest

from bills.models import ReceivedBill
from bills.suppliers import duplicate_policy, find_supplier, is_trusted, learn_from_validation, supplier_key
from gateway.config_sections import Bills

IBAN = "FR7630006000011234567890189"
OTHER = "FR2012542547256985425874698"


@pytest.mark.parametrize("siren, name, key", [
    ("123456782", "LE FOURNISSEUR", "123456782"),
    ("", "Acme SAS", "name:acme"),
    ("", "ACME, s.a.s.", "name:acme"),
    ("", "Électricité de France", "name:electricite de france"),
    ("", "", ""),
])
def test_supplier_key(siren, name, key):
    assert supplier_key(siren, name) == key


def test_duplicate_policy_per_siren_overrides_the_default():
    settings = Bills(duplicate_policies={"123456782": "automatic"})
    assert duplicate_policy(settings, "123456782", None) == "automatic"
    assert duplicate_policy(settings, "732829320", None) == "review"
    assert duplicate_policy(replace(settings, duplicate_policy="automatic"), "732829320", None) == "automatic"


def validated(session, settings, iban=IBAN, corrections=()):
    row = ReceivedBill(supplier_key="123456782", supplier_siren="123456782", supplier_name="LE FOURNISSEUR",
                       supplier_iban=iban, total_incl_tax="100.00", account="6064", corrections=list(corrections))
    return learn_from_validation(session, row, settings)


def test_trust_comes_after_n_clean_bills_to_the_same_iban(gateway):
    settings = Bills(auto_validate_after=3)
    with gateway.database.transaction() as session:
        for expected in (False, False, True):
            supplier = validated(session, settings)
            assert supplier.trusted is expected
        assert is_trusted(settings, "123456782", IBAN, supplier)
        # A bill to another IBAN is not trusted, and paying it would start the count over.
        assert not is_trusted(settings, "123456782", OTHER, supplier)
        supplier = validated(session, settings, iban=OTHER)
        assert (supplier.streak_iban, supplier.streak_count, supplier.trusted) == (OTHER, 1, False)
        assert [item["iban"] for item in supplier.validated_ibans] == [IBAN, OTHER]


def test_a_corrected_bill_resets_trust(gateway):
    settings = Bills(auto_validate_after=2)
    with gateway.database.transaction() as session:
        validated(session, settings)
        assert validated(session, settings).trusted
        supplier = validated(session, settings, corrections=[{"field": "total_incl_tax"}])
        assert (supplier.trusted, supplier.streak_count, supplier.corrected_count) == (False, 0, 1)
        assert find_supplier(session, "123456782").validated_count == 3


def test_configured_supplier_is_trusted_without_history():
    assert is_trusted(Bills(trusted_suppliers=["123456782"]), "123456782", IBAN, None)
    assert not is_trusted(Bills(), "123456782", IBAN, None)
