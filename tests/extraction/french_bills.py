"""French test bills written as HTML and printed to PDF with WeasyPrint, with the values they hold."""

from pathlib import Path

_STYLE = """
@page { size: A4; margin: 18mm 15mm; }
body { font-family: 'Liberation Sans', sans-serif; font-size: 10pt; }
table { border-collapse: collapse; }
td, th { padding: 2pt 6pt; vertical-align: top; }
.parties td { width: 50%; }
.lines { width: 100%; margin-top: 12pt; }
.lines th { text-align: left; border-bottom: 1px solid #444; }
.num { text-align: right; white-space: nowrap; }
.totals { margin-left: auto; margin-top: 10pt; }
footer { margin-top: 24pt; font-size: 8pt; text-align: center; }
"""

SUPPLIER = {
    "name": "Atelier Dupont SARL", "siren": "842315798", "siret": "84231579800012",
    "vat_number": "FR18842315798", "iban": "FR7630006000000001123456786", "bic": "AGRIFRPP",
}
BUYER = {"name": "Boulangerie Martin SAS", "siren": "913572467", "vat_number": "FR67913572467"}


def _page(body: str) -> str:
    return f"<html><head><meta charset='utf-8'><style>{_STYLE}</style></head><body>{body}</body></html>"


_HEADER = """
<table class="parties"><tr>
<td><b>Atelier Dupont SARL</b><br>12 rue des Tanneurs<br>69002 Lyon<br>SIRET : 842 315 798 00012<br>
N° TVA intracommunautaire : FR 18 842 315 798</td>
<td><b>Facturé à</b><br>Boulangerie Martin SAS<br>4 place du Marché<br>38000 Grenoble<br>
SIREN : 913 572 467<br>N° TVA : FR67913572467</td>
</tr></table>
"""
_FOOTER = """
<footer>Atelier Dupont SARL au capital de 10 000 € – RCS Lyon 842 315 798 –
IBAN : FR76 3000 6000 0000 0112 3456 786 – BIC : AGRIFRPP<br>
Pénalités de retard : trois fois le taux d'intérêt légal. Indemnité forfaitaire de recouvrement : 40 €.</footer>
"""

SINGLE_RATE = _page(_HEADER + """
<h2>FACTURE</h2>
<p>Facture n° FA-2026-0042<br>Date de facture : 15 mars 2026<br>Date d'échéance : 14 avril 2026<br>
N° de commande : BC-7781</p>
<table class="lines"><tr><th>Désignation</th><th>Qté</th><th>P.U. HT</th><th>Montant HT</th></tr>
<tr><td>Réparation vitrine</td><td class="num">1</td><td class="num">1 034,56 €</td><td class="num">1 034,56 €</td></tr>
<tr><td>Déplacement</td><td class="num">2</td><td class="num">100,00 €</td><td class="num">200,00 €</td></tr>
</table>
<table class="totals">
<tr><td>Total HT</td><td class="num">1&#8239;234,56&nbsp;€</td></tr>
<tr><td>TVA 20 %</td><td class="num">246,91&nbsp;€</td></tr>
<tr><td>Total TTC</td><td class="num">1&#8239;481,47&nbsp;€</td></tr>
<tr><td><b>Net à payer</b></td><td class="num"><b>1&#8239;481,47&nbsp;€</b></td></tr>
</table>""" + _FOOTER)

SINGLE_RATE_EXPECTED = {
    "number": "FA-2026-0042", "issue_date": "2026-03-15", "due_date": "2026-04-14", "currency": "EUR",
    "total_excl_tax": "1234.56", "total_tax": "246.91", "total_incl_tax": "1481.47", "amount_due": "1481.47",
    "tax_lines": [("20", "1234.56", "246.91")],
}

