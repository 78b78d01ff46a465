"""The invoice PDF: every mention printed, the number on every page, fonts embedded, XML inside."""

import io
import subprocess
from pathlib import Path
from dataclasses import replace
from decimal import Decimal

import facturx
import pypdf
import pypdfium2
import pytest
from lxml import etree
from PIL import Image

from gateway.config import Config
from invoicing.document import Line
from invoicing.formatting import format_amount, format_long_date, format_rate
from invoicing.render import InvoiceRenderer
from tests.invoicing import sample_documents as samples

RAM = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


@pytest.fixture(scope="module")
def renderer():
    return InvoiceRenderer(Config())


@pytest.fixture(scope="module")
def pdfs(renderer):
    """Each sample rendered once for the whole module (a render takes a few tenths of a second)."""
    return {name: renderer.render_pdf(make()) for name, make in samples.SAMPLES.items()}


def page_texts(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        # Whitespace of every kind (no-break, narrow no-break, line ends) compares as one space.
        return [" ".join(page.get_textpage().get_text_bounded().split()) for page in document]
    finally:
        document.close()


def flat(text: str) -> str:
    return " ".join(text.split())


def expected_fields(document) -> list[str]:
    """What the law wants printed, as the reader should find it on the page."""
    language = document.language
    seller, buyer = document.seller, document.buyer
    fields = [document.number, format_long_date(document.issue_date, language), seller.name, seller.siren,
              seller.registration, buyer.name, *buyer.address, buyer.city, *document.mentions,
              format_amount(document.total_excl_tax, language), format_amount(document.total_tax, language),
              format_amount(document.total_incl_tax, language), format_amount(document.amount_due, language)]
    fields += [value for value in (seller.siret, seller.vat_number, seller.legal_form, seller.capital, buyer.siren,
                                   buyer.vat_number, document.purchase_order, document.payment_terms) if value]
    fields += list(document.delivery_address)
    if document.kind != "credit_note":
        fields += [document.iban, format_long_date(document.due_date, language)] if document.due_date else [document.iban]
    for date in (document.sale_date, document.period_start, document.period_end):
        if date:
            fields.append(format_long_date(date, language))
    for line in document.lines:
        fields += [line.description, format_amount(line.unit_price, language), format_rate(line.vat_rate, language),
                   format_amount(line.total, language)]
    for tax in document.tax_totals:
        fields += [format_amount(tax.base, language), format_amount(tax.amount, language), tax.exemption_reason]
    for deposit in document.deposits:
        fields.append(deposit.number)
        fields += [format_amount(tax.base, language) for tax in deposit.tax_totals]
    return [flat(field) for field in fields if field]


@pytest.mark.parametrize("case", sorted(samples.SAMPLES))
def test_every_mention_and_mandatory_field_is_printed(case, pdfs):
    text = " ".join(page_texts(pdfs[case]))
    missing = [field for field in expected_fields(samples.SAMPLES[case]()) if field not in text]
    assert missing == []


def test_nature_of_operation_and_vat_on_debits_are_printed(pdfs):
    text = " ".join(page_texts(pdfs["standard"]))
    assert "Nature de l'opération : Livraison de biens et prestation de services" in text
    assert "Option pour le paiement de la taxe d'après les débits." in text


def test_entrepreneur_individuel_is_marked_ei(pdfs):
    assert "Jeanne Martin (EI)" in " ".join(page_texts(pdfs["franchise"]))


def test_credit_note_cites_original_number_date_and_basis(pdfs):
    text = " ".join(page_texts(pdfs["credit_note"]))
    assert "Avoir N° AV2026-0003" in text
    assert "Avoir sur la facture n° FA2026-0042 du 26 novembre 2026" in text
    assert "Montant crédité exprimé hors taxes (HT)" in text


def test_final_invoice_lists_deducted_deposits_per_rate(pdfs):
    text = " ".join(page_texts(pdfs["final_with_deposit"]))
    assert "Acompte n° AC2026-0005 du 26 novembre 2026" in text
    assert "Base HT 20 % / TVA −3 000,00 € / −600,00 €" in text
    assert "Net à payer 8 400,00 €" in text


def test_number_and_page_count_are_on_every_page_of_a_long_invoice(renderer):
    document = samples.long_invoice(80)
    pages = page_texts(renderer.render_pdf(document))
    assert len(pages) >= 2
    for index, text in enumerate(pages, start=1):
        assert f"Facture N° {document.number}" in text
        assert f"Page {index} / {len(pages)}" in text
    text = " ".join(pages)
    assert all(line.description in text for line in document.lines)


@pytest.mark.parametrize("case", ["standard", "credit_note"])
def test_every_font_is_embedded(case, pdfs, tmp_path):
    path = tmp_path / "invoice.pdf"
    path.write_bytes(pdfs[case])
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows, "the PDF names no font"
    # Columns: name, type (may hold spaces), encoding, emb, sub, uni, object, generation.
    assert all(row.split()[-5] == "yes" for row in rows), rows
    assert all("Liberation" in row for row in rows)


@pytest.mark.parametrize("case", sorted(samples.SAMPLES))
def test_embedded_xml_carries_the_documents_totals(case, pdfs):
    document = samples.SAMPLES[case]()
    name, xml = facturx.get_facturx_xml_from_pdf(io.BytesIO(pdfs[case]), check_xsd=True)
    assert name == "factur-x.xml"
    root = etree.fromstring(xml)
    summation = root.xpath("//ram:SpecifiedTradeSettlementHeaderMonetarySummation", namespaces=RAM)[0]
    assert Decimal(summation.findtext("ram:GrandTotalAmount", namespaces=RAM)) == document.total_incl_tax
    assert Decimal(summation.findtext("ram:DuePayableAmount", namespaces=RAM)) == document.amount_due


def test_pdf_declares_pdfa3_and_factur_x_en16931(pdfs):
    reader = pypdf.PdfReader(io.BytesIO(pdfs["standard"]))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfaid:part>3</pdfaid:part>" in xmp
    assert "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in xmp


def test_english_invoice_uses_english_labels_dates_and_amounts(renderer):
    document = samples.english(samples.standard())
    text = " ".join(page_texts(renderer.render_pdf(document)))
    for expected in ("Invoice No. FA2026-0042", "Issue date: 26 November 2026", "Total incl. VAT €11,539.25",
                     "Amount due €11,539.25", "Nature of the operation: Supply of goods and services", "5.5%"):
        assert expected in text


def test_unsupported_language_is_refused_with_a_reason(renderer):
    with pytest.raises(ValueError, match="unsupported language 'de'"):
        renderer.render_html(replace(samples.standard(), language="de"))


def test_markup_in_user_text_is_escaped_and_fetches_nothing(renderer, web_server):
    hostile = (f'<img src="{web_server}/tracker.png"> <link rel="stylesheet" href="file:///etc/passwd">'
               f'<style>@import url({web_server}/x.css);</style>')
    document = samples.standard()
    document = replace(document, lines=(replace(document.lines[0], description=hostile), *document.lines[1:]),
                       notes='<img src="file:///etc/passwd">')
    html = renderer.render_html(document)
    assert "&lt;img src=" in html and '<img src="http' not in html
    text = " ".join(page_texts(renderer.render_pdf(document)))
    assert f'<img src="{web_server}/tracker.png">' in text
    assert web_server.requests == []


def test_fetcher_refuses_urls_and_files_outside_templates_even_in_raw_html(renderer, web_server):
    html = (f'<html><head><link rel="stylesheet" href="{web_server}/style.css">'
            f'<link rel="stylesheet" href="file:///etc/passwd"></head><body>'
            f'<img src="{web_server}/pixel.png"><img src="file:///etc/hostname">'
            f'<img src="../../config/gateway.toml"><p style="background: url({web_server}/bg.png)">x</p></body></html>')
    renderer.fetcher.refused.clear()
    assert renderer.html_to_pdf(html).startswith(b"%PDF")
    assert web_server.requests == []
    refused = renderer.fetcher.refused
    assert f"{web_server}/style.css" in refused and f"{web_server}/pixel.png" in refused
    assert "file:///etc/passwd" in refused and "file:///etc/hostname" in refused
    assert any(url.endswith("config/gateway.toml") for url in refused)


def test_configured_logo_is_the_one_file_served_outside_templates(tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 40), (200, 30, 30)).save(logo)
    config = Config()
    config = replace(config, invoicing=replace(config.invoicing, logo=str(logo)))
    renderer = InvoiceRenderer(config)
    pdf = renderer.render_pdf(samples.standard())
    assert list(renderer.fetcher.refused) == []
    document = pypdfium2.PdfDocument(pdf)
    try:
        assert any(obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE for obj in document[0].get_objects())
    finally:
        document.close()


