"""The formal notice PDF: the claim, the legal wording of each kind of client, a safe name, no fetch."""

from datetime import date
from decimal import Decimal

import pypdfium2
import pytest

from gateway.config_sections import Company
from invoicing.formatting import format_amount
from receivables.formal_notice import FormalNotice, FormalNoticeRenderer, NoticeInvoice, notice_filename

COMPANY = Company(name="Atelier Martin", legal_form="SARL", capital="10 000 €", siren="123 456 789",
                  registration="RCS Lyon", iban="FR76 3000 4000 0312 3456 7890 143", bic="BNPAFRPPXXX",
                  address="12 rue des Lilas\nBâtiment B", postcode="69003", city="Lyon",
                  email="compta@atelier-martin.fr", phone="04 72 00 00 00")
B2B_WORDING = ("Pénalités de retard au taux de 12,15 % l'an depuis le 29/10/2026, plus l'indemnité forfaitaire "
               "de 40 € pour frais de recouvrement (art. L441-10 du Code de commerce).")
CONSUMER_WORDING = ("Des intérêts au taux légal (6,65 % l'an) pourront être réclamés après mise en demeure "
                    "(art. 1231-6 du Code civil).")


def business_notice(**changes) -> FormalNotice:
    invoices = (
        NoticeInvoice("FA2026-0012", date(2026, 9, 28), date(2026, 10, 28), Decimal("1334.56"), Decimal("1234.56"),
                      Decimal("12.62"), Decimal("40.00")),
        NoticeInvoice("FA2026-0019", date(2026, 10, 15), date(2026, 11, 14), Decimal("600.00"), Decimal("600.00"),
                      Decimal("2.40"), Decimal("40.00")),
    )
    values = dict(company=COMPANY, client_name="Durand SARL", client_address=("3 avenue Foch",),
                  client_postcode="75016", client_city="Paris", consumer=False, invoices=invoices,
                  penalty_wording=B2B_WORDING, dated=date(2026, 11, 26))
    return FormalNotice(**{**values, **changes})


def consumer_notice() -> FormalNotice:
    invoice = NoticeInvoice("FA2026-0031", date(2026, 9, 1), date(2026, 10, 1), Decimal("480.00"), Decimal("480.00"),
                            Decimal("0.00"), Decimal("0.00"))
    return business_notice(client_name="Mme Claire Petit", consumer=True, invoices=(invoice,),
                           penalty_wording=CONSUMER_WORDING)


@pytest.fixture(scope="module")
def renderer():
    return FormalNoticeRenderer()


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        # Whitespace of every kind (no-break, narrow no-break, line ends) compares as one space.
        return " ".join(" ".join(page.get_textpage().get_text_bounded().split()) for page in document)
    finally:
        document.close()


def flat(text: str) -> str:
    return " ".join(text.split())


def test_totals_add_outstanding_penalties_and_indemnities():
    notice = business_notice()
    assert notice.total_outstanding == Decimal("1834.56")
    assert notice.total_penalties == Decimal("15.02")
    assert notice.total_indemnity == Decimal("80.00")
    assert notice.total_claimed == Decimal("1929.58")


def test_business_notice_prints_invoices_totals_deadline_and_legal_steps(renderer):
    pdf = renderer.render_pdf(business_notice())
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in ("Atelier Martin", "SIREN 123 456 789 RCS Lyon", "Durand SARL", "3 avenue Foch", "75016 Paris",
                     "Lyon, le 26 novembre 2026", "Objet : Mise en demeure de payer", "FA2026-0012", "FA2026-0019",
                     "28/10/2026", format_amount(Decimal("1334.56")), format_amount(Decimal("1234.56")),
                     f"Principal restant dû {format_amount(Decimal('1834.56'))}",
                     f"Pénalités de retard à ce jour {format_amount(Decimal('15.02'))}",
                     f"Indemnité forfaitaire pour frais de recouvrement {format_amount(Decimal('80.00'))}",
                     f"Total réclamé {format_amount(Decimal('1929.58'))}", B2B_WORDING,
                     "sous huit jours à compter de la réception de la présente",
                     "engager une procédure de recouvrement judiciaire, notamment une injonction de payer",
                     "IBAN FR76 3000 4000 0312 3456 7890 143", "Nom, qualité et signature"):
        assert flat(expected) in text, expected
    assert "lettre recommandée avec accusé de réception" in text.lower()


def test_consumer_notice_has_the_legal_interest_wording_and_no_indemnity(renderer):
    text = pdf_text(renderer.render_pdf(consumer_notice()))
    assert "FA2026-0031" in text and f"Total réclamé {flat(format_amount(Decimal('480.00')))}" in text
    assert "fait courir les intérêts au taux légal" in text and flat(CONSUMER_WORDING) in text
    assert "Indemnité forfaitaire" not in text and "indemnité forfaitaire" not in text and "40,00" not in text
    assert "L441-10" not in text


def test_an_indemnity_claimed_from_a_consumer_is_refused():
    invoice = NoticeInvoice("FA2026-0031", date(2026, 9, 1), date(2026, 10, 1), Decimal("480.00"), Decimal("480.00"),
                            Decimal("0.00"), Decimal("40.00"))
    with pytest.raises(ValueError, match="consumer owes no recovery indemnity"):
        business_notice(consumer=True, invoices=(invoice,))


def test_a_notice_without_invoices_is_refused():
    with pytest.raises(ValueError, match="no invoice"):
        business_notice(invoices=())


def test_hostile_client_name_and_address_are_escaped_and_fetch_nothing(renderer, web_server):
    hostile = f'<img src="{web_server}/tracker.png"><link rel="stylesheet" href="{web_server}/x.css">'
    notice = business_notice(client_name=hostile, client_address=('<img src="file:///etc/passwd">',),
                             penalty_wording=f"<style>@import url({web_server}/y.css);</style>")
    html = renderer.render_html(notice)
    assert "&lt;img src=" in html and '<img src="http' not in html and "<style>@import" not in html
    renderer.fetcher.refused.clear()
    text = pdf_text(renderer.render_pdf(notice))
    # The markup is printed as text; a long URL may wrap, so spaces are left out of the comparison.
    assert f'<img src="{web_server}/tracker.png">'.replace(" ", "") in text.replace(" ", "")
    assert web_server.requests == [] and list(renderer.fetcher.refused) == []


@pytest.mark.parametrize(("name", "expected"), [
    ("Durand SARL", "mise-en-demeure-durand-sarl-2026-11-26.pdf"),
    ("Société Générale d'Équipement", "mise-en-demeure-societe-generale-d-equipement-2026-11-26.pdf"),
    ("../../etc/passwd", "mise-en-demeure-etc-passwd-2026-11-26.pdf"),
    ("株式会社", "mise-en-demeure-client-2026-11-26.pdf"),
])
def test_filename_is_ascii_and_safe(name, expected):
    assert notice_filename(business_notice(client_name=name)) == expected


def test_a_long_client_name_gives_a_bounded_filename():
    filename = notice_filename(business_notice(client_name="Entreprise " * 30))
    assert len(filename) <= 100 and filename.endswith("-2026-11-26.pdf") and "--" not in filename