SEVERAL_RATES = _page(_HEADER + """
<table style="width:100%"><tr><td><h2>FACTURE</h2></td>
<td style="text-align:right">N° de facture : 2026/117<br>Date : 1er mars 2026<br>Échéance : 31/03/2026</td></tr></table>
<table class="lines"><tr><th>Désignation</th><th>Taux TVA</th><th>Montant HT</th></tr>
<tr><td>Pain de campagne (lot)</td><td class="num">5,5 %</td><td class="num">200,00</td></tr>
<tr><td>Repas traiteur</td><td class="num">10 %</td><td class="num">350,00</td></tr>
<tr><td>Location vitrine réfrigérée</td><td class="num">20 %</td><td class="num">1 500,00</td></tr>
</table>
<h3>Détail de la TVA</h3>
<table><tr><th>Taux</th><th>Base HT</th><th>Montant TVA</th></tr>
<tr><td class="num">5,5 %</td><td class="num">200,00</td><td class="num">11,00</td></tr>
<tr><td class="num">10 %</td><td class="num">350,00</td><td class="num">35,00</td></tr>
<tr><td class="num">20 %</td><td class="num">1 500,00</td><td class="num">300,00</td></tr></table>
<table class="totals" style="margin-top:16pt"><tr><th>Total HT</th><th>Total TVA</th><th>Total TTC</th></tr>
<tr><td class="num">2 050,00 €</td><td class="num">346,00 €</td><td class="num">2 396,00 €</td></tr></table>
<p style="text-align:right">Acompte versé : 396,00 €<br><b>Net à payer : 2 000,00 €</b></p>""" + _FOOTER)

SEVERAL_RATES_EXPECTED = {
    "number": "2026/117", "issue_date": "2026-03-01", "due_date": "2026-03-31", "currency": "EUR",
    "total_excl_tax": "2050.00", "total_tax": "346.00", "total_incl_tax": "2396.00", "amount_due": "2000.00",
    "tax_lines": [("5.5", "200.00", "11.00"), ("10", "350.00", "35.00"), ("20", "1500.00", "300.00")],
}


def _many_rows(count: int) -> str:
    return "".join(
        f"<tr><td>Heure de conseil, séance {row}</td><td class='num'>1</td>"
        f"<td class='num'>50,00 €</td><td class='num'>50,00 €</td></tr>"
        for row in range(1, count + 1)
    )


TWO_PAGES = _page("""
<table class="parties"><tr>
<td><b>Conseil Bernard SAS</b><br>8 avenue Foch<br>75116 Paris<br>SIREN 502 184 633</td>
<td><b>Client</b><br>Boulangerie Martin SAS<br>4 place du Marché<br>38000 Grenoble<br>N° TVA : FR67913572467</td>
</tr></table>
<h2>Facture N° 2026-031</h2><p>Paris, le 02/02/2026</p>
<table class="lines"><tr><th>Désignation</th><th>Qté</th><th>P.U. HT</th><th>Montant HT</th></tr>"""
    + _many_rows(44) + """
</table>
<table class="totals"><tr><td>Montant HT</td><td class="num">2 200,00 €</td></tr>
<tr><td>TVA (20,00 %)</td><td class="num">440,00 €</td></tr>
<tr><td>Montant TTC</td><td class="num">2 640,00 €</td></tr></table>
<footer>Conseil Bernard SAS – RCS Paris 502 184 633 – TVA intracommunautaire FR60502184633</footer>""")

TWO_PAGES_EXPECTED = {
    "number": "2026-031", "issue_date": "2026-02-02", "due_date": None, "currency": "EUR",
    "total_excl_tax": "2200.00", "total_tax": "440.00", "total_incl_tax": "2640.00",
    "tax_lines": [("20.00", "2200.00", "440.00")],
    "supplier": {"name": "Conseil Bernard SAS", "siren": "502184633", "vat_number": "FR60502184633"},
}