def test_missing_logo_stops_the_renderer_with_the_key_named(tmp_path):
    config = Config()
    config = replace(config, invoicing=replace(config.invoicing, logo=str(tmp_path / "absent.png")))
    with pytest.raises(ValueError, match="invoicing.logo"):
        InvoiceRenderer(config)


def test_long_description_wraps_inside_its_cell(renderer):
    document = samples.standard()
    long_text = "Prestation " + "très détaillée " * 60
    wrapped = (Line(long_text.strip(), Decimal(1), "forfait", Decimal("10.00"), Decimal(20), Decimal("10.00")),)
    text = " ".join(page_texts(renderer.render_pdf(replace(document, lines=wrapped))))
    assert flat(long_text) in text


SAMPLES_DIR = Path(__file__).resolve().parents[2] / "docs" / "samples"
PUBLISHED = sorted(SAMPLES_DIR.glob("*.pdf"))


def test_a_sample_is_published_for_each_vat_case():
    names = {path.stem for path in PUBLISHED}
    assert {"standard", "reverse_charge_eu", "export", "franchise", "b2c", "credit_note", "deposit"} <= names
    assert all(path.with_suffix(".png").is_file() for path in PUBLISHED)


@pytest.mark.parametrize("path", PUBLISHED, ids=lambda path: path.stem)
def test_published_sample_prints_every_mention_and_its_number_on_every_page(path):
    pdf = path.read_bytes()
    _, xml = facturx.get_facturx_xml_from_pdf(io.BytesIO(pdf), check_xsd=True)
    root = etree.fromstring(xml)
    number = root.findtext("{*}ExchangedDocument/{*}ID")
    notes = [flat(note.text) for note in root.iterfind("{*}ExchangedDocument/{*}IncludedNote/{*}Content")]
    pages = page_texts(pdf)
    assert notes and all(number in page for page in pages)
    text = " ".join(pages)
    assert [note for note in notes if note not in text] == []


@pytest.mark.parametrize("path", PUBLISHED, ids=lambda path: path.stem)
def test_published_sample_embeds_every_font(path):
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows)


def test_unbroken_long_word_stays_on_the_page(renderer):
    document = samples.standard()
    token = "REF" + "X" * 400
    hostile = replace(document, lines=(replace(document.lines[0], description=token), *document.lines[1:]))
    pdf = pypdfium2.PdfDocument(renderer.render_pdf(hostile))
    try:
        page = pdf[0]
        textpage = page.get_textpage()
        rights = [textpage.get_charbox(index)[2] for index in range(textpage.count_chars())]
        assert max(rights) <= page.get_width()
    finally:
        pdf.close()
