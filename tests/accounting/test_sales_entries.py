"""Sales-journal entries: per nature, per rate, deposits and credit notes, booked when issued."""

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from accounting.purchases import supplier_aux_account
from accounting.sales import sales_entry
from accounting.tiers import client_aux_account, tiers_code
from gateway.config import load_config
from invoicing.document_json import document_from_json, document_to_json
from tests.accounting.books import MIXED, SERVICES, client_lines, credit, empty_books, invoice_id, issue, journal
from tests.invoicing.sample_requests import REQUESTS, computed_documents

SETTINGS = load_config(None, environ={}).accounting
DOCUMENTS = computed_documents()


@pytest.fixture
def books_gateway(any_db_gateway):
    empty_books(any_db_gateway.database)
    return any_db_gateway


def entry_of(case: str):
    document = DOCUMENTS[case]
    credited = DOCUMENTS["standard"] if document.kind == "credit_note" else None
    return sales_entry(document, SETTINGS, 7, credited)


def amounts(entry, account: str) -> list[tuple[Decimal, Decimal]]:
    return [(line.debit, line.credit) for line in entry.lines if line.account == account]


@pytest.mark.parametrize("case", sorted(DOCUMENTS))
def test_every_sample_document_books_a_balanced_entry_at_its_totals(case):
    document, entry = DOCUMENTS[case], entry_of(case)
    assert entry.is_balanced()
    assert (entry.journal, entry.source_kind, entry.source_id) == ("VT", "issued", 7)
    assert entry.entry_date == entry.piece_date == document.issue_date and entry.piece_ref == document.number
    owed = sum((line.debit - line.credit for line in client_lines([entry])), Decimal(0))
    assert owed == (-document.total_incl_tax if document.kind == "credit_note" else document.amount_due)


def test_a_mixed_invoice_credits_goods_to_707_and_services_to_706_per_rate():
    entry = entry_of("standard")
    # Services: 12 days at 650 (20 %) and meals at 10 %; goods: books at 5.5 %.
    assert sorted(amounts(entry, "706")) == [(0, Decimal("113.40")), (0, Decimal("7800.00"))]
    assert amounts(entry, "707") == [(0, Decimal("127.50"))]
    assert [line.label for line in entry.lines if line.account == "44571"] == [
        "TVA 20 % Client Industrie SAS FA2026-0001", "TVA 10 % Client Industrie SAS FA2026-0001",
        "TVA 5,5 % Client Industrie SAS FA2026-0001"]


def test_goods_and_services_at_one_rate_share_the_vat_line_but_not_the_sales_account():
    entry = entry_of("b2c")
    assert amounts(entry, "707") == [(0, Decimal("89.90"))] and amounts(entry, "706") == [(0, Decimal("90.00"))]
    assert amounts(entry, "44571") == [(0, Decimal("35.98"))]
    assert entry.label == "Paul Durand FA2026-0005"


@pytest.mark.parametrize("case, account", [("reverse_charge_eu", "706"), ("export", "707"), ("franchise", "706")])
def test_cases_without_vat_book_no_vat_line(case, account):
    entry = entry_of(case)
    assert amounts(entry, "44571") == []
    assert amounts(entry, account) == [(0, DOCUMENTS[case].total_excl_tax)]


def test_a_deposit_invoice_credits_the_deposits_received_account_not_sales():
    entry = entry_of("deposit")
    assert entry.label == "Acompte Client Industrie SAS AC2026-0001"
    assert amounts(entry, "4191") == [(0, Decimal("3000.00"))]
    assert amounts(entry, "44571") == [(0, Decimal("600.00"))]
    assert amounts(entry, "706") == [] and amounts(entry, "411") == [(Decimal("3600.00"), 0)]


def test_a_final_invoice_takes_the_deposit_back_from_4191_and_books_only_the_vat_left():
    entry = entry_of("final_with_deposit")
    assert amounts(entry, "411") == [(Decimal("8400.00"), 0)]
    assert amounts(entry, "4191") == [(Decimal("3000.00"), 0)]
    assert amounts(entry, "706") == [(0, Decimal("10000.00"))]
    assert amounts(entry, "44571") == [(0, Decimal("1400.00"))]


def test_a_credit_note_swaps_the_sides_and_splits_by_the_credited_invoices_natures():
    entry = entry_of("credit_note")
    assert entry.label.startswith("Avoir Client Industrie SAS AV2026-0001") and entry.due_date is None
    assert amounts(entry, "411") == [(0, DOCUMENTS["credit_note"].total_incl_tax)]
    assert all(credit == 0 for debit, credit in amounts(entry, "706") + amounts(entry, "707") + amounts(entry, "44571"))
    assert sum((debit for debit, _ in amounts(entry, "706") + amounts(entry, "707")), Decimal(0)) == Decimal("500.00")
    assert amounts(entry, "707") != []