CREDIT_NOTE = _page(_HEADER + """
<h2>AVOIR n° AV-2026-003</h2><p>Date : 20/03/2026<br>Avoir sur la facture FA-2026-0042</p>
<table class="totals"><tr><td>Total HT</td><td class="num">-100,00 €</td></tr>
<tr><td>TVA 20 %</td><td class="num">-20,00 €</td></tr>
<tr><td>Total TTC</td><td class="num">-120,00 €</td></tr></table>""" + _FOOTER)

CREDIT_NOTE_EXPECTED = {
    "number": "AV-2026-003", "issue_date": "2026-03-20", "currency": "EUR",
    "total_excl_tax": "-100.00", "total_tax": "-20.00", "total_incl_tax": "-120.00",
}


NO_VAT = _page("""
<table class="parties"><tr>
<td><b>Client :</b><br>Boulangerie Martin SAS<br>4 place du Marché<br>38000 Grenoble</td>
<td style="text-align:right"><b>Marie Leroy</b><br>Graphiste indépendante<br>3 impasse des Lilas, 33000 Bordeaux<br>
SIRET 842 315 798 00012</td></tr></table>
<table style="margin-top:20pt"><tr><th>FACTURE N°</th><th>DATE</th><th>ÉCHÉANCE</th></tr>
<tr><td>2026-015</td><td>05/01/2026</td><td>04/02/2026</td></tr></table>
<table class="lines"><tr><th>Désignation</th><th>Montant</th></tr>
<tr><td>Création du logo</td><td class="num">600,00 €</td></tr>
<tr><td>Déclinaisons (cartes, en-têtes)</td><td class="num">250,00 €</td></tr></table>
<table class="totals"><tr><td><b>Total</b></td><td class="num"><b>850,00 €</b></td></tr></table>
<p>TVA non applicable, art. 293 B du CGI</p>""")

NO_VAT_EXPECTED = {
    "number": "2026-015", "issue_date": "2026-01-05", "due_date": "2026-02-04", "currency": "EUR",
    "total_excl_tax": "850.00", "total_tax": "0.00", "total_incl_tax": "850.00",
    "supplier": {"siren": "842315798", "siret": "84231579800012"},
}

DISCOUNT = _page("""
<table class="parties"><tr>
<td><b>Client</b><br>Boulangerie Martin SAS<br>4 place du Marché<br>38000 Grenoble<br>
Votre n° TVA : FR67913572467</td>
<td style="text-align:right"><b>Conseil Bernard SAS</b><br>8 avenue Foch<br>75116 Paris</td></tr></table>
<p style="text-align:right">Paris, le 7 avril 2026</p>
<p><b>Facture n° CB-26-0091</b><br>Votre commande n° 5521 du 2 avril 2026</p>
<table class="lines"><tr><th>Désignation</th><th>Montant HT</th></tr>
<tr><td>Audit de l'organisation</td><td class="num">1 000,00</td></tr></table>
<table class="totals">
<tr><td>Total HT brut</td><td class="num">1 000,00 €</td></tr>
<tr><td>Remise 10 %</td><td class="num">-100,00 €</td></tr>
<tr><td>Total HT net</td><td class="num">900,00 €</td></tr>
<tr><td>TVA 20 %</td><td class="num">180,00 €</td></tr>
<tr><td>Total TTC</td><td class="num">1 080,00 €</td></tr>
<tr><td>Acompte versé</td><td class="num">300,00 €</td></tr>
<tr><td><b>Reste à payer</b></td><td class="num"><b>780,00 €</b></td></tr></table>
<p>À régler avant le 7 mai 2026 par virement.</p>
<footer>Conseil Bernard SAS – capital 5 000 € – SIREN 502 184 633 – RCS Paris – TVA FR60502184633<br>
IBAN FR76 3000 6000 0000 0112 3456 786</footer>""")

DISCOUNT_EXPECTED = {
    "number": "CB-26-0091", "issue_date": "2026-04-07", "due_date": "2026-05-07", "currency": "EUR",
    "total_excl_tax": "900.00", "total_tax": "180.00", "total_incl_tax": "1080.00", "amount_due": "780.00",
    "tax_lines": [("20", "900.00", "180.00")],
    "supplier": {"siren": "502184633", "vat_number": "FR60502184633", "iban": "FR7630006000000001123456786"},
}


