"""The accountant's loop by mail: the monthly mail, corrections by reply, closing a month."""

import io
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from accounting.entries import unbalanced
from accounting.exports import FORMATS, read_export
from accounting.models import AccountingPeriod, JournalEntry
from accounting.month_documents import Piece, zip_parts
from accounting.monthly_mail import FILE_NAMES
from accounting.monthly_tick import send_month
from accounting.periods import parse_month
from bills.models import ReceivedBill, Supplier
from gateway.app import open_gateway
from gateway.models import Decision, OutboxAttachment
from gateway.templating import euros
from invoicing.archive import verify_chain
from invoicing.credit import credit_invoice
from invoicing.issue import issue_request
from invoicing.request import parse_request
from tests.bills.mails import AKRETION, NETPRESSE, answer, forward, token_of
from tests.helpers import STAFF, UNTRUSTED, deliver, make_config, make_mail
from tests.receivables.clock import BUSINESS, at, issue, run_tick, sent

ACCOUNTANT = "cabinet@comptable.test"
OCTOBER = date(2026, 10, 1)


@pytest.fixture
def books(tmp_path, database_url):
    """A gateway on SQLite and on PostgreSQL with an accountant."""
    opened = open_gateway(make_config(tmp_path / "var", database_url, mail={"accountant": ACCOUNTANT}))
    yield opened
    opened.close()


def validated_bill(gateway, path, day: str, extra: str = "") -> None:
    """A staff forward of a corpus bill, answered with its date in October and OK."""
    mail, outbox = forward(gateway, path)
    token = token_of(next(row for row in outbox if row.template == "bill_summary"))
    answer(gateway, token, f"Date : {day}\n{extra}OK\n")


def goods_invoice(gateway, issued_on: date) -> str:
    request = {"buyer": BUSINESS, "operation": "goods", "sale_date": issued_on.isoformat(),
               "payment_terms": "30 jours",
               "lines": [{"description": "Sac de ciment 35 kg", "quantity": "10", "unit": "sac",
                          "unit_price": "12.50", "vat_rate": "20"},
                         {"description": "Livre technique", "quantity": "1", "unit": "pièce",
                          "unit_price": "40.00", "vat_rate": "5.5"}]}
    return issue_request(gateway.database, gateway.config, parse_request(request), issued_on)


def october(gateway) -> dict:
    """Bills, invoices, a credit note and payments, all in October 2026."""
    validated_bill(gateway, NETPRESSE, "12/10/2026")
    services = issue(gateway, date(2026, 10, 5))            # 1 000,00 HT, 1 200,00 TTC
    goods = goods_invoice(gateway, date(2026, 10, 8))
    credit = credit_invoice(gateway.database, gateway.config, services, amount=Decimal("240.00"),
                            today=date(2026, 10, 15)).number
    deliver(gateway, make_mail(sender=STAFF, subject="Paiement", body=f"PAYÉ {services} 960,00 20/10/2026\n"))
    deliver(gateway, make_mail(sender=STAFF, subject="Paiement", body=f"PAYÉ {goods} 100,00 22/10/2026\n"))
    return {"services": services, "goods": goods, "credit": credit}


def monthly_mail(gateway):
    rows = sent(gateway, "accountant_monthly")
    assert rows, "no monthly mail written"
    return rows[-1]


def files_of(gateway, row) -> dict[str, bytes]:
    with gateway.database.sessions() as session:
        return {item.filename: item.data for item in
                session.scalars(select(OutboxAttachment).where(OutboxAttachment.outbox_id == row.id))}


def test_the_tick_mails_october_to_the_accountant_once_with_balanced_journals_documents_and_the_chain_head(books):
    numbers = october(books)
    run_tick(books, "2026-11-02T10:00")
    run_tick(books, "2026-11-02T10:05")
    [row] = sent(books, "accountant_monthly")
    assert row.recipients == [ACCOUNTANT] and "octobre 2026" in row.subject
    files = files_of(books, row)
    entries = read_export("fec", files["ecritures-2026-10-fec.txt"], books.config.accounting)
    assert unbalanced(entries) == []
    assert {entry.journal for entry in entries} == {"HA", "VT", "BQ"}
    assert {entry.piece_ref for entry in entries} >= {"2022089083", *numbers.values()}
    with zipfile.ZipFile(io.BytesIO(files["pieces-2026-10.zip"])) as pieces:
        names = pieces.namelist()
    assert any(name.startswith("achats/") and name.endswith(".pdf") for name in names)
    assert {f"ventes/{number}.pdf" for number in numbers.values()} <= set(names)
    with books.database.sessions() as session:
        period = session.scalar(select(AccountingPeriod))
        head = period.archive_head
    assert head and head in row.body_text and head in files["chaine-archive-2026-10.txt"].decode()
    assert verify_chain(books.database) is None
    # The summary: totals per journal and VAT per rate, in French.
    text = row.body_text
    assert "HA Achats : 1 écriture" in text and "TVA par taux" in text
    assert "5,5 %" in text and "20 %" in text


