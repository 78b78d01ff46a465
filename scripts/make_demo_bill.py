"""Regenerates config/examples/bill-papeterie.pdf: a supplier's Factur-X bill addressed to the demo company.

    .venv/bin/python scripts/make_demo_bill.py

`make demo` and the README forward this bill to the gateway. The supplier is fictitious (its
SIREN, VAT number and IBAN only pass their check digits); the buyer is the demo company.
"""

import sys
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gateway.config import load_config  # noqa: E402
from invoicing.document import Document, Line, Party, TaxTotal  # noqa: E402
from invoicing.render import InvoiceRenderer  # noqa: E402

OUTPUT = ROOT / "config" / "examples" / "bill-papeterie.pdf"
CENT = Decimal("0.01")
SUPPLIER = Party(
    name="Papeterie du Centre SARL (fournisseur fictif)", address=("8 rue des Cahiers",), postcode="45000",
    city="Orléans", siren="412345670", siret="41234567000001", vat_number="FR96412345670", legal_form="SARL",
    capital="8 000 €", registration="RCS Orléans", email="facturation@papeterie-centre.example",
)
BUYER = Party(
    name="Exemple SARL (société fictive)", address=("1 rue de l'Exemple",), postcode="75001", city="Paris",
    siren="123456782", vat_number="FR11123456782", legal_form="SARL",
)
MENTIONS = (
    "Pénalités de retard : trois fois le taux d'intérêt légal (art. L441-10 du Code de commerce).",
    "Indemnité forfaitaire pour frais de recouvrement : 40 € (art. D441-5 du Code de commerce).",
    "Pas d'escompte pour paiement anticipé.",
)


def demo_bill() -> Document:
    lines = [
        Line("Ramettes papier A4 80 g (carton de 5)", Decimal(12), "carton", Decimal("24.90"), Decimal(20), Decimal("298.80"), "S"),
        Line("Classeurs à levier dos 80 mm", Decimal(30), "pièce", Decimal("3.45"), Decimal(20), Decimal("103.50"), "S"),
        Line("Cartouches d'encre noire XL", Decimal(4), "pièce", Decimal("38.00"), Decimal(20), Decimal("152.00"), "S"),
    ]
    base = sum((line.total for line in lines), Decimal(0))
    tax = (base * Decimal(20) / 100).quantize(CENT, ROUND_HALF_UP)
    return Document(
        kind="invoice", number="PC-2026-0457", issue_date=date(2026, 11, 20), due_date=date(2026, 12, 20),
        seller=SUPPLIER, buyer=BUYER, lines=tuple(lines), tax_totals=(TaxTotal(Decimal(20), base, tax, "S", ""),),
        total_excl_tax=base, total_tax=tax, total_incl_tax=base + tax, amount_due=base + tax,
        payment_terms="30 jours à compter de la date d'émission", iban="FR7630004000030001234567897",
        bic="BNPAFRPP", mentions=MENTIONS, deposits=(),
    )


def main() -> None:
    renderer = InvoiceRenderer(load_config(None, environ={}))
    document = demo_bill()
    OUTPUT.write_bytes(renderer.render_pdf(document))
    print(f"{document.number} {document.total_incl_tax} € -> {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