def render(html: str, folder: Path, name: str) -> Path:
    """The PDF of one bill; WeasyPrint fetches nothing (no URLs in these pages)."""
    from weasyprint import HTML

    path = folder / f"{name}.pdf"
    HTML(string=html, base_url=str(folder)).write_pdf(path)
    return path


# Failure classes of the text rules found with benchmarks/text_synthetic_dev.py, one small bill each.

# A number printed in groups with single spaces, beside the label.
SPACED_NUMBER = _page(_HEADER + """
<p>Facture N° FA 2026 001<br>Date : 12/03/26</p>
<table class="totals"><tr><td>Total HT</td><td class="num">500,00 €</td></tr>
<tr><td>TVA 20 %</td><td class="num">100,00 €</td></tr>
<tr><td>Total TTC</td><td class="num">600,00 €</td></tr></table>""" + _FOOTER)

SPACED_NUMBER_EXPECTED = {"number": "FA 2026 001", "issue_date": "2026-03-12", "total_incl_tax": "600.00"}

# Labels above their values, on the row of a large title: the title must not hide the values.
BESIDE_TITLE = _page("""
<table style="width:100%"><tr><td><h1 style="font-size:30pt;margin:0">FACTURE</h1></td>
<td><table><tr><th>Numéro de facture</th><th>Date d'émission</th><th>Échéance</th></tr>
<tr><td>2026/03/0045</td><td>2026-03-12</td><td>11/04/2026</td></tr></table></td></tr></table>
""" + _HEADER + """
<table class="totals"><tr><td>Total HT</td><td class="num">1.000,00 €</td></tr>
<tr><td>TVA 20 %</td><td class="num">200,00 €</td></tr>
<tr><td>Total TTC</td><td class="num">1.200,00 €</td></tr></table>""" + _FOOTER)

BESIDE_TITLE_EXPECTED = {"number": "2026/03/0045", "issue_date": "2026-03-12", "due_date": "2026-04-11"}

# A totals header row whose labels wrap onto a second line in narrow columns; the rate appears
# only in the item rows; the VAT number of the footer is cut by the line wrap.
WRAPPED = _page("""
<table class="parties"><tr>
<td><b>Conseil Bernard SAS</b><br>8 avenue Foch<br>75116 Paris</td>
<td><b>Client</b><br>Boulangerie Martin SAS<br>4 place du Marché<br>38000 Grenoble</td></tr></table>
<p>Facture n° CB-2026-77<br>Date : 2 février 2026</p>
<table class="lines"><tr><th>Désignation</th><th>Qté</th><th>TVA</th><th>Montant HT</th></tr>
<tr><td>Maintenance annuelle</td><td class="num">1</td><td class="num">10 %</td><td class="num">€ 1 500,00</td></tr></table>
<table class="totals" style="width:230pt"><tr><th>Total HT</th><th>TVA</th><th>Total toutes taxes comprises</th></tr>
<tr><td class="num">€ 1 500,00</td><td class="num">€ 150,00</td><td class="num">€ 1 650,00</td></tr></table>
<p style="font-size:8pt">Conseil Bernard SAS – SAS au capital de 5 000 € – RCS Paris 502 184 633 – TVA intracommunautaire : FR60<br>
502184633 – Pénalités de retard : trois fois le taux d'intérêt légal.</p>""")

WRAPPED_EXPECTED = {
    "number": "CB-2026-77", "issue_date": "2026-02-02",
    "total_excl_tax": "1500.00", "total_tax": "150.00", "total_incl_tax": "1650.00",
    "tax_lines": [("10", "1500.00", "150.00")],
    "supplier": {"siren": "502184633", "vat_number": "FR60502184633"},
}
