"""Random French bill layouts (invoicing tools, utilities, hosting, artisans, micro-entrepreneurs) as HTML + truth.

Each family mimics a kind of bill French small businesses receive; labels, formats, the place of
each block and the arrangement of label and value vary at random. The truth is the corpus's
expected JSON (benchmarks/corpus_truth.py compares it).
"""

import random
from datetime import timedelta, date
from decimal import ROUND_HALF_UP, Decimal

from french_values import (Company, bill_number, company, grouped_iban, grouped_siren, grouped_siret, grouped_vat,
                           money, money_style, rate_text, written_date)

FAMILIES = ("tool", "utility", "hosting", "artisan", "micro", "grid")
NUMBER = ["Facture n°", "Facture N°", "N° de facture", "Numéro de facture", "N° facture", "Facture"]
ISSUE = ["Date", "Date de facture", "Date d'émission", "Date de facturation", "Émise le", "Date :"]
DUE = ["Date d'échéance", "Échéance", "Date limite de paiement", "À régler avant le", "Payable avant le",
       "Date limite de règlement"]
HT = ["Total HT", "Montant HT", "Total hors taxes", "Sous-total HT", "Total H.T."]
TVA = ["TVA {r} %", "TVA à {r} %", "TVA ({r} %)", "TVA {r}%"]
TVA_TOTAL = ["Total TVA", "Montant TVA", "TVA"]
TTC = ["Total TTC", "Montant TTC", "Total T.T.C.", "Total toutes taxes comprises"]
AMOUNT_DUE = ["Net à payer", "Montant à payer", "Reste à payer", "Total à payer", "Montant dû"]
BUYER = ["Client", "Client :", "Adresse de facturation", "Destinataire", "Facturé à", "Facturé à :", None, None]
CENT = Decimal("0.01")
STYLE = ("@page{size:A4;margin:15mm}body{font-family:'Liberation Sans';font-size:9.5pt}"
         "td,th{padding:2pt 6pt;text-align:left;vertical-align:top}.n{text-align:right;white-space:nowrap}"
         "table.t{margin-left:auto}.w{width:100%}small{color:#555}h1{font-size:16pt}")


def make_french_bill(rng: random.Random) -> tuple[str, dict, str]:
    family = rng.choice(FAMILIES)
    bill = _Bill(rng, family)
    html = f"<html><head><meta charset='utf-8'><style>{STYLE}</style></head><body>{bill.body()}</body></html>"
    return html, bill.expected, family


