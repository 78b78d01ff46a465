"""Random invoice layouts printed with WeasyPrint, read back by the text rules, checked like the engine does.

A development aid. By default the bills are French ones of the kinds small businesses receive
(benchmarks/french_layouts.py: invoicing tools, utilities, hosting, artisans, micro-entrepreneurs,
header-row grids); `--mixed` uses the older French/English/German generator below. It prints
per-field accuracy (compared as benchmarks/corpus_truth.py compares the corpus), confidence
buckets, and the misses by layout family. Usage:
    .venv/bin/python benchmarks/text_synthetic_dev.py [COUNT] [SEED] [-v] [-html] [--ocr] [--mixed]
(--ocr reads the printed pages back through tesseract instead of the text layer)
"""

import random
import sys
from collections import Counter
import tempfile
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stdnum import luhn  # noqa: E402
from stdnum.fr import siren as siren_number  # noqa: E402

from corpus_truth import compare  # noqa: E402
from french_layouts import make_french_bill  # noqa: E402

from extraction.checks import adjust_confidence, check_bill  # noqa: E402
from extraction.pdf_text import read_pdf_text  # noqa: E402
from extraction.text_rules import read_bill  # noqa: E402
from text_ocr_dev import ocr_document  # noqa: E402

MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
    "en": "January February March April May June July August September October November December".split(),
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
}
WORDS = {
    "fr": dict(title="FACTURE", number=["Facture n°", "N° de facture", "Numéro de facture"],
               issue=["Date de facture", "Date d'émission", "Date"], due=["Date d'échéance", "Échéance"],
               ht=["Total HT", "Montant HT"], tva=["TVA {rate} %", "Total TVA"], ttc=["Total TTC", "Montant TTC"],
               due_amount=["Net à payer", "Montant dû"], buyer=["Facturé à", "Client", "Adresse de facturation"]),
    "en": dict(title="INVOICE", number=["Invoice No.", "Invoice number", "Invoice #"],
               issue=["Invoice date", "Date", "Issue date"], due=["Due date", "Payment due"],
               ht=["Subtotal", "Net total"], tva=["VAT {rate}%", "VAT total"], ttc=["Total", "Grand total"],
               due_amount=["Amount due", "Balance due"], buyer=["Bill to", "Customer", "Billed to"]),
    "de": dict(title="RECHNUNG", number=["Rechnungsnummer", "Rechnung Nr.", "Rechnungs-Nr."],
               issue=["Rechnungsdatum", "Datum"], due=["Fällig am", "Zahlbar bis"],
               ht=["Nettobetrag", "Summe netto"], tva=["MwSt. {rate} %", "USt. {rate} %"],
               ttc=["Bruttobetrag", "Gesamtbetrag"], due_amount=["Zahlbetrag", "Zu zahlen"],
               buyer=["Rechnungsempfänger", "Kunde"]),
}
RATES = {"fr": ["20", "10", "5.5"], "en": ["20", "5"], "de": ["19", "7"]}
CENT = Decimal("0.01")
TARGETS = ("number", "issue_date", "total_excl_tax", "total_tax", "total_incl_tax", "supplier.siren",
           "supplier.vat_number")
# The generated bills are dated in 2026: checks judge them from a fixed day, whatever the clock says.
TODAY = date(2026, 11, 26)


def money(value: Decimal, language: str, rng: random.Random) -> str:
    whole, cents = f"{value:.2f}".split(".")
    groups = f"{int(whole):,}"
    if language == "en":
        text = f"{groups}.{cents}"
        return rng.choice([f"£{text}", f"{text}", f"€{text}"])
    separator = rng.choice(["\u202f", " ", "."]) if language == "fr" else "."
    text = f"{groups.replace(',', separator)},{cents}"
    return rng.choice([f"{text} €", f"{text}\u00a0€", f"{text} EUR", text])


def written_date(day: date, language: str, rng: random.Random) -> str:
    style = rng.choice(["numeric", "words"])
    if style == "numeric":
        return day.strftime({"fr": "%d/%m/%Y", "en": "%d/%m/%Y", "de": "%d.%m.%Y"}[language])
    month = MONTHS[language][day.month - 1]
    if language == "en":
        return rng.choice([f"{month} {day.day}, {day.year}", f"{day.day} {month} {day.year}"])
    if language == "de":
        return f"{day.day}. {month} {day.year}"
    return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"


