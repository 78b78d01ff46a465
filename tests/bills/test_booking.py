"""Reverse charge is recognised from the supplier's VAT number and the VAT charged, or from the bill's words."""

from decimal import Decimal

import pytest

from bills.booking import is_reverse_charge, purchase_bill_of
from bills.models import ReceivedBill


@pytest.mark.parametrize("vat_number, tax, notes, expected", [
    ("IE9825613N", Decimal("0"), [], True),  # an Irish cloud provider charging no VAT
    ("DE123456789", None, [], True),
    ("EL094259216", Decimal("0.00"), [], True),  # Greece writes EL
    ("DE123456789", Decimal("19.00"), [], False),  # foreign VAT charged: not ours to self-assess
    ("FR11123456782", Decimal("0"), [], False),  # a French supplier without VAT is not reverse charge
    ("GB123456789", Decimal("0"), [], False),  # outside the EU
    ("", Decimal("0"), ["Autoliquidation - art. 283-2 du CGI"], True),
    ("", Decimal("0"), ["VAT reverse charge applies"], True),
])
def test_reverse_charge(vat_number, tax, notes, expected):
    assert is_reverse_charge(vat_number, tax, notes) is expected


def test_bill_without_date_or_account_cannot_be_booked():
    row = ReceivedBill(id=1, total_incl_tax="12.00", total_tax="2.00", total_excl_tax="10.00", issue_date="",
                       account="6064", tax_lines=[], kind="invoice", supplier_name="ACME")
    with pytest.raises(ValueError, match="issue_date"):
        purchase_bill_of(row)


def test_credit_note_is_booked_as_a_credit_note():
    row = ReceivedBill(id=7, total_incl_tax="12.00", total_tax="2.00", total_excl_tax="10.00", issue_date="2026-03-01",
                       due_date="", account="6064", tax_lines=[{"rate": "20", "base": "10.00", "amount": "2.00"}],
                       kind="credit_note", supplier_name="ACME", supplier_siren="", number="AV-1", reverse_charge=False)
    bill = purchase_bill_of(row)
    assert bill.is_credit_note and bill.tax_lines == ((Decimal("20"), Decimal("10.00"), Decimal("2.00")),)
    assert bill.source_id == 7 and bill.due_date is None