def test_each_format_of_the_monthly_mail_reads_back_balanced_with_the_three_journals(tmp_path):
    gateway = open_gateway(make_config(tmp_path / "var", mail={"accountant": ACCOUNTANT}))
    try:
        october(gateway)
        for format_name in FORMATS:
            config = replace(gateway.config, accounting=replace(gateway.config.accounting, accountant_format=format_name))
            send_month(gateway.database, config, OCTOBER, at("2026-11-02T10:00"))
            row = monthly_mail(gateway)
            data = files_of(gateway, row)[FILE_NAMES[format_name].format(month="2026-10")]
            entries = read_export(format_name, data, config.accounting)
            assert unbalanced(entries) == [], format_name
            journals = {entry.journal for entry in entries}
            expected = {"HA"} if format_name == "quickbooks-bills" else {"HA", "VT", "BQ"}
            assert journals == expected, format_name
    finally:
        gateway.close()


def test_a_correction_by_reply_books_a_correcting_entry_audits_it_and_sends_the_corrected_file(books):
    numbers = october(books)
    run_tick(books, "2026-11-02T10:00")
    token = token_of(monthly_mail(books))
    mail, [reply] = answer(books, token, f"Bonjour,\n\n{numbers['services'].lower()} compte 7061\n2022089083 TVA 10\n\n"
                           "Cordialement,\nCabinet Comptable\n", sender=ACCOUNTANT, subject="Re: Comptabilité")
    assert reply.template == "accountant_corrections" and reply.recipients == [ACCOUNTANT]
    with books.database.sessions() as session:
        corrections = session.scalars(select(JournalEntry).where(JournalEntry.corrects_entry_id.is_not(None))).all()
        audit = session.scalars(select(Decision).where(Decision.object_kind == "journal_entry")).all()
        supplier = session.scalar(select(Supplier))
    assert len(corrections) == 2 and {entry.source_kind for entry in corrections} == {"correction"}
    assert len(audit) == 2 and {decision.actor for decision in audit} == {ACCOUNTANT}
    assert supplier.last_account == "6068"  # a VAT correction leaves the supplier's account alone
    [(name, data)] = files_of(books, reply).items()
    entries = read_export("fec", data, books.config.accounting)
    assert unbalanced(entries) == []
    corrected = [entry for entry in entries if entry.piece_ref == numbers["services"] and entry.journal == "VT"]
    assert any(line.account == "7061" and line.credit for entry in corrected for line in entry.lines)
    [vat_fix] = [entry for entry in entries if entry.piece_ref == "2022089083" and entry.label.endswith("-> 10 %")]
    # 56,02 TTC at 10 %: 50,93 HT and 5,09 VAT. The 20 % VAT is reversed, 10 % booked, 4,25 more charge.
    assert [(line.account, line.debit, line.credit) for line in vat_fix.lines] == [
        ("6068", Decimal("4.25"), 0), ("44566", 0, Decimal("9.34")), ("44566", Decimal("5.09"), 0)]
    assert f"10 % : collectée {euros(Decimal(0))}, déductible {euros(Decimal('5.09'))}" in reply.body_text


def test_an_account_correction_on_a_bill_becomes_the_suppliers_proposed_account(books):
    october(books)
    run_tick(books, "2026-11-02T10:00")
    answer(books, token_of(monthly_mail(books)), "2022089083 compte 6064\n", sender=ACCOUNTANT)
    with books.database.sessions() as session:
        assert session.scalar(select(Supplier)).last_account == "6064"


def test_a_reply_with_a_line_not_understood_applies_nothing_and_says_why(books):
    numbers = october(books)
    run_tick(books, "2026-11-02T10:00")
    mail, [reply] = answer(books, token_of(monthly_mail(books)),
                           f"{numbers['goods']} compte 7071\nmettez ça en frais divers\n", sender=ACCOUNTANT)
    with books.database.sessions() as session:
        assert session.scalars(select(JournalEntry).where(JournalEntry.corrects_entry_id.is_not(None))).all() == []
    assert "mettez ça en frais divers" in reply.body_text and "rien n'a été appliqué" in reply.body_text


def test_sales_vat_is_not_corrected_by_reply_but_by_a_credit_note(books):
    numbers = october(books)
    run_tick(books, "2026-11-02T10:00")
    mail, [reply] = answer(books, token_of(monthly_mail(books)), f"{numbers['services']} TVA 10\nOK\n",
                           sender=ACCOUNTANT)
    assert "avoir" in reply.body_text.lower()
    with books.database.sessions() as session:
        # A refused correction keeps the month open, even with OK.
        assert session.scalar(select(AccountingPeriod)).state == "open"