def make_invoice(rng: random.Random) -> tuple[str, dict]:
    language = rng.choice(["fr", "fr", "en", "de"])
    words = WORDS[language]
    base = str(rng.randint(10_000_000, 99_999_999))
    siren = base + luhn.calc_check_digit(base)
    vat = "FR" + siren_number.to_tva(siren)[:2] + siren if language == "fr" else None
    issue = date(2026, 1, 1) + timedelta(days=rng.randint(0, 300))
    due = issue + timedelta(days=30)
    number = rng.choice(["FA-2026-{n:04d}", "{n}", "INV/2026/{n:05d}", "2026-{n:03d}"]).format(n=rng.randint(1, 9999))
    rates = rng.sample(RATES[language], rng.randint(1, len(RATES[language])))
    lines, taxes = [], []
    for rate in rates:
        amount = Decimal(rng.randint(1_000, 900_000)) / 100
        lines.append((f"Prestation {rate}", amount, rate))
        taxes.append((Decimal(rate), amount, (amount * Decimal(rate) / 100).quantize(CENT, ROUND_HALF_UP)))
    ht = sum(t[1] for t in taxes)
    tva = sum(t[2] for t in taxes)
    truth = {"number": number, "issue_date": issue, "due_date": due, "total_excl_tax": ht, "total_tax": tva,
             "total_incl_tax": ht + tva, "supplier.siren": siren if language == "fr" else None,
             "supplier.vat_number": vat}
    return _html(rng, language, words, truth, lines, taxes), truth


def _html(rng, language, words, truth, lines, taxes) -> str:
    m = lambda value: money(value, language, rng)  # noqa: E731
    d = lambda value: written_date(value, language, rng)  # noqa: E731
    ids = ""
    if truth["supplier.siren"]:
        ids = f"SIRET : {truth['supplier.siren']} {_siret_tail(truth['supplier.siren'])} – N° TVA : {truth['supplier.vat_number']}"
    in_footer = rng.random() < 0.4
    supplier = f"<b>Société Exemple {rng.randint(1, 99)} SAS</b><br>1 rue de la Paix<br>75002 Paris"
    supplier += "" if in_footer or not ids else "<br>" + ids.replace(" – ", "<br>")
    heading = f"<b>{rng.choice(words['buyer'])}</b><br>" if rng.random() < 0.7 else ""
    buyer = f"{heading}Client Exemple SARL<br>9 quai Est<br>69001 Lyon"
    if language == "fr":
        buyer += "<br>SIREN : 913 572 467<br>N° TVA : FR67913572467"
    left, right = (supplier, buyer) if rng.random() < 0.7 else (buyer, supplier)
    labels = [rng.choice(words["number"]), rng.choice(words["issue"]), rng.choice(words["due"])]
    values = [truth["number"], d(truth["issue_date"]), d(truth["due_date"])]
    if rng.random() < 0.5:
        header = "<p>" + "<br>".join(f"{label} : {value}" for label, value in zip(labels, values)) + "</p>"
    else:
        header = _grid(labels, values)
    filler = "".join(
        f"<tr><td>Fourniture {row}</td><td>0</td><td class='n'>{m(Decimal(0))}</td><td></td><td class='n'>{m(Decimal(0))}</td></tr>"
        for row in range(rng.choice([0, 0, 3, 40]))
    )
    rows = filler + "".join(
        f"<tr><td>{label}</td><td>1</td><td class='n'>{m(amount)}</td><td>{rate} %</td><td class='n'>{m(amount)}</td></tr>"
        for label, amount, rate in lines
    )
    items = f"<table style='width:100%'><tr><th>Description</th><th>Qty</th><th>Price</th><th>%</th><th>Total</th></tr>{rows}</table>"
    tva_label = lambda rate: rng.choice(words["tva"]).format(rate=str(rate).replace(".", ",") if language != "en" else rate)  # noqa: E731
    if len(taxes) > 1:
        items += "<table class='t'>" + "".join(
            f"<tr><td>{rate} %</td><td class='n'>{m(base)}</td><td class='n'>{m(amount)}</td></tr>"
            for rate, base, amount in taxes) + "</table>"
        tva_text = words["tva"][-1].format(rate="").strip()
    else:
        tva_text = tva_label(taxes[0][0])
    total_labels = [rng.choice(words["ht"]), tva_text, rng.choice(words["ttc"])]
    total_values = [m(truth["total_excl_tax"]), m(truth["total_tax"]), m(truth["total_incl_tax"])]
    advance = Decimal(rng.choice([0, 0, 100, 250]))
    truth["amount_due"] = truth["total_incl_tax"] - advance
    paid = f"<tr><td>{ {'fr': 'Acompte versé', 'en': 'Amount paid', 'de': 'Anzahlung'}[language] }</td><td class='n'>{m(advance)}</td></tr>"
    if rng.random() < 0.6:
        totals = "<table class='t'>" + "".join(
            f"<tr><td>{label}</td><td class='n'>{value}</td></tr>" for label, value in zip(total_labels, total_values)
        ) + (paid if advance else "") + (
            f"<tr><td><b>{rng.choice(words['due_amount'])}</b></td><td class='n'>{m(truth['amount_due'])}</td></tr></table>")
    else:
        totals = "<div style='margin-left:40%'>" + _grid(total_labels, total_values) + "</div>"
        if advance:
            totals += f"<table class='t'>{paid}<tr><td>{words['due_amount'][0]}</td><td class='n'>{m(truth['amount_due'])}</td></tr></table>"
    footer = f"<p style='font-size:8pt;margin-top:30pt'>Société Exemple SAS – capital 1 000 € – {ids if in_footer else ''}</p>"
    return (f"<html><head><meta charset='utf-8'><style>body{{font-family:'Liberation Sans';font-size:10pt}}"
            f"td,th{{padding:2pt 8pt;text-align:left}} .n{{text-align:right}} table.t{{margin-left:auto}}</style></head><body>"
            f"<table style='width:100%'><tr><td>{left}</td><td>{right}</td></tr></table>"
            f"<h2>{words['title']}</h2>{header}{items}{totals}{footer}</body></html>")


