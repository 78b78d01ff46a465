"""Renders a Document as a PDF/A-3 invoice (WeasyPrint) with its Factur-X XML embedded."""

import threading
import tomllib
from pathlib import Path

import facturx
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from gateway.config import Config
from gateway.resources import resource_dir
from invoicing import formatting
from invoicing.confined_fetcher import ConfinedURLFetcher
from invoicing.document import Document
from invoicing.facturx_xml import facturx_xml

# PDF/A-3 level B (visual appearance), the container Factur-X requires; factur-x then adds the
# XML as an associated file and rewrites the XMP metadata for it.
PDF_VARIANT = "pdf/a-3b"


class InvoiceRenderer:
    """Loads templates, labels, CSS and fonts once; renders any number of documents after."""

    def __init__(self, config: Config):
        self.folder = resource_dir("templates") / "invoices"
        self.logo = _logo_path(config.invoicing.logo)
        self.fetcher = ConfinedURLFetcher(self.folder, (self.logo,) if self.logo else ())
        self.labels = {language: _labels(self.folder, language) for language in formatting.LOCALES}
        self.environment = _environment(self.folder)
        self.template = self.environment.get_template("invoice.html")
        self.font_config = FontConfiguration()
        self.stylesheet = CSS(filename=str(self.folder / "invoice.css"), url_fetcher=self.fetcher,
                              font_config=self.font_config)
        # WeasyPrint's font configuration and parsed CSS are shared between renders; one render
        # at a time keeps them consistent when a worker runs several threads.
        self._lock = threading.Lock()

    def render_html(self, document: Document) -> str:
        """The invoice as HTML: every value formatted, none computed."""
        labels = self.labels.get(document.language)
        if labels is None:
            raise ValueError(f"Invoice {document.number}: unsupported language {document.language!r}")
        label = labels["labels"]
        corrects = document.corrects
        return self.template.render(
            doc=document,
            language=document.language,
            label=label,
            title=labels["title"][document.kind],
            operation=labels["operation"].get(document.operation, document.operation),
            corrects_text=label["corrects"].format(
                number=corrects.number, date=formatting.format_long_date(corrects.issue_date, document.language),
            ) if corrects else "",
            logo_url=self.logo.as_uri() if self.logo else "",
        )

    def html_to_pdf(self, html: str) -> bytes:
        """A PDF/A-3 of invoice HTML with the invoice CSS and fonts, loading nothing but allowed files."""
        with self._lock:
            page = HTML(string=html, base_url=str(self.folder) + "/", url_fetcher=self.fetcher)
            return page.write_pdf(stylesheets=[self.stylesheet], font_config=self.font_config,
                                  pdf_variant=PDF_VARIANT)

    def render_pdf(self, document: Document) -> bytes:
        """The Factur-X PDF of a document: PDF/A-3 with the EN 16931 XML checked against its XSD."""
        xml = facturx_xml(document)
        pdf = self.html_to_pdf(self.render_html(document))
        labels = self.labels[document.language]
        title = f"{labels['title'][document.kind]} {document.number}"
        metadata = {
            "author": document.seller.name,
            "keywords": "Factur-X",
            "title": f"{document.seller.name} : {title}",
            "subject": f"{title} — {document.buyer.name}",
        }
        return facturx.generate_from_binary(
            pdf, xml, flavor="factur-x", level="en16931", check_xsd=True,
            pdf_metadata=metadata, lang=labels["lang"],
        )


def _logo_path(configured: str) -> Path | None:
    if not configured:
        return None
    path = Path(configured).expanduser().resolve()
    if not path.is_file():
        raise ValueError(f"invoicing.logo: {configured} is not a readable file")
    return path


def _labels(folder: Path, language: str) -> dict:
    with open(folder / f"labels.{language}.toml", "rb") as handle:
        return tomllib.load(handle)


def _environment(folder: Path) -> Environment:
    environment = Environment(loader=FileSystemLoader(str(folder)), autoescape=True,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    # The filters read the document's language from the template context, so one environment
    # serves both languages.
    environment.filters.update({
        "amount": pass_context(lambda context, value: formatting.format_amount(
            value, context["language"], context["doc"].currency)),
        "rate": pass_context(lambda context, value: formatting.format_rate(value, context["language"])),
        "quantity": pass_context(lambda context, value: formatting.format_quantity(value, context["language"])),
        "long_date": pass_context(lambda context, value: formatting.format_long_date(value, context["language"])),
    })
    return environment
