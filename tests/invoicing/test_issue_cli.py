"""`invoice issue`, `invoice credit` and `archive verify|export`, run as a user runs them."""

import json
import os
import subprocess
import sys
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import facturx
import pytest
from lxml import etree
from sqlalchemy import select

from invoicing.issue import issue_invoice, render_pending
from invoicing.models import Invoice
from invoicing.numbering import IssueDateError
from tests.helpers import ROOT
from tests.invoicing.issuing import EXAMPLE, example_request, flip_one_byte, issue_without_pdf

DAY = "2026-11-26"
CII = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


def run_cli(config, *args):
    environ = {
        **os.environ,
        "GATEWAY_STORAGE__VAR_DIR": str(config.var_dir),
        "GATEWAY_STORAGE__DATABASE_URL": config.database_url,
    }
    return subprocess.run([sys.executable, "-m", "gateway", *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120)


def embedded_totals(pdf: Path) -> dict[str, str]:
    _, xml = facturx.get_facturx_xml_from_pdf(pdf.read_bytes(), check_xsd=False)
    assert facturx.xml_check_xsd(xml)
    summation = etree.fromstring(xml).find(".//ram:SpecifiedTradeSettlementHeaderMonetarySummation", CII)
    return {etree.QName(child).localname: child.text for child in summation}


def test_issue_prints_the_number_and_writes_a_pdf_whose_xml_carries_the_totals(gateway):
    result = run_cli(gateway.config, "invoice", "issue", str(EXAMPLE), "--date", DAY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "FA2026-0001"
    pdf = gateway.config.invoice_pdf_dir / "FA2026-0001.pdf"
    totals = embedded_totals(pdf)
    # The example: 3 days at 650.00 and a 400.00 flat fee, all at 20 %.
    assert (totals["TaxBasisTotalAmount"], totals["TaxTotalAmount"], totals["GrandTotalAmount"]) == ("2350.00", "470.00", "2820.00")
    with gateway.database.sessions() as session:
        invoice = session.execute(select(Invoice)).scalar_one()
    assert (invoice.status, invoice.transmission, invoice.transmission_status) == ("rendered", "email", "pending")
    assert invoice.pdf == pdf.read_bytes()


def test_credit_cites_the_invoice_and_archive_verify_catches_one_changed_byte(gateway, tmp_path):
    issued = issue_invoice(gateway.database, gateway.config, example_request(), today=date(2026, 11, 26))
    result = run_cli(gateway.config, "invoice", "credit", issued.number, "--amount", "100", "--basis", "HT", "--reason", "Remise", "--json")
    assert result.returncode == 0, result.stderr
    credit = json.loads(result.stdout)
    assert (credit["number"], credit["kind"], credit["total_incl_tax"]) == ("AV2026-0001", "credit_note", "120.00")
    shown = json.loads(run_cli(gateway.config, "invoice", "show", "AV2026-0001", "--json").stdout)
    assert shown["corrects"]["number"] == issued.number
    assert run_cli(gateway.config, "archive", "verify").returncode == 0
    export = run_cli(gateway.config, "archive", "export", "--output", str(tmp_path / "archive.zip"))
    assert export.returncode == 0, export.stdout
    with zipfile.ZipFile(tmp_path / "archive.zip") as archive:
        assert [entry["number"] for entry in json.loads(archive.read("manifest.json"))["entries"]] == [issued.number, issued.number, "AV2026-0001", "AV2026-0001"]
    issued.pdf_path.write_bytes(flip_one_byte(issued.pdf_path.read_bytes(), 2000))
    verified = run_cli(gateway.config, "archive", "verify")
    assert verified.returncode == 1
    assert issued.number in verified.stdout and "altered" in verified.stdout


def test_a_second_credit_may_not_exceed_what_remains(gateway):
    from invoicing.credit import credit_invoice

    issued = issue_without_pdf(gateway)
    credit_invoice(gateway.database, gateway.config, issued, amount=Decimal("2000.00"), basis="TTC", today=date(2026, 11, 26))
    with pytest.raises(ValueError, match="820.00 TTC"):
        credit_invoice(gateway.database, gateway.config, issued, amount=Decimal("1000.00"), basis="TTC", today=date(2026, 11, 26))
    last = credit_invoice(gateway.database, gateway.config, issued, amount=None, today=date(2026, 11, 27))
    assert last.total_incl_tax == Decimal("820.00")


def test_a_bad_request_gets_its_reason_and_costs_no_number(gateway, tmp_path):
    request = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    request["lines"][0]["unit_price"] = "six cents"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(request), encoding="utf-8")
    result = run_cli(gateway.config, "invoice", "issue", str(bad))
    assert result.returncode == 2
    assert "lines[1].unit_price" in result.stdout and "Traceback" not in result.stderr
    assert issue_without_pdf(gateway) == "FA2026-0001"


def test_an_issue_date_before_the_last_one_is_refused(gateway):
    issue_without_pdf(gateway, day=date(2026, 11, 26))
    with pytest.raises(IssueDateError):
        issue_without_pdf(gateway, day=date(2026, 11, 25))
    assert issue_without_pdf(gateway, day=date(2026, 11, 27)) == "FA2026-0002"


def test_a_pdf_left_unrendered_by_a_crash_is_rendered_later_under_the_same_number(gateway):
    number = issue_without_pdf(gateway)
    rendered = render_pending(gateway.database, gateway.config)
    assert [(item.number, item.status) for item in rendered] == [(number, "rendered")]
    assert embedded_totals(rendered[0].pdf_path)["GrandTotalAmount"] == "2820.00"
    assert render_pending(gateway.database, gateway.config) == []


def test_a_final_invoice_deducts_a_deposit_once_only(gateway):
    from invoicing.stored import IssueError

    deposit = issue_without_pdf(gateway, kind="deposit", deposit={"percent": "30"})
    assert deposit == "AC2026-0001"
    final = issue_without_pdf(gateway, deposits=[deposit])
    with gateway.database.sessions() as session:
        invoice = session.execute(select(Invoice).where(Invoice.number == final)).scalar_one()
    assert (invoice.total_incl_tax, invoice.amount_due) == ("2820.00", "1974.00")
    with pytest.raises(IssueError, match=f"already deducted by {final}"):
        issue_without_pdf(gateway, deposits=[deposit])
    with pytest.raises(IssueError, match="not a deposit"):
        issue_without_pdf(gateway, deposits=[final])
