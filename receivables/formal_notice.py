"""The formal notice to pay (« mise en demeure de payer »): a French letter as a PDF, for registered post."""

import re
import threading
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from gateway.config_sections import Company
from gateway.resources import resource_dir
from invoicing import formatting
from invoicing.confined_fetcher import ConfinedURLFetcher
from invoicing.parties import seller_party

@dataclass(frozen=True)
class NoticeInvoice:
    number: str
    issue_date: date
    due_date: date
    total_incl_tax: Decimal
    outstanding: Decimal
    # Late-payment penalties (B2B) or interest at the legal rate (consumer) accrued at the notice's date.
    penalty: Decimal
    # The fixed €40 recovery indemnity: business clients only.
    indemnity: Decimal


@dataclass(frozen=True)
class FormalNotice:
    company: Company
    client_name: str
    client_address: tuple[str, ...]
    client_postcode: str
    client_city: str
    consumer: bool
    invoices: tuple[NoticeInvoice, ...]
    penalty_wording: str
    dated: date

    def __post_init__(self):
        if not self.invoices:
            raise ValueError(f"Formal notice to {self.client_name}: no invoice to claim")
        # Claiming the indemnity from a consumer would be unlawful (art. L441-10 applies between
        # businesses only): refuse the letter rather than print a wrong claim.
        if self.consumer and any(invoice.indemnity for invoice in self.invoices):
            raise ValueError(f"Formal notice to {self.client_name}: a consumer owes no recovery indemnity")

    @property
    def total_outstanding(self) -> Decimal:
        return sum((invoice.outstanding for invoice in self.invoices), Decimal("0.00"))

    @property
    def total_penalties(self) -> Decimal:
        return sum((invoice.penalty for invoice in self.invoices), Decimal("0.00"))

    @property
    def total_indemnity(self) -> Decimal:
        return sum((invoice.indemnity for invoice in self.invoices), Decimal("0.00"))

    @property
    def total_claimed(self) -> Decimal:
        return self.total_outstanding + self.total_penalties + self.total_indemnity


class FormalNoticeRenderer:
    """Loads the letter's template, CSS and fonts once; renders any number of notices after."""

    def __init__(self):
        self.folder = resource_dir("templates") / "invoices"
        self.fetcher = ConfinedURLFetcher(self.folder)
        self.environment = Environment(loader=FileSystemLoader(str(self.folder)), autoescape=True,
                                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.environment.filters.update({
            "amount": lambda value: formatting.format_amount(value, "fr"),
            "short_date": lambda value: formatting.format_short_date(value, "fr"),
            "long_date": lambda value: formatting.format_long_date(value, "fr"),
        })
        self.template = self.environment.get_template("formal_notice.html")
        self.font_config = FontConfiguration()
        self.stylesheet = CSS(filename=str(self.folder / "formal_notice.css"), url_fetcher=self.fetcher,
                              font_config=self.font_config)
        # As for invoices: the font configuration and parsed CSS are shared, one render at a time.
        self._lock = threading.Lock()

    def render_html(self, notice: FormalNotice) -> str:
        """The letter as HTML: every value formatted, none computed."""
        return self.template.render(notice=notice, seller=seller_party(notice.company))

    def render_pdf(self, notice: FormalNotice) -> bytes:
        """A plain PDF of the letter (no Factur-X: it is no invoice), loading nothing outside templates."""
        html = self.render_html(notice)
        with self._lock:
            page = HTML(string=html, base_url=str(self.folder) + "/", url_fetcher=self.fetcher)
            return page.write_pdf(stylesheets=[self.stylesheet], font_config=self.font_config)


def notice_filename(notice: FormalNotice) -> str:
    """« mise-en-demeure-durand-sarl-2026-11-26.pdf »: ASCII, no path separator, whatever the client's name."""
    ascii_name = unicodedata.normalize("NFKD", notice.client_name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].rstrip("-") or "client"
    return f"mise-en-demeure-{slug}-{notice.dated.isoformat()}.pdf"
