"""`invoice-gateway extract`, run as a user runs it: JSON, the French summary, mails, bad files."""

import json
import os
import subprocess
import sys
from email.message import EmailMessage

from facturx import get_facturx_xml_from_pdf

from tests.extraction.corpus import CORPUS, expected_of
from tests.helpers import ROOT

AKRETION = CORPUS / "facturx" / "akretion_invoice_EN16931.pdf"


def run_extract(*args):
    environment = {**os.environ, "GATEWAY_EXTRACTION__POOL_SIZE": "1"}
    return subprocess.run([sys.executable, "-m", "gateway", "extract", *map(str, args)], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=120)


def make_eml(*attachments: tuple[str, str, bytes]) -> bytes:
    message = EmailMessage()
    message["From"] = "marie@exemple.test"
    message["To"] = "factures@exemple.test"
    message["Subject"] = "Fwd: votre facture"
    message.set_content("Bonjour,\nvoici la facture.\n")
    for filename, content_type, data in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def test_extract_json_gives_the_design_fields():
    result = run_extract(AKRETION, "--json")
    assert result.returncode == 0, result.stderr
    bill = json.loads(result.stdout)
    expected = expected_of(AKRETION)
    assert bill["source"] == "facturx" and bill["kind"] == "invoice"
    assert bill["number"] == expected["number"]
    assert bill["issue_date"] == expected["issue_date"]
    assert bill["total_incl_tax"] == expected["total_incl_tax"]
    for key in ("supplier", "buyer", "due_date", "currency", "total_excl_tax", "total_tax", "tax_lines",
                "confidence", "warnings"):
        assert key in bill


def test_extract_without_json_prints_a_french_summary():
    result = run_extract(AKRETION, "--no-embedded-xml")
    assert result.returncode == 0, result.stderr
    assert "facture" in result.stdout
    assert "Total HT" in result.stdout and "TTC" in result.stdout
    assert expected_of(AKRETION)["number"] in result.stdout


def test_extract_of_a_mail_gives_one_entry_per_attachment(tmp_path):
    xml_name, xml = get_facturx_xml_from_pdf(AKRETION.read_bytes(), check_xsd=False)
    mail = tmp_path / "transfert.eml"
    mail.write_bytes(make_eml(("facture.pdf", "application/pdf", AKRETION.read_bytes()),
                              (xml_name, "application/xml", xml),
                              ("cgv.txt", "text/plain", b"Conditions generales de vente")))
    result = run_extract(mail, "--json")
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)
    assert [entry["filename"] for entry in entries] == ["facture.pdf", xml_name, "cgv.txt"]
    assert sum(1 for entry in entries if entry["kind"] == "invoice" and not entry["duplicate_of"]) == 1


def test_extract_of_a_broken_file_exits_1_with_the_reason():
    broken = CORPUS / "hostile" / "Mustang-CLI_src_test_resources_corrupt-factur-x-waytoosmall.pdf"
    result = run_extract(broken, "--json")
    assert result.returncode == 1
    bill = json.loads(result.stdout)
    assert bill["kind"] == "other"
    assert bill["warnings"][0].startswith("unreadable: ") and "PDF" in bill["warnings"][0]


def test_extract_refuses_an_unknown_engine():
    result = run_extract(AKRETION, "--engine", "magic")
    assert result.returncode == 2
    assert "--engine" in result.stderr
