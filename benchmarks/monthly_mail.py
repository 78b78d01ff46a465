"""The accountant's monthly mail on PostgreSQL for a busy month: how long writing it takes, per format.

Creates a database of its own beside the one given, books a month of supplier bills (purchase
entries), issues invoices through the real issuing path (sales entries) and records payments on
half of them (bank entries, lettering), then writes the month's mail once per export format inside
a transaction that is rolled back, and prints the time, the entries and the file's size. The
documents' PDFs are not rendered here (the zip is measured by the tests); the mail names them as
missing. Prints figures; it is not a test.

    .venv/bin/python benchmarks/monthly_mail.py [--bills 3000] [--invoices 1000]
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scratch_database import scratch_database  # noqa: E402

DEFAULT_URL = os.environ.get("GATEWAY_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
MONTH = date(2026, 10, 1)
SUPPLIERS = ("Papeterie Martin SARL", "Orange Business", "OVH SAS", "Hôtel du Centre", "Transports Girard")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bills", type=int, default=3000)
    parser.add_argument("--invoices", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--url", default=DEFAULT_URL, help="a PostgreSQL database; the script creates its own beside it")
    args = parser.parse_args()
    with scratch_database(args.url, "monthly_bench") as url, tempfile.TemporaryDirectory() as var_dir:
        run(url, var_dir, args)
    return 0


def run(url: str, var_dir: str, args) -> None:
    from accounting.exports import FORMATS
    from gateway.config import load_config
    from gateway.db import Database

    config = load_config(environ={"GATEWAY_STORAGE__DATABASE_URL": url, "GATEWAY_STORAGE__VAR_DIR": var_dir,
                                  "GATEWAY_MAIL__ACCOUNTANT": "cabinet@comptable.test"})
    database = Database(url)
    try:
        database.migrate()
        began = time.perf_counter()
        book_bills(database, config, args.bills, random.Random(args.seed))
        bills_seconds = time.perf_counter() - began
        began = time.perf_counter()
        issue_and_pay(database, config, args.invoices, random.Random(args.seed + 1))
        print(f"filled: {args.bills} bills booked in {bills_seconds:.1f} s; {args.invoices} invoices issued and "
              f"{args.invoices // 2} paid in {time.perf_counter() - began:.1f} s "
              f"({(time.perf_counter() - began) / args.invoices * 1000:.1f} ms per invoice and its payment)")
        for format_name in FORMATS:
            measure(database, config, format_name)
    finally:
        database.dispose()


def book_bills(database, config, count: int, rng: random.Random) -> None:
    from accounting.journal import record_entry
    from accounting.purchases import PurchaseBill, purchase_entry

    with database.transaction() as session:
        for index in range(count):
            base = Decimal(rng.randint(1000, 500000)) / 100
            vat = (base * Decimal("0.2")).quantize(Decimal("0.01"))
            bill = PurchaseBill(rng.choice(SUPPLIERS), None, f"F-{index:06d}", date(2026, 10, rng.randint(1, 31)),
                                None, rng.choice(("6064", "626", "6135", "6256", "6241")),
                                ((Decimal("20"), base, vat),), base, vat, base + vat)
            record_entry(session, purchase_entry(bill, config.accounting))


def issue_and_pay(database, config, count: int, rng: random.Random) -> None:
    from invoicing.issue import issue_request
    from invoicing.request import parse_request
    from receivables.ledger import find_receivable, settle

    for index in range(count):
        day = date(2026, 10, 1 + index * 20 // count)  # issue dates never go back in a series
        request = {"buyer": {"name": f"Client {index % 150} SAS", "address": ["1 rue du Port"], "postcode": "69003",
                             "city": "Lyon", "siren": "552100554", "email": f"compta{index % 150}@client.example"},
                   "operation": "services", "sale_date": day.isoformat(), "payment_terms": "30 jours",
                   "lines": [{"description": "Prestation", "quantity": "1", "unit": "forfait",
                              "unit_price": str(Decimal(rng.randint(10000, 900000)) / 100), "vat_rate": "20"}]}
        number = issue_request(database, config, parse_request(request), day)
        if index % 2 == 0:
            with database.transaction() as session:
                receivable = find_receivable(session, number, lock=True)
                settle(session, receivable, "payment", Decimal(receivable.outstanding), date(2026, 10, 28), "command",
                       accounting=config.accounting)


def measure(database, config, format_name: str) -> None:
    from dataclasses import replace

    from accounting.monthly_mail import write_monthly_mail
    from accounting.periods import period_for
    from gateway.models import OutboxAttachment
    from gateway.templating import EmailTemplates

    chosen = replace(config, accounting=replace(config.accounting, accountant_format=format_name))
    now = datetime(2026, 11, 2, 10, 0, tzinfo=config.timezone)
    session = database.write_sessions()
    transaction = session.begin()
    try:
        period = period_for(session, MONTH, lock=True)
        began = time.perf_counter()
        rows = write_monthly_mail(session, chosen, EmailTemplates("fr"), period, now)
        session.flush()
        seconds = time.perf_counter() - began
        sizes = [len(attachment.data or b"") for attachment in
                 session.query(OutboxAttachment).filter(OutboxAttachment.outbox_id == rows[0].id)]
    finally:
        # Rolled back: each format's mail is measured on the same month, as the first one of it.
        transaction.rollback()
        session.close()
    print(f"{format_name:>16}: monthly mail written in {seconds:.2f} s, {len(rows)} mail(s), "
          f"largest file {max(sizes) / 1024:.0f} KB")


if __name__ == "__main__":
    sys.exit(main())