def _grid(labels: list[str], values: list[str]) -> str:
    head = "".join(f"<th>{label}</th>" for label in labels)
    cells = "".join(f"<td>{value}</td>" for value in values)
    return f"<table><tr>{head}</tr><tr>{cells}</tr></table>"


def _siret_tail(siren: str) -> str:
    body = siren + "0001"
    return "0001" + luhn.calc_check_digit(body)


def _has_deu() -> bool:
    import subprocess

    listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout
    return "deu" in listed.split()


def main(count: int, seed: int, verbose: bool) -> None:
    from weasyprint import HTML

    rng = random.Random(seed)
    french = "--mixed" not in sys.argv
    results: dict[str, list[tuple[bool, float | None]]] = {}
    misses_by_family: Counter = Counter()
    with tempfile.TemporaryDirectory() as folder:
        for index in range(count):
            if french:
                html, expected, family = make_french_bill(rng)
            else:
                html, truth = make_invoice(rng)
                expected, family = _as_expected(truth), "mixed"
            pdf = HTML(string=html, base_url=folder).write_pdf()
            bill = _read(pdf, Path(folder) / f"{index}.pdf")
            problems = check_bill(bill, today=TODAY)
            adjust_confidence(bill, problems)
            found = bill.to_json()
            for field, right in compare(found, expected).items():
                confidence = bill.confidence.get(field)
                results.setdefault(field, []).append((right, confidence))
                if not right:
                    misses_by_family[(family, field)] += 1
                if verbose and not right:
                    print(f"#{index} {family} {field}: got {_value(found, field)!r} "
                          f"want {_value(expected, field)!r} ({confidence})")
                    if "-html" in sys.argv:
                        print(html)
    _print(results, misses_by_family)


def _read(pdf: bytes, path: Path):
    if "--ocr" in sys.argv:
        path.write_bytes(pdf)
        return read_bill(ocr_document(path, "fra+eng+deu" if _has_deu() else "fra+eng"))
    return read_bill(read_pdf_text(pdf))


def _value(data: dict, field: str):
    if "." in field:
        party, key = field.split(".")
        return (data.get(party) or {}).get(key)
    return data.get(field)


def _as_expected(truth: dict) -> dict:
    """The mixed generator's truth in the corpus's expected-JSON shape."""
    expected = {key: (value.isoformat() if isinstance(value, date) else str(value) if value is not None else None)
                for key, value in truth.items() if "." not in key}
    expected["supplier"] = {"siren": truth["supplier.siren"], "vat_number": truth["supplier.vat_number"]}
    return expected


def _print(results: dict, misses_by_family: Counter) -> None:
    buckets = {"[0.9, 1.0]": [0, 0], "[0.7, 0.9)": [0, 0], "[0.5, 0.7)": [0, 0], "[0.0, 0.5)": [0, 0]}
    for field in sorted(results):
        rows = results[field]
        right = sum(ok for ok, _ in rows)
        marker = " *" if field in TARGETS else ""
        print(f"{field + marker:22} {right:>4}/{len(rows):<4} {100 * right / len(rows):6.1f} %")
        for ok, confidence in rows:
            value = confidence or 0.0
            bucket = ("[0.9, 1.0]" if value >= 0.9 else "[0.7, 0.9)" if value >= 0.7
                      else "[0.5, 0.7)" if value >= 0.5 else "[0.0, 0.5)")
            buckets[bucket][0 if ok else 1] += 1
    print("confidence bucket (all fields compared; a missing field counts as 0)")
    for bucket, (right, wrong) in buckets.items():
        share = f"{100 * right / (right + wrong):5.1f} % right" if right + wrong else "-"
        print(f"  {bucket:11} {right + wrong:5d} fields  {share}")
    print("misses by layout family and field:")
    for (family, field), count in misses_by_family.most_common(25):
        print(f"  {family:8} {field:22} {count}")


if __name__ == "__main__":
    numbers = [argument for argument in sys.argv[1:] if argument.isdigit()]
    main(int(numbers[0]) if numbers else 30, int(numbers[1]) if len(numbers) > 1 else 1, "-v" in sys.argv)