class _Bill:
    def __init__(self, rng: random.Random, family: str):
        self.rng, self.family = rng, family
        self.seller = company(rng, person=family == "micro" and rng.random() < 0.6)
        self.client = company(rng, person=family == "utility" and rng.random() < 0.7)
        self.style = money_style(rng)
        self.issue = date(2026, 1, 5) + timedelta(days=rng.randint(0, 290))
        self.due = self.issue + timedelta(days=rng.choice([0, 15, 30, 45])) if rng.random() < 0.75 else None
        self.number = bill_number(rng, self.issue)
        rates = {"micro": [[]], "utility": [["20", "5.5"], ["20"]], "artisan": [["10", "20"], ["20"], ["5.5", "10"], ["10"]]}
        chosen = rng.choice(rates.get(family, [["20"], ["20"], ["20", "5.5"]]))
        self.items = [(f"Prestation {n + 1}", Decimal(rng.randint(500, 400_000)) / 100, Decimal(rate))
                      for n, rate in enumerate(chosen or ["0"])]
        self.taxes = {}
        for _, amount, rate in self.items:
            base, tax = self.taxes.get(rate, (Decimal(0), Decimal(0)))
            self.taxes[rate] = (base + amount, (base + amount) * rate / 100)
        self.taxes = {rate: (base, tax.quantize(CENT, ROUND_HALF_UP)) for rate, (base, tax) in self.taxes.items()}
        self.ht = sum(base for base, _ in self.taxes.values())
        self.tva = sum(tax for _, tax in self.taxes.values())
        self.advance = Decimal(rng.choice([100, 300, 500])) if family == "artisan" and rng.random() < 0.4 else Decimal(0)
        self.ids_in_header = rng.random() < 0.4
        self.buyer_ids = family != "utility" and not self.client.form == "" and rng.random() < 0.6
        self.show_iban = rng.random() < 0.75
        self.recap = len(self.taxes) > 1 and rng.random() < 0.7
        self.expected = self._truth()

    def m(self, value: Decimal) -> str:
        return money(value, self.style)

    def d(self, value: date) -> str:
        return written_date(value, self.rng)

    def _truth(self) -> dict:
        seller, micro = self.seller, self.family == "micro"
        return {
            "number": self.number, "issue_date": self.issue.isoformat(),
            "due_date": self.due.isoformat() if self.due else None, "currency": "EUR",
            "total_excl_tax": str(self.ht), "total_tax": str(self.tva), "total_incl_tax": str(self.ht + self.tva),
            "amount_due": str(self.ht + self.tva - self.advance),
            "supplier": {"name": seller.name, "siren": seller.siren, "siret": seller.siret,
                         "vat_number": None if micro else seller.vat,
                         "iban": seller.iban if self.show_iban else None},
            "buyer": {"name": self.client.name, "vat_number": self.client.vat if self.buyer_ids else None},
            # Several rates without a recap table: the bases are printed nowhere, a reader leaves them empty.
            "tax_lines": [] if micro else [{"rate": str(r), "base": str(b) if self.recap or len(self.taxes) == 1 else None,
                                            "amount": str(t)} for r, (b, t) in self.taxes.items()],
        }

    def body(self) -> str:
        rng = self.rng
        parties = self._parties()
        meta = self._meta()
        title = {"utility": "Votre facture", "hosting": f"Facture {self.number}"}.get(self.family, rng.choice(["FACTURE", "Facture"]))
        if self.family == "hosting":
            meta = meta.replace(f">{self.number}<", "><").replace(f": {self.number}<", ":<") if rng.random() < 0.5 else meta
        top = f"<h1>{title}</h1>{meta}" if rng.random() < 0.5 else f"<table class='w'><tr><td><h1>{title}</h1></td><td>{meta}</td></tr></table>"
        head = parties + top if rng.random() < 0.6 else top + parties
        return head + self._lines() + self._recap() + self._totals() + self._payment() + self._footer()

    def _recap(self) -> str:
        if not self.recap:
            return ""
        rows = "".join(f"<tr><td class='n'>{rate_text(rate)} %</td><td class='n'>{self.m(base)}</td><td class='n'>{self.m(tax)}</td></tr>"
                       for rate, (base, tax) in self.taxes.items())
        title = self.rng.choice(["Récapitulatif TVA", "Détail de la TVA", "Ventilation TVA"])
        return f"<p><b>{title}</b></p><table><tr><th>Taux</th><th>Base HT</th><th>Montant TVA</th></tr>{rows}</table>"

    def _seller_block(self) -> str:
        s = self.seller
        text = f"<b>{s.name}</b><br>{s.street}<br>{s.postcode} {s.city}"
        if self.rng.random() < 0.4:
            text += f"<br>Tél. 0{self.rng.randint(1, 9)} {self.rng.randint(10, 99)} 12 34 56<br>contact@exemple.fr"
        if self.ids_in_header:
            text += f"<br>SIRET : {grouped_siret(s.siret, self.rng)}"
            if self.family != "micro":
                text += f"<br>{self.rng.choice(['N° TVA intracommunautaire', 'TVA', 'N° TVA'])} : {grouped_vat(s.vat, self.rng)}"
        return text

    def _buyer_block(self) -> str:
        c, rng = self.client, self.rng
        heading = rng.choice(BUYER)
        text = f"<b>{heading}</b><br>" if heading else ""
        text += f"{c.name}<br>{c.street}<br>{c.postcode} {c.city}"
        if self.buyer_ids:
            text += rng.choice([f"<br>SIRET : {grouped_siret(c.siret, rng)}", f"<br>SIREN {grouped_siren(c.siren, rng)}", ""])
            text += f"<br>{rng.choice(['N° TVA', 'TVA intracom.', 'TVA'])} : {grouped_vat(c.vat, rng)}"
        return text

    def _parties(self) -> str:
        seller, buyer = self._seller_block(), self._buyer_block()
        if self.rng.random() < 0.8:
            return f"<table class='w'><tr><td style='width:55%'>{seller}</td><td>{buyer}</td></tr></table>"
        return f"<p>{seller}</p><p style='margin-left:55%'>{buyer}</p>"

    def _meta_pairs(self) -> list[tuple[str, str]]:
        rng = self.rng
        pairs = [(rng.choice(NUMBER), self.number), (rng.choice(ISSUE).rstrip(" :"), self.d(self.issue))]
        if self.family == "utility" or rng.random() < 0.3:
            pairs.append((rng.choice(["Référence client", "N° client", "Réf. client"]), str(rng.randint(10**6, 10**9))))
        if self.due:
            pairs.append((rng.choice(DUE), self.d(self.due)))
        if rng.random() < 0.2:
            pairs.append(("N° de commande", f"BC-{rng.randint(100, 9999)}"))
        return pairs

    def _meta(self) -> str:
        pairs, mode = self._meta_pairs(), self.rng.choice(["inline", "cells", "stacked", "grid"])
        if self.family == "grid":
            mode = "grid"
        if mode == "inline":
            return "<p>" + "<br>".join(f"{label} : {value}" for label, value in pairs) + "</p>"
        if mode == "cells":
            return "<table>" + "".join(f"<tr><td>{label}</td><td>{value}</td></tr>" for label, value in pairs) + "</table>"
        if mode == "stacked":
            return "".join(f"<p><small>{label}</small><br><b>{value}</b></p>" for label, value in pairs)
        return _grid([label for label, _ in pairs], [value for _, value in pairs])

    def _lines(self) -> str:
        filler = self.rng.choice([0, 0, 0, 2, 45])
        rows = "".join(f"<tr><td>Article {n}</td><td>1</td><td class='n'>{self.m(Decimal(0))}</td><td></td>"
                       f"<td class='n'>{self.m(Decimal(0))}</td></tr>" for n in range(filler))
        rows += "".join(f"<tr><td>{label}</td><td>1</td><td class='n'>{self.m(amount)}</td>"
                        f"<td>{'' if self.family == 'micro' else rate_text(rate) + ' %'}</td><td class='n'>{self.m(amount)}</td></tr>"
                        for label, amount, rate in self.items)
        head = "<tr><th>Désignation</th><th>Qté</th><th>P.U. HT</th><th>TVA</th><th>Montant HT</th></tr>"
        return f"<table class='w' style='margin-top:12pt'>{head}{rows}</table>"

    def _totals(self) -> str:
        rng = self.rng
        pairs = [(rng.choice(HT), self.m(self.ht))]
        if self.family == "micro":
            pairs = [(rng.choice(["Total HT", "Total", "Montant total"]), self.m(self.ht))]
        elif len(self.taxes) > 1 or rng.random() < 0.3:
            pairs += [(rng.choice(TVA).format(r=rate_text(rate)), self.m(tax)) for rate, (_, tax) in self.taxes.items()]
            pairs += [(rng.choice(TVA_TOTAL), self.m(self.tva))] if rng.random() < 0.5 else []
        else:
            rate, (_, tax) = next(iter(self.taxes.items()))
            pairs.append((rng.choice(TVA + TVA_TOTAL).format(r=rate_text(rate)), self.m(tax)))
        if self.family != "micro":
            pairs.append((rng.choice(TTC), self.m(self.ht + self.tva)))
        if self.advance:
            pairs.append((rng.choice(["Acompte versé", "Acompte reçu", "Déjà réglé"]), self.m(self.advance)))
        if self.advance or rng.random() < 0.6:
            pairs.append((rng.choice(AMOUNT_DUE), self.m(self.ht + self.tva - self.advance)))
        text = "<p>TVA non applicable, art. 293 B du CGI</p>" if self.family == "micro" else ""
        if self.family == "grid" or rng.random() < 0.2:
            return "<div style='margin-left:35%'>" + _grid(*zip(*pairs)) + "</div>" + text
        return "<table class='t'>" + "".join(
            f"<tr><td>{label}</td><td class='n'>{value}</td></tr>" for label, value in pairs) + "</table>" + text

    def _payment(self) -> str:
        rng, s = self.rng, self.seller
        if not self.show_iban:
            return ""
        return (f"<p>{rng.choice(['Règlement par virement', 'Coordonnées bancaires', 'Paiement par virement bancaire'])}"
                f"<br>IBAN : {grouped_iban(s.iban, rng)}<br>BIC : {s.bic}</p>")

    def _footer(self) -> str:
        s, rng = self.seller, self.rng
        if self.family == "micro":
            parts = [s.name, f"Entrepreneur individuel – SIRET {grouped_siret(s.siret, rng)}", "Dispensé d'immatriculation au RCS"]
        else:
            parts = [s.name, f"{s.form or 'SAS'} au capital de {s.capital} €",
                     f"RCS {s.city} {grouped_siren(s.siren, rng)}",
                     f"SIRET {grouped_siret(s.siret, rng)}", f"TVA intracommunautaire : {grouped_vat(s.vat, rng)}"]
            if self.ids_in_header and rng.random() < 0.5:
                parts = parts[:3]
        return ("<p style='font-size:7.5pt;text-align:center;margin-top:24pt'>" + rng.choice([" – ", " - ", " | "]).join(parts)
                + "<br>Pénalités de retard : trois fois le taux d'intérêt légal. Indemnité forfaitaire de recouvrement : 40 €.</p>")


def _grid(labels, values) -> str:
    head = "".join(f"<th>{label}</th>" for label in labels)
    cells = "".join(f"<td>{value}</td>" for value in values)
    return f"<table><tr>{head}</tr><tr>{cells}</tr></table>"
