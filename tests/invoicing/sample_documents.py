"""Documents built by hand for each VAT case, so rendering is tested apart from the computation."""

from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from invoicing.document import Document, Line, Party, Reference, TaxTotal

CENT = Decimal("0.01")

SELLER = Party(
    name="Exemple SARL (société fictive)", address=("1 rue de l'Exemple",), postcode="75001", city="Paris",
    siren="123456782", siret="12345678200010", vat_number="FR11123456782", legal_form="SARL",
    capital="10 000 €", registration="RCS Paris", email="contact@exemple.test",
)
FRANCHISE_SELLER = Party(
    name="Jeanne Martin", address=("8 impasse des Lilas",), postcode="69003", city="Lyon",
    siren="732829320", siret="73282932000074", registration="RM 69", entrepreneur_individuel=True,
    email="jeanne@exemple.test",
)
BUYER = Party(
    name="Client Industrie SAS", address=("12 avenue du Client", "Bâtiment B"), postcode="33000",
    city="Bordeaux", siren="552100554", vat_number="FR40552100554", legal_form="SAS",
)
EU_BUYER = Party(
    name="Kunde GmbH", address=("Hauptstraße 5",), postcode="10115", city="Berlin", country="DE",
    vat_number="DE123456789",
)
EXPORT_BUYER = Party(name="Client Suisse SA", address=("Rue du Lac 3",), postcode="1201", city="Genève", country="CH")
CONSUMER = Party(name="Paul Durand", address=("4 rue des Particuliers",), postcode="44000", city="Nantes", consumer=True)

B2B_MENTIONS = (
    "Pénalités de retard : trois fois le taux d'intérêt légal, exigibles dès le lendemain de l'échéance (art. L441-10 du Code de commerce).",
    "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 € (art. D441-5 du Code de commerce).",
    "Pas d'escompte pour paiement anticipé.",
)
B2C_MENTIONS = (
    "Pénalités de retard : trois fois le taux d'intérêt légal, exigibles dès le lendemain de l'échéance.",
    "Pas d'escompte pour paiement anticipé.",
)
EXEMPTIONS = {
    "AE": "TVA due par le preneur, article 283-2 du CGI",
    "K": "Exonération de TVA, article 262 ter I du CGI",
    "G": "Exonération de TVA, article 262 I du CGI (exportation)",
    "E": "TVA non applicable, art. 293 B du CGI",
}
COMMON = dict(number="FA2026-0042", issue_date=date(2026, 11, 26), due_date=date(2026, 12, 26),
              payment_terms="30 jours à compter de la date d'émission", iban="FR7630006000011234567890189", bic="AGRIFRPP")


def line(description, quantity, unit, price, rate, category="S") -> Line:
    quantity, price, rate = Decimal(quantity), Decimal(price), Decimal(rate)
    total = (quantity * price).quantize(CENT, ROUND_HALF_UP)
    return Line(description, quantity, unit, price, rate, total, category)


def tax_totals(lines, reason: str = "") -> tuple[TaxTotal, ...]:
    totals = []
    for rate, category in sorted({(item.vat_rate, item.vat_category) for item in lines}, reverse=True):
        base = sum((item.total for item in lines if item.vat_rate == rate and item.vat_category == category), Decimal(0))
        amount = (base * rate / 100).quantize(CENT, ROUND_HALF_UP)
        totals.append(TaxTotal(rate, base, amount, category, reason if category != "S" else ""))
    return tuple(totals)


def document(lines, *, reason: str = "", deposits=(), **fields) -> Document:
    taxes = tax_totals(lines, reason)
    excl = sum((tax.base for tax in taxes), Decimal(0))
    tax = sum((tax.amount for tax in taxes), Decimal(0))
    prepaid = sum((t.base + t.amount for deposit in deposits for t in deposit.tax_totals), Decimal(0))
    values = dict(COMMON, kind="invoice", seller=SELLER, buyer=BUYER, mentions=B2B_MENTIONS)
    values.update(fields)
    return Document(lines=tuple(lines), tax_totals=taxes, total_excl_tax=excl, total_tax=tax,
                    total_incl_tax=excl + tax, amount_due=excl + tax - prepaid, deposits=tuple(deposits), **values)


