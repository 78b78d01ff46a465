"""Item lines as salespeople write them, French and English, read into quantity, unit, price, rate and nature."""

from decimal import Decimal

import pytest

from orders.item_line import read_item

READABLE = [
    # (line, description, quantity, unit, unit price, basis, rate, nature)
    ("- 3 x Audit sécurité à 1 200,00 € HT, TVA 20 %", "Audit sécurité", "3", "", "1200.00", "HT", "20", "services"),
    ("- 10 h Développement à 85 € HT", "Développement", "10", "h", "85.00", "HT", None, "services"),
    ("Audit sécurité : 3 × 1 200 € HT", "Audit sécurité", "3", "", "1200.00", "HT", None, "services"),
    ("2 jours de formation à 650 € HT/jour", "formation", "2", "jour", "650.00", "HT", None, "services"),
    ("1 forfait Installation 500 € TTC TVA 10 %", "Installation", "1", "forfait", "500.00", "TTC", "10", "services"),
    ("Widget x 4 @ 12.50 EUR excl. VAT, VAT 20%", "Widget", "4", "", "12.50", "HT", "20", None),
    ("• Security audit x 2 @ 1,200.00 EUR excl. VAT", "Security audit", "2", "", "1200.00", "HT", None, "services"),
    ("* 3 x Licence à 1.200,00 € HT", "Licence", "3", "", "1200.00", "HT", None, None),
    ("3. Routeur (biens) : 2 x 189,90 € HT", "Routeur", "2", "", "189.90", "HT", None, "goods"),
    ("1) Conseil (services) 900 € HT", "Conseil", "1", "", "900.00", "HT", None, "services"),
    ("- 2,5 kg Café à 30 € HT TVA 5,5 %", "Café", "2.5", "kg", "30.00", "HT", "5.5", None),
    ("Frais de port 12 € TTC", "Frais de port", "1", "", "12.00", "TTC", None, None),
    ("- Installation 500 € HT x 3", "Installation", "3", "", "500.00", "HT", None, "services"),
    ("- 3 x Audit à 1 200 € HT = 3 600 € HT", "Audit", "3", "", "1200.00", "HT", None, "services"),
    ("- 5 h Support at EUR 60 excl. VAT", "Support", "5", "h", "60.00", "HT", None, "services"),
    ("- 1 Machine (goods) 800 € incl. VAT, 20% VAT", "Machine", "1", "", "800.00", "TTC", "20", "goods"),
    ("- 12 Livres à 15 € TTC, TVA 5,5%", "Livres", "12", "", "15.00", "TTC", "5.5", None),
    ("-\u00a03\u00a0x Audit à 1\u202f200,00\u00a0€ HT", "Audit", "3", "", "1200.00", "HT", None, "services"),
    ("- 3 x Audit à 1 200 €", "Audit", "3", "", "1200.00", "HT", None, "services"),
    ("- Audit sécurité — 3 x 1 200 € HT", "Audit sécurité", "3", "", "1200.00", "HT", None, "services"),
    ("- Câble RJ-45 à 3 € HT", "Câble RJ-45", "1", "", "3.00", "HT", None, None),
    ("- 2 x Écran 27 pouces à 300 € HT", "Écran 27 pouces", "2", "", "300.00", "HT", None, None),
    ("- iPhone 15 x 2 à 900 € HT", "iPhone 15", "2", "", "900.00", "HT", None, None),
    ("- 1,5 jour Audit à 800 € HT", "Audit", "1.5", "jour", "800.00", "HT", None, "services"),
    ("- 2 demi-journées de formation à 400 € HT", "formation", "2", "demi-journée", "400.00", "HT", None, "services"),
    ("- 100 m câble à 1,20 € HT", "câble", "100", "m", "1.20", "HT", None, None),
    ("- 1 Machine 800 EUR incl. VAT 20%", "Machine", "1", "", "800.00", "TTC", "20", None),
    ("- 3 x Audit à 1 200 € HT (10 %)", "Audit", "3", "", "1200.00", "HT", "10", "services"),
    ("- 3 x Audit 1200€HT", "Audit", "3", "", "1200.00", "HT", None, "services"),
    ("- Audit sécurité, qté 3, PU 1 200 € HT", "Audit sécurité", "3", "", "1200.00", "HT", None, "services"),
    ("- Widget (qty: 4) at 12.50 EUR", "Widget", "4", "", "12.50", "HT", None, None),
]


@pytest.mark.parametrize("text, description, quantity, unit, price, basis, rate, nature", READABLE)
def test_item_line_is_read(text, description, quantity, unit, price, basis, rate, nature):
    item = read_item(text)
    assert item.line is not None, item.english
    line = item.line
    assert (line.description, line.quantity, line.unit, line.unit_price, line.basis) == (
        description, Decimal(quantity), unit, Decimal(price), basis)
    assert line.vat_rate == (Decimal(rate) if rate else None)
    assert line.nature == nature


UNREADABLE = [
    ("- Audit sécurité", "prix"),
    ("- 3 x Audit à 1.234 € HT", "deux façons"),
    ("- 3 x Audit à 1,234 € HT", "deux façons"),
    ("- 3 x à 100 € HT", "désignation"),
    ("- 3 x Audit à 1.234,5.6 € HT", "1.234,5.6"),
]


@pytest.mark.parametrize("text, reason", UNREADABLE)
def test_unclear_item_line_is_unreadable_with_its_reason(text, reason):
    item = read_item(text)
    assert item.line is None
    assert reason in item.french and item.english


def test_negative_price_is_read_for_the_checks_to_refuse():
    item = read_item("- 1 x Remise à -50 € HT")
    assert item.line is not None and item.line.unit_price == Decimal("-50.00")
    assert not item.usable
