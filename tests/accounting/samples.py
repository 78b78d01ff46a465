"""The fixed sets of entries behind the golden files.

Two sets: five purchases through the real booking rules (the first golden files), and a month of
the three journals — purchases, sales with a deposit and a credit note, bank payments with
lettering — written as plain entries, since sales and bank entries are booked elsewhere.
Run `python -m tests.accounting.samples` to write the golden files again after a deliberate change of
a format, then read the diff before keeping it.
"""

from datetime import date
from decimal import Decimal as D
from pathlib import Path

from accounting.entries import Entry, EntryLine, number_entries
from accounting.exports import WRITERS
from accounting.purchases import PurchaseBill, purchase_entry
from gateway.config_sections import Accounting

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_FILES = {"fec": "fec.txt", "sage": "sage.pnm", "ciel": "XIMPORT.TXT", "quickbooks": "quickbooks.csv",
                "quickbooks-bills": "quickbooks_bills.csv"}
MONTH_GOLDEN_FILES = {"fec": "month_fec.txt", "sage": "month_sage.pnm", "ciel": "month_XIMPORT.TXT",
                      "quickbooks": "month_quickbooks.csv", "quickbooks-bills": "month_quickbooks_bills.csv"}
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


MONTH_BOOKED_ON = date(2026, 4, 30)
SETTLED_ON = date(2026, 4, 20)


def _sale(number: str, day: date, lines: tuple[EntryLine, ...], **extra) -> Entry:
    """A sales entry: the client's 411 line first, whose label is the entry's (the files print no other)."""
    return Entry(SETTINGS.sales_journal, day, number, day, lines[0].label, lines, source_kind="issued", **extra)


def _client(label: str, client: str, code: str, debit=D("0.00"), credit=D("0.00"), **lettering) -> EntryLine:
    return EntryLine(SETTINGS.client_account, label, debit, credit, aux_account=code, aux_label=client, **lettering)


def month_entries() -> list[Entry]:
    """April 2026: two bills, four sales documents and two payments, the first of which settles an invoice."""
    purchases = [purchase_entry(bill, SETTINGS) for bill in (
        PurchaseBill("Papeterie Martin SARL", "552100554", "PM-0412", date(2026, 4, 1), date(2026, 5, 1), "6064",
                     ((D("20"), D("150.00"), D("30.00")),), D("150.00"), D("30.00"), D("180.00"), source_id=21),
        PurchaseBill("Hetzner Online GmbH", None, "R0012399999", date(2026, 4, 3), None, "6135",
                     (), D("45.90"), D("0.00"), D("45.90"), reverse_charge=True, source_id=22),
    )]
    s = SETTINGS
    dupont, lefevre = "Dupont SA", "Boulangerie Lefèvre & Fils"
    invoice, deposit, final, credit_note = "FA2026-0012", "FA2026-0013", "FA2026-0020", "AV2026-0003"
    settled = {"lettering": "A", "lettered_on": SETTLED_ON}
    sales = [
        # Services at 20 % and goods at 5,5 %: one product line and one VAT line per rate.
        _sale(invoice, date(2026, 4, 6), (
            _client(f"{dupont} {invoice}", dupont, "DUPONT", debit=D("1411.00"), **settled),
            EntryLine(s.services_account, f"{dupont} {invoice}", credit=D("1000.00")),
            EntryLine(s.collected_vat_account, f"TVA 20 % {dupont} {invoice}", credit=D("200.00")),
            EntryLine(s.goods_account, f"{dupont} {invoice}", credit=D("200.00")),
            EntryLine(s.collected_vat_account, f"TVA 5,5 % {dupont} {invoice}", credit=D("11.00")),
        ), due_date=date(2026, 5, 6), source_id=31),
        # A 30 % deposit on an order of 2 000,00 HT of services.
        _sale(deposit, date(2026, 4, 8), (
            _client(f"Acompte {lefevre} {deposit}", lefevre, "LEFEVRE", debit=D("720.00")),
            EntryLine(s.deposit_account, f"Acompte {lefevre} {deposit}", credit=D("600.00")),
            EntryLine(s.collected_vat_account, f"TVA 20 % Acompte {lefevre} {deposit}", credit=D("120.00")),
        ), due_date=date(2026, 4, 8), source_id=32),
        # The final invoice: the deposit's HT comes off 4191, its VAT was collected with the deposit.
        _sale(final, date(2026, 4, 24), (
            _client(f"{lefevre} {final}", lefevre, "LEFEVRE", debit=D("1680.00")),
            EntryLine(s.deposit_account, f"Acompte {deposit} {lefevre} {final}", debit=D("600.00")),
            EntryLine(s.services_account, f"{lefevre} {final}", credit=D("2000.00")),
            EntryLine(s.collected_vat_account, f"TVA 20 % {lefevre} {final}", credit=D("280.00")),
        ), due_date=date(2026, 5, 24), source_id=33),
        # A credit note: the invoice's lines with the sides swapped.
        _sale(credit_note, date(2026, 4, 27), (
            _client(f"Avoir {dupont} {credit_note}", dupont, "DUPONT", credit=D("120.00")),
            EntryLine(s.services_account, f"Avoir {dupont} {credit_note}", debit=D("100.00")),
            EntryLine(s.collected_vat_account, f"TVA 20 % Avoir {dupont} {credit_note}", debit=D("20.00")),
        ), source_id=34),
    ]
    payments = [
        # The invoice paid in full: its 411 line and this one share the lettering A.
        Entry(s.bank_journal, SETTLED_ON, invoice, SETTLED_ON, f"Règlement {dupont} {invoice}", (
            EntryLine(s.bank_account, f"Règlement {dupont} {invoice}", debit=D("1411.00")),
            _client(f"Règlement {dupont} {invoice}", dupont, "DUPONT", credit=D("1411.00"), **settled),
        ), source_kind="payment", source_id=41),
        # A part payment of the final invoice: nothing lettered yet.
        Entry(s.bank_journal, date(2026, 4, 28), final, date(2026, 4, 28), f"Règlement {lefevre} {final}", (
            EntryLine(s.bank_account, f"Règlement {lefevre} {final}", debit=D("1000.00")),
            _client(f"Règlement {lefevre} {final}", lefevre, "LEFEVRE", credit=D("1000.00")),
        ), source_kind="payment", source_id=42),
    ]
    # By date, as the export of a period lists them.
    return sorted([*purchases, *sales, *payments], key=lambda entry: entry.entry_date)


def month_booked():
    return number_entries(month_entries(), MONTH_BOOKED_ON)


def write_golden_files() -> None:
    for name, file_name in GOLDEN_FILES.items():
        (GOLDEN / file_name).write_bytes(WRITERS[name](sample_booked(), SETTINGS))
    for name, file_name in MONTH_GOLDEN_FILES.items():
        (GOLDEN / file_name).write_bytes(WRITERS[name](month_booked(), SETTINGS))


if __name__ == "__main__":
    write_golden_files()