def standard() -> Document:
    lines = [line("Développement de l'application de réservation", "12", "jour", "650.00", "20"),
             line("Formation des équipes (organisme non exonéré)", "2", "jour", "800.00", "20"),
             line("Ouvrages techniques", "3", "pièce", "42.50", "5.5"),
             line("Repas de travail servis sur place", "6", "unité", "18.90", "10")]
    return document(lines, operation="mixed", purchase_order="BC-2026-118", period_start=date(2026, 11, 2),
                    period_end=date(2026, 11, 20), delivery_address=("Client Industrie SAS", "Entrepôt Nord", "ZI des Pins", "33520 Bruges"),
                    mentions=(*B2B_MENTIONS, "Option pour le paiement de la taxe d'après les débits."))


def reverse_charge_eu() -> Document:
    lines = [line("Audit de sécurité du système d'information", "5", "jour", "900.00", "0", "AE")]
    return document(lines, reason=EXEMPTIONS["AE"], buyer=EU_BUYER, vat_case="reverse_charge_eu", operation="services",
                    sale_date=date(2026, 11, 20), number="FA2026-0043",
                    mentions=(*B2B_MENTIONS, "Autoliquidation"))


def intra_eu_goods() -> Document:
    lines = [line("Palettes de panneaux isolants", "4", "unité", "1250.00", "0", "K")]
    return document(lines, reason=EXEMPTIONS["K"], buyer=EU_BUYER, vat_case="reverse_charge_eu", operation="goods",
                    sale_date=date(2026, 11, 23), number="FA2026-0046", mentions=(*B2B_MENTIONS, "Autoliquidation"))


def export() -> Document:
    lines = [line("Machine de découpe laser LX-200", "1", "unité", "18500.00", "0", "G"),
             line("Pièces de rechange", "10", "pièce", "35.00", "0", "G")]
    return document(lines, reason=EXEMPTIONS["G"], buyer=EXPORT_BUYER, vat_case="export", operation="goods",
                    sale_date=date(2026, 11, 24), number="FA2026-0044", purchase_order="PO-7781")


def franchise() -> Document:
    lines = [line("Création d'un logo et charte graphique", "1", "forfait", "1200.00", "0", "E"),
             line("Retouches supplémentaires", "3", "heure", "45.00", "0", "E")]
    return document(lines, reason=EXEMPTIONS["E"], seller=FRANCHISE_SELLER, vat_case="franchise", operation="services",
                    sale_date=date(2026, 11, 18), number="FA2026-0007", iban="FR7612548029989876543210917", bic="AXABFRPP",
                    mentions=(*B2B_MENTIONS, "TVA non applicable, art. 293 B du CGI"))


def b2c() -> Document:
    lines = [line("Réparation d'un ordinateur portable", "1.5", "heure", "60.00", "20"),
             line("Disque SSD 1 To", "1", "pièce", "89.90", "20")]
    return document(lines, buyer=CONSUMER, operation="mixed", sale_date=date(2026, 11, 25), number="FA2026-0045",
                    payment_terms="À réception", due_date=date(2026, 11, 26), mentions=B2C_MENTIONS)


def credit_note() -> Document:
    original = standard()
    lines = [line("Remise commerciale sur le développement (geste commercial)", "1", "jour", "650.00", "20")]
    return document(lines, kind="credit_note", number="AV2026-0003", operation="services", due_date=None, payment_terms="",
                    corrects=Reference(original.number, original.issue_date, tax_totals(lines)), credit_basis="ht")


def deposit() -> Document:
    lines = [line("Acompte de 30 % sur la commande BC-2026-200", "1", "forfait", "3000.00", "20")]
    return document(lines, kind="deposit", number="AC2026-0005", operation="services", purchase_order="BC-2026-200")


def final_with_deposit() -> Document:
    paid = deposit()
    lines = [line("Développement du portail client (commande BC-2026-200)", "1", "forfait", "10000.00", "20")]
    cited = Reference(paid.number, paid.issue_date, paid.tax_totals)
    return document(lines, number="FA2026-0050", operation="services", purchase_order="BC-2026-200", deposits=(cited,),
                    sale_date=date(2026, 11, 26))


def long_invoice(count: int = 80) -> Document:
    lines = [line(f"Intervention de maintenance n° {index} sur site", "1", "heure", "55.00", "20" if index % 3 else "10")
             for index in range(1, count + 1)]
    return document(lines, number="FA2026-0099", operation="services", sale_date=date(2026, 11, 25))


def english(doc: Document) -> Document:
    return replace(doc, language="en")


# The VAT cases of the issue, one sample each, plus the credit note, the deposit and the final invoice.
SAMPLES = {
    "standard": standard, "reverse_charge_eu": reverse_charge_eu, "intra_eu_goods": intra_eu_goods, "export": export, "franchise": franchise,
    "b2c": b2c, "credit_note": credit_note, "deposit": deposit, "final_with_deposit": final_with_deposit,
}
