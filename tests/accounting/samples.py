"""The fixed set of entries behind the golden files: five purchases through the real booking rules.

Run `python -m tests.accounting.samples` to write the golden files again after a deliberate change of
a format, then read the diff before keeping it.
"""

from datetime import date
from decimal import Decimal as D
from pathlib import Path

from accounting.entries import number_entries
from accounting.exports import WRITERS
from accounting.purchases import PurchaseBill, purchase_entry
from gateway.config_sections import Accounting

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_FILES = {"fec": "fec.txt", "sage": "sage.pnm", "ciel": "XIMPORT.TXT", "quickbooks": "quickbooks_bills.csv"}
SETTINGS = Accounting()
BOOKED_ON = date(2026, 3, 31)

BILLS = (
    # Office supplies at 20 %.
    PurchaseBill("Fournitures Générales SARL", "552100554", "F-2026-101", date(2026, 3, 2), date(2026, 4, 1), "6064",
                 ((D("20"), D("100.00"), D("20.00")),), D("100.00"), D("20.00"), D("120.00"), source_id=11),
    # Electricity at 20 %, an amount with a thousands digit.
    PurchaseBill("Énergie Côte d'Azur SAS", "443061841", "EL-7781", date(2026, 3, 5), date(2026, 3, 20), "6061",
                 ((D("20"), D("1234.56"), D("246.91")),), D("1234.56"), D("246.91"), D("1481.47"), source_id=12),
    # A caterer's bill at two rates, 20 % and 5,5 %.
    PurchaseBill("Épicerie Fine Müller & Fils", None, "CMD-55", date(2026, 3, 10), None, "6257",
                 ((D("20"), D("50.00"), D("10.00")), (D("5.5"), D("200.00"), D("11.00"))),
                 D("250.00"), D("21.00"), D("271.00"), source_id=13),
    # A credit note of the office-supplies supplier: the same entry, sides swapped.
    PurchaseBill("Fournitures Générales SARL", "552100554", "AV-2026-007", date(2026, 3, 12), None, "6064",
                 ((D("20"), D("-20.00"), D("-4.00")),), D("-20.00"), D("-4.00"), D("-24.00"),
                 is_credit_note=True, source_id=14),
    # Cloud hosting from Germany: reverse charge, VAT booked by the buyer at 20 %.
    PurchaseBill("Hetzner Online GmbH", None, "R0012345678", date(2026, 3, 15), date(2026, 3, 29), "6135",
                 (), D("45.90"), D("0.00"), D("45.90"), reverse_charge=True, source_id=15),
)


def sample_entries():
    return [purchase_entry(bill, SETTINGS) for bill in BILLS]


def sample_booked():
    return number_entries(sample_entries(), BOOKED_ON)


def write_golden_files() -> None:
    for name, file_name in GOLDEN_FILES.items():
        (GOLDEN / file_name).write_bytes(WRITERS[name](sample_booked(), SETTINGS))


if __name__ == "__main__":
    write_golden_files()
