"""The grounds on which a bill repeats an earlier one, strongest first."""

import pytest

from bills.duplicates import ground_of
from bills.models import ReceivedBill


def bill(**values) -> ReceivedBill:
    base = {"file_sha256": "a" * 64, "supplier_siren": "123456782", "supplier_key": "123456782", "number": "F-1",
            "total_incl_tax": "104.90", "issue_date": "2026-01-31"}
    return ReceivedBill(**{**base, **values})


@pytest.mark.parametrize("new, expected", [
    (bill(), "file"),
    (bill(file_sha256="b" * 64), "number"),
    (bill(file_sha256="b" * 64, number="f 1"), "number"),  # spacing and case of the number do not matter
    (bill(file_sha256="b" * 64, number="F-2"), "amount_date"),
    (bill(file_sha256="b" * 64, number="F-2", total_incl_tax="104.9"), "amount_date"),  # 104.9 is 104.90
    (bill(file_sha256="b" * 64, number="F-2", issue_date="2026-02-28"), None),
    (bill(file_sha256="b" * 64, number="F-2", total_incl_tax="105.00"), None),
    (bill(file_sha256="b" * 64, supplier_siren="", supplier_key="name:acme"), None),
])
def test_ground_of_a_repeat(new, expected):
    assert ground_of(new, bill()) == expected


def test_same_number_from_another_supplier_is_no_duplicate():
    other = bill(file_sha256="b" * 64, supplier_siren="732829320", supplier_key="732829320")
    assert ground_of(other, bill()) is None
