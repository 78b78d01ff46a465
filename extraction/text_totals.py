"""Choose HT, TVA, TTC and the amount due together, preferring the triple where HT + TVA = TTC."""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product

from extraction.amounts import find_amounts
from extraction.model import TaxLine
from extraction.text_fields import Candidate, LabelHit, label_candidates
from extraction.text_lines import Line
from extraction.text_taxes import choose_tax_lines, find_tax_rows, labelled_rate_rows, single_rate_line

TOTAL_FIELDS = ("total_excl_tax", "total_tax", "total_incl_tax")
_TOP = 5
_NO_VAT = re.compile(
    r"tva\s*non\s*applicable|293\s*b|exoneration\s*de\s*tva|autoliquidation|vat\s*exempt|reverse\s*charge"
    r"|steuerschuldnerschaft|kleinunternehmer|19\s*ustg|btw\s*verlegd"
)
_CENT = Decimal("0.01")
_HIGHEST_RATE = Decimal("0.28")


@dataclass
class Totals:
    values: dict[str, Decimal] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    tax_lines: list[TaxLine] = field(default_factory=list)
    currencies: list[str] = field(default_factory=list)
    # Totals computed from the other two rather than read.
    derived: set[str] = field(default_factory=set)


def money_finder(text: str):
    for amount in find_amounts(text):
        if amount.looks_like_money:
            yield amount, amount.start, amount.end


def read_totals(lines: list[Line], hits: dict[int, list[LabelHit]]) -> Totals:
    totals = Totals()
    last_page = lines[-1].page if lines else 1
    ranked = {}
    for name in TOTAL_FIELDS + ("amount_due",):
        found = label_candidates(lines, hits, name, money_finder)
        totals.currencies += [c.value.currency for c in found if c.value.currency]
        ranked[name] = _rank(found, last_page)
    _add_exemption(ranked, lines)
    rows = find_tax_rows(lines) or labelled_rate_rows(hits)
    _add_tax_row_sums(ranked, rows)
    choice, consistent = _choose_triple(ranked, rows)
    for name, pick in choice.items():
        if pick is None:
            continue
        value, score, ocr = pick
        totals.values[name] = value
        base = 0.9 + 0.07 * min(score, 1.0) if consistent else 0.3 + 0.45 * min(score, 1.0)
        totals.confidence[name] = base * (0.5 + 0.5 * ocr)
    _derive_missing(totals, consistent)
    tax_lines, exact = choose_tax_lines(rows, totals.values.get("total_tax"), totals.values.get("total_excl_tax"))
    if not tax_lines:
        # « Montant TVA 252,37 » with the rate only in the item rows: one rate that the totals bear out.
        tax_lines, exact = single_rate_line(lines, totals.values.get("total_excl_tax"), totals.values.get("total_tax"))
    if tax_lines:
        totals.tax_lines = tax_lines
        totals.confidence["tax_lines"] = 0.95 if exact else 0.55
    paid = [candidate.value.value for candidate in label_candidates(lines, hits, "paid", money_finder)]
    _choose_amount_due(totals, ranked["amount_due"], paid)
    return totals


def _rank(found: list[Candidate], last_page: int) -> list[tuple[Decimal, float, float]]:
    """Distinct values, best first, each with its best score (totals sit on the last page)."""
    best: dict[Decimal, tuple[float, float, int]] = {}
    for candidate in found:
        score = candidate.score * (1.0 if candidate.line.page == last_page else 0.85)
        value = candidate.value.value
        old = best.get(value)
        mentions = old[2] + 1 if old else 1
        top = max(score, old[0]) if old else score
        best[value] = (top, candidate.ocr_confidence if not old else max(old[1], candidate.ocr_confidence), mentions)
    ranked = [(value, score + 0.05 * min(mentions - 1, 3), ocr) for value, (score, ocr, mentions) in best.items()]
    return sorted(ranked, key=lambda item: -item[1])[:_TOP]


