"""Dated legal wording: the shipped file, the entry valid on a date, the CGI → CIBS switch as config."""

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from gateway.config import load_config
from invoicing.compute import build_document
from invoicing.legal_texts import REQUIRED_KEYS, LegalTextsError, default_path, load_legal_texts
from invoicing.request import parse_request

SHIPPED = Path(__file__).resolve().parents[2] / "config" / "legal_texts.toml"
# A recodification written the way config/legal_texts.toml says to: a new dated entry. The
# wording here is a test marker, not a legal reference.
RECODIFIED = """
[[franchise]]
valid_from = 2026-09-01
text = "TVA non applicable (nouvelle référence, test)"
"""


def recodified_file(tmp_path: Path) -> Path:
    path = tmp_path / "legal_texts.toml"
    path.write_text(SHIPPED.read_text(encoding="utf-8") + RECODIFIED, encoding="utf-8")
    return path


def test_shipped_file_has_every_required_key():
    texts = load_legal_texts()
    assert default_path() == SHIPPED
    for key in REQUIRED_KEYS:
        assert texts.get(key, date(2026, 11, 26)).text


def test_shipped_wording_of_each_vat_case():
    texts = load_legal_texts()
    on = date(2026, 11, 26)
    assert texts.get("franchise", on).text == "TVA non applicable, art. 293 B du CGI"
    assert "262 ter I" in texts.get("intra_eu_goods", on).text
    assert "283-2" in texts.get("reverse_charge_services", on).text
    assert texts.get("autoliquidation", on).text == "Autoliquidation"
    assert "262 I" in texts.get("export_goods", on).text
    assert "40 €" in texts.get("recovery_indemnity", on).text


def test_entry_valid_on_the_date_is_chosen_before_and_after_the_switch(tmp_path):
    texts = load_legal_texts(recodified_file(tmp_path))
    assert texts.get("franchise", date(2026, 8, 31)).text == "TVA non applicable, art. 293 B du CGI"
    assert texts.get("franchise", date(2026, 9, 1)).text == "TVA non applicable (nouvelle référence, test)"


def test_valid_until_closes_an_entry(tmp_path):
    path = tmp_path / "texts.toml"
    body = SHIPPED.read_text(encoding="utf-8").replace(
        'text = "Autoliquidation"', 'valid_until = 2026-12-31\ntext = "Autoliquidation"'
    )
    path.write_text(body, encoding="utf-8")
    texts = load_legal_texts(path)
    assert texts.get("autoliquidation", date(2026, 12, 31)).text == "Autoliquidation"
    with pytest.raises(LegalTextsError, match="no entry of \\[\\[autoliquidation\\]\\] is valid on 2027-01-01"):
        texts.get("autoliquidation", date(2027, 1, 1))


def test_the_switch_is_a_config_change_for_invoices(tmp_path):
    config = load_config(environ={})
    config = replace(
        config, company=replace(config.company, vat_franchise=True),
        invoicing=replace(config.invoicing, legal_texts=str(recodified_file(tmp_path))),
    )
    request = parse_request({"buyer": {"name": "Client SA", "siren": "552100554"},
                             "lines": [{"description": "Conseil", "unit_price": "100"}]})
    before = build_document(request, config=config, number="FA2026-0001", issue_date=date(2026, 8, 31))
    after = build_document(request, config=config, number="FA2026-0002", issue_date=date(2026, 9, 1))
    assert "TVA non applicable, art. 293 B du CGI" in before.mentions
    assert "TVA non applicable (nouvelle référence, test)" in after.mentions
    assert after.tax_totals[0].exemption_reason == "TVA non applicable (nouvelle référence, test)"


def test_cgi_wording_past_its_tolerance_warns():
    config = load_config(environ={})
    config = replace(config, company=replace(config.company, vat_franchise=True))
    request = parse_request({"buyer": {"name": "Client SA", "siren": "552100554"},
                             "lines": [{"description": "Conseil", "unit_price": "100"}]})
    in_time = build_document(request, config=config, number="FA2027-0001", issue_date=date(2027, 12, 31))
    late = build_document(request, config=config, number="FA2028-0001", issue_date=date(2028, 1, 3))
    assert not any("review date" in warning for warning in in_time.warnings)
    assert any("[[franchise]] is past its review date 2027-12-31" in warning for warning in late.warnings)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[[franchise]]\ntext = 'x'\n", "valid_from is required"),
        ("[[franchise]]\nvalid_from = '2026-01-01'\ntext = 'x'\n", "valid_from must be a date"),
        ("[[franchise]]\nvalid_from = 2026-01-01\ntext = ''\n", "text must be a non-empty string"),
        ("[[franchise]]\nvalid_from = 2026-01-01\ntext = 'x'\nwording = 'y'\n", "unknown field"),
        ("franchise = 'x'\n", "must be a list"),
        ("[[franchise]]\nvalid_from = 2026-01-01\ntext = 'x'\n", "missing entries for intra_eu_goods"),
        ("not toml [", "cannot read legal texts"),
    ],
)
def test_bad_file_is_refused_naming_the_problem(tmp_path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(LegalTextsError, match=message):
        load_legal_texts(path)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(LegalTextsError, match="not found"):
        load_legal_texts(tmp_path / "absent.toml")