def test_ok_closes_the_month_and_a_late_bill_of_that_month_goes_to_the_open_one_with_its_date(books):
    october(books)
    run_tick(books, "2026-11-02T10:00")
    mail, [reply] = answer(books, token_of(monthly_mail(books)), "OK merci\n\nCordialement\n", sender=ACCOUNTANT)
    with books.database.sessions() as session:
        period = session.scalar(select(AccountingPeriod))
        assert (period.state, period.closed_by) == ("closed", ACCOUNTANT)
        assert session.scalar(select(Decision).where(Decision.object_kind == "period")).verdict == "closed"
    assert "clôturé" in reply.body_text
    validated_bill(books, AKRETION, "28/10/2026")
    with books.database.sessions() as session:
        bill = session.scalars(select(ReceivedBill).order_by(ReceivedBill.id.desc())).first()
        late = session.get(JournalEntry, bill.journal_entry_id)
        october_entries = session.scalars(select(JournalEntry).where(JournalEntry.entry_date < date(2026, 11, 1))).all()
    assert (late.entry_date, late.piece_date) == (date(2026, 11, 1), date(2026, 10, 28))
    assert "(pièce du 28/10/2026)" in late.label
    assert late.id not in {entry.id for entry in october_entries}
    # A correction of an October entry after the close is booked in November too.
    answer(books, token_of(monthly_mail(books)), "2022089083 compte 6064\n", sender=ACCOUNTANT)
    with books.database.sessions() as session:
        fix = session.scalar(select(JournalEntry).where(JournalEntry.source_kind == "correction"))
    assert fix.entry_date == date(2026, 11, 1)


def test_the_november_mail_carries_the_late_october_bill_and_says_so(books):
    october(books)
    run_tick(books, "2026-11-02T10:00")
    validated_bill(books, AKRETION, "28/10/2026")  # October still open: booked in October, after its mail
    run_tick(books, "2026-12-01T10:00")
    row = monthly_mail(books)
    assert "novembre 2026" in row.subject
    entries = read_export("fec", files_of(books, row)["ecritures-2026-11-fec.txt"], books.config.accounting)
    assert [entry.entry_date for entry in entries if entry.journal == "HA"] == [date(2026, 10, 28)]
    assert "mois précédents" in row.body_text


def test_a_reply_from_an_unauthenticated_sender_changes_nothing(books):
    october(books)
    run_tick(books, "2026-11-02T10:00")
    token = token_of(monthly_mail(books))
    raw = make_mail(sender=ACCOUNTANT, to=f"factures+{token}@exemple.test", subject="Re", body="OK\n")
    mail, outbox = deliver(books, raw, envelope_from=ACCOUNTANT, trust=UNTRUSTED)
    assert outbox == [] and mail.status == "ignored"
    with books.database.sessions() as session:
        assert session.scalar(select(AccountingPeriod)).state == "open"


def test_no_monthly_mail_without_an_accountant_or_before_the_day(tmp_path):
    gateway = open_gateway(make_config(tmp_path / "var", mail={"accountant": ACCOUNTANT},
                                       accounting={"monthly_day": 5}))
    try:
        run_tick(gateway, "2026-11-04T10:00")
        assert sent(gateway, "accountant_monthly") == []
        run_tick(gateway, "2026-11-05T10:00")
        assert len(sent(gateway, "accountant_monthly")) == 1
    finally:
        gateway.close()
    quiet = open_gateway(make_config(tmp_path / "other"))
    try:
        run_tick(quiet, "2026-11-05T10:00")
        assert sent(quiet, "accountant_monthly") == []
    finally:
        quiet.close()


def test_zips_hold_as_many_documents_as_fit_and_a_large_one_has_a_zip_of_its_own():
    pieces = [Piece("achats/a.pdf", b"a" * 600), Piece("achats/b.pdf", b"b" * 600), Piece("ventes/c.pdf", b"c" * 300),
              Piece("ventes/d.pdf", b"d" * 2000), Piece("ventes/d.pdf", b"e" * 10)]
    parts = [zipfile.ZipFile(io.BytesIO(data)).namelist() for data in zip_parts(pieces, 1000)]
    assert parts == [["achats/a.pdf"], ["achats/b.pdf", "ventes/c.pdf"], ["ventes/d.pdf"], ["ventes/d.pdf"]]
    [together] = [zipfile.ZipFile(io.BytesIO(data)).namelist() for data in zip_parts(pieces, 10_000)]
    assert together[-2:] == ["ventes/d.pdf", "ventes/d-2.pdf"]