def test_a_credit_note_of_a_deposit_invoice_takes_back_4191():
    deposit = DOCUMENTS["deposit"]
    note = replace(deposit, kind="credit_note", number="AV2026-0009", due_date=None, amount_due=deposit.total_incl_tax)
    entry = sales_entry(note, SETTINGS, 9, credited=deposit)
    assert amounts(entry, "4191") == [(Decimal("3000.00"), 0)] and amounts(entry, "411") == [(0, Decimal("3600.00"))]


def test_a_document_whose_totals_disagree_is_refused():
    with pytest.raises(ValueError, match="FA2026-0001"):
        sales_entry(replace(DOCUMENTS["standard"], total_incl_tax=Decimal("9619.26")), SETTINGS, 1)
    with pytest.raises(ValueError, match="due"):
        sales_entry(replace(DOCUMENTS["final_with_deposit"], amount_due=Decimal("12000.00")), SETTINGS, 1)


def test_a_document_in_another_currency_is_refused():
    with pytest.raises(ValueError, match="USD"):
        sales_entry(replace(DOCUMENTS["standard"], currency="USD"), SETTINGS, 1)


def test_a_client_without_a_usable_name_gets_c_and_its_siren_a_supplier_f():
    assert client_aux_account("Client Industrie SAS", "552100554") == "CLIENTINDUSTRIE"
    assert client_aux_account("« — »", "552 100 554") == "C552100554"
    assert client_aux_account("", "") == "CLIENT"
    assert supplier_aux_account("« — »", "552100554") == "F552100554" == tiers_code("", "552100554", "F")
    assert supplier_aux_account("", None) == "FOURNISSEUR"


def test_line_nature_is_kept_in_the_snapshot_and_older_snapshots_without_it_still_load():
    document = DOCUMENTS["standard"]
    assert [line.nature for line in document.lines] == ["services", "goods", "services"]
    data = json.loads(json.dumps(document_to_json(document)))
    assert document_from_json(data) == document
    for line in data["lines"]:
        del line["nature"]
    older = document_from_json(data)
    assert [line.nature for line in older.lines] == ["", "", ""]
    # An older mixed snapshot books its lines as services: nothing tells their nature any more.
    assert amounts(sales_entry(older, SETTINGS, 1), "707") == []


def test_a_request_following_its_operation_gives_its_lines_that_nature():
    from invoicing.request import parse_request

    assert parse_request(REQUESTS["export"]).lines[0].nature == "goods"
    assert [line.nature for line in DOCUMENTS["export"].lines] == ["goods", "goods"]


def test_issuing_an_invoice_books_its_sales_entry_with_the_row_as_source(books_gateway):
    number = issue(books_gateway, MIXED)
    (entry,) = journal(books_gateway)
    assert (entry.journal, entry.piece_ref, entry.source_kind) == ("VT", number, "issued")
    assert entry.source_id == invoice_id(books_gateway, number)
    assert amounts(entry, "707") == [(0, Decimal("3000.00")), (0, Decimal("100.00"))]
    assert amounts(entry, "706") == [(0, Decimal("600.00"))]
    assert amounts(entry, "411") == [(Decimal("4425.50"), 0)]
    assert entry.lines[0].aux_account == "CLIENTINDUSTRIE" and entry.lines[0].aux_label == "Client Industrie SAS"


def test_a_deposit_and_its_final_invoice_issued_for_real_balance_4191(books_gateway):
    deposit = issue(books_gateway, {**SERVICES, "kind": "deposit", "deposit": {"percent": "30"}})
    final = issue(books_gateway, {**SERVICES, "deposits": [deposit]})
    entries = journal(books_gateway)
    assert [entry.piece_ref for entry in entries] == [deposit, final]
    assert all(entry.is_balanced() for entry in entries)
    assert sum((line.credit - line.debit for line in client_lines(entries, "4191")), Decimal(0)) == 0
    assert sum((line.debit for line in client_lines(entries)), Decimal(0)) == Decimal("1200.00")


def test_a_credit_note_issued_for_real_books_the_swapped_entry(books_gateway):
    number = issue(books_gateway, MIXED)
    note = credit(books_gateway, number, "120.00", "TTC")
    entries = journal(books_gateway)
    assert [entry.piece_ref for entry in entries] == [number, note]
    assert entries[1].label == f"Avoir Client Industrie SAS {note}"
    assert amounts(entries[1], "411") == [(0, Decimal("120.00"))]
    assert entries[1].source_id == invoice_id(books_gateway, note)


def test_a_free_invoice_is_issued_and_books_nothing(books_gateway):
    free = {**SERVICES, "lines": [{"description": "Diagnostic offert", "quantity": "1", "unit_price": "0"}]}
    assert issue(books_gateway, free)
    assert journal(books_gateway) == []


def test_a_very_long_client_name_keeps_every_label_within_the_column(books_gateway):
    long_name = "Société " + "Très Longue " * 40
    number = issue(books_gateway, {**MIXED, "buyer": {**MIXED["buyer"], "name": long_name}})
    (entry,) = journal(books_gateway)
    assert entry.label.endswith(number) and len(entry.label) <= 255
    assert all(len(line.label) <= 255 and len(line.aux_label) <= 255 for line in entry.lines)