def _add_exemption(ranked: dict, lines: list[Line]) -> None:
    """« TVA non applicable, art. 293 B du CGI », reverse charge: the VAT is zero."""
    if any(_NO_VAT.search(line.folded) for line in lines):
        if all(value != 0 for value, _, _ in ranked["total_tax"]):
            ranked["total_tax"].append((Decimal("0.00"), 0.7, 1.0))


def _add_tax_row_sums(ranked: dict, rows) -> None:
    """The VAT table's sums are weak candidates for TVA and HT when no label gave them."""
    if not rows:
        return
    for name, parts in (("total_tax", [r.tax.amount for r in rows]), ("total_excl_tax", [r.tax.base for r in rows])):
        if None in parts:
            continue
        total = sum(parts)
        if all(value != total for value, _, _ in ranked[name]):
            ranked[name].append((total, 0.3, 1.0))


def _choose_triple(ranked: dict, rows) -> tuple[dict, bool]:
    """The best-scoring (HT, TVA, TTC), with a large bonus when they add up."""
    options = [ranked[name] + [None] for name in TOTAL_FIELDS]
    best, best_score, best_consistent = {}, float("-inf"), False
    for combo in product(*options):
        score = sum(pick[1] for pick in combo if pick)
        consistent = all(combo) and combo[0][0] + combo[1][0] == combo[2][0] and _plausible_vat(combo[0][0], combo[1][0])
        if consistent:
            score += 1.5
        elif all(combo):
            score -= 0.5
        if score > best_score:
            best, best_score, best_consistent = dict(zip(TOTAL_FIELDS, combo)), score, consistent
    return best, best_consistent


def _derive_missing(totals: Totals, consistent: bool) -> None:
    """Fill one missing total from the other two (no VAT: HT = TTC)."""
    values, confidence = totals.values, totals.confidence
    ht, tva, ttc = (values.get(name) for name in TOTAL_FIELDS)
    # A derived value is no surer than what it comes from.
    sure = min((confidence[name] for name in TOTAL_FIELDS if name in confidence), default=0.0)
    if ht is None and tva is not None and ttc is not None and _plausible_vat(ttc - tva, tva):
        values["total_excl_tax"], confidence["total_excl_tax"] = ttc - tva, min(0.6, sure)
        totals.derived.add("total_excl_tax")
    elif tva is None and ht is not None and ttc is not None and _plausible_vat(ht, ttc - ht):
        values["total_tax"], confidence["total_tax"] = ttc - ht, min(0.6, sure)
        totals.derived.add("total_tax")
    elif ttc is None and ht is not None and tva is not None and _plausible_vat(ht, tva):
        values["total_incl_tax"], confidence["total_incl_tax"] = ht + tva, min(0.55, sure)
        totals.derived.add("total_incl_tax")


def _plausible_vat(ht: Decimal, tva: Decimal) -> bool:
    """No VAT rate in use exceeds 27 %: a derived total implying more comes from a misread one."""
    if ht == 0:
        return tva == 0
    return tva == 0 or (tva / ht > 0) and tva / ht <= _HIGHEST_RATE


def _choose_amount_due(totals: Totals, ranked: list, paid: list[Decimal]) -> None:
    """The labelled amount due, surest when it is the total or the total less a printed advance."""
    ttc = totals.values.get("total_incl_tax")
    if ranked:
        agreeing = [pick for pick in ranked if ttc is not None and (pick[0] == ttc or ttc - pick[0] in paid)]
        value, score, ocr = agreeing[0] if agreeing else ranked[0]
        agrees = bool(agreeing)
        totals.values["amount_due"] = value
        totals.confidence["amount_due"] = (0.93 if agrees else 0.3 + 0.45 * min(score, 1.0)) * (0.5 + 0.5 * ocr)
    elif ttc is not None:
        # Nothing says otherwise: the whole total is due (lower confidence, advances are common).
        totals.values["amount_due"] = ttc
        totals.confidence["amount_due"] = 0.5