def test_documents_beyond_the_zip_limit_go_in_further_mails_of_the_same_thread(tmp_path):
    # A limit of 0 puts every document in a zip of its own, as a small limit does with large files.
    gateway = open_gateway(make_config(tmp_path / "var", mail={"accountant": ACCOUNTANT},
                                       accounting={"documents_zip_max_mb": 0}))
    try:
        numbers = october(gateway)
        send_month(gateway.database, gateway.config, OCTOBER, at("2026-11-02T10:00"))
        first = monthly_mail(gateway)
        followers = sent(gateway, "accountant_documents")
        documents = 1 + len(numbers)
        assert "pieces-2026-10-1-sur-%d.zip" % documents in files_of(gateway, first)
        assert len(followers) == documents - 1
        assert {row.in_reply_to for row in followers} == {first.message_id}
        assert all(row.recipients == [ACCOUNTANT] for row in followers)
    finally:
        gateway.close()


def test_month_is_written_as_yyyy_mm():
    assert parse_month("2026-10") == OCTOBER
    with pytest.raises(ValueError):
        parse_month("octobre")


def test_an_english_speaking_company_mails_and_answers_its_accountant_in_english(tmp_path):
    gateway = open_gateway(make_config(tmp_path / "var", mail={"accountant": ACCOUNTANT, "language": "en"}))
    try:
        numbers = october(gateway)
        run_tick(gateway, "2026-11-02T10:00")
        row = monthly_mail(gateway)
        assert row.subject.startswith("Accounts for October 2026") and "VAT per rate" in row.body_text
        assert "<html lang=\"en\">" in row.body_html
        mail, [reply] = answer(gateway, token_of(row), f"{numbers['goods']} compte 7071\nOK\n", sender=ACCOUNTANT)
        assert "Corrections booked (1)" in reply.body_text and "is closed" in reply.body_text
        mail, [again] = answer(gateway, token_of(row), "what is this?\n", sender=ACCOUNTANT)
        assert "nothing was applied" in again.body_text
    finally:
        gateway.close()


def test_the_accounting_send_command_writes_the_month_again_and_hands_it_to_delivery(tmp_path):
    from typer.testing import CliRunner

    from gateway.cli import app

    config_file = tmp_path / "gateway.toml"
    var_dir = tmp_path / "var"
    config_file.write_text(f'[mail]\ndomains = ["exemple.test"]\naccountant = "{ACCOUNTANT}"\n'
                           f'[storage]\nvar_dir = "{var_dir}"\n', encoding="utf-8")
    runner = CliRunner()
    for _ in range(2):
        result = runner.invoke(app, ["--config", str(config_file), "accounting", "send", "--month", "2026-10",
                                     "--now", "2026-11-26T10:00"])
        assert result.exit_code == 0, result.output
        assert "2026-10 : 1 courriel(s) écrit(s)" in result.output
    delivered = sorted((var_dir / "outbox" / "new").iterdir())
    assert len(delivered) == 2 and b"octobre 2026" in delivered[0].read_bytes()
    bad = runner.invoke(app, ["--config", str(config_file), "accounting", "send", "--month", "octobre"])
    assert bad.exit_code == 2 and "AAAA-MM" in bad.output


def test_two_schedulers_writing_the_month_at_once_write_it_once(books):
    import threading

    october(books)
    results, barrier = [], threading.Barrier(2)

    def write():
        barrier.wait()
        results.append(send_month(books.database, books.config, OCTOBER, at("2026-11-02T10:00"), again=False))

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1]
    assert len(sent(books, "accountant_monthly")) == 1


def test_corrections_sent_back_in_a_corrected_file_are_not_sent_again_with_the_next_month(books):
    october(books)
    run_tick(books, "2026-11-02T10:00")
    answer(books, token_of(monthly_mail(books)), "2022089083 compte 6064\n", sender=ACCOUNTANT)
    run_tick(books, "2026-12-01T10:00")
    november = monthly_mail(books)
    entries = read_export("fec", files_of(books, november)["ecritures-2026-11-fec.txt"], books.config.accounting)
    assert [entry for entry in entries if entry.piece_ref == "2022089083"] == []


def test_a_month_not_over_yet_is_not_closed_and_the_answer_says_from_when(books):
    from accounting.periods import month_of, next_month, not_ended_anywhere
    from invoicing.issue import today_in

    this_month = month_of(today_in(books.config))
    assert not_ended_anywhere(this_month)
    send_month(books.database, books.config, this_month, at(f"{this_month}T10:00"))
    mail, [reply] = answer(books, token_of(monthly_mail(books)), "OK\n", sender=ACCOUNTANT)
    with books.database.sessions() as session:
        assert session.scalar(select(AccountingPeriod)).state == "open"
    assert f"à partir du {next_month(this_month):%d/%m/%Y}" in reply.body_text
