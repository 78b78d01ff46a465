"""VAT breakdown rows (rate, base, amount) found by arithmetic: base × rate = amount on one row."""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from extraction.amounts import find_amounts
from extraction.model import TaxLine
from extraction.text_lines import Line

_PERCENT = re.compile(r"(?<![\d.,])(\d{1,4}(?:[.,]\d{1,3})?)\s?%")
# Rates that appear without a % sign in a « Steuersatz » or « Taux » column.
_USUAL_RATES = {
    Decimal(rate) for rate in ("2.1", "5.5", "7", "8.5", "10", "19", "20", "21", "6", "9", "12", "16", "22", "23", "25")
}
_TAX_WORDS = re.compile(r"(?<![a-z])(?:tva|vat|tax|taux|mwst|ust|umsatzsteuer|steuer\w*|btw|gst)(?![a-z])")
_CONTEXT_LINES = 6
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class TaxRow:
    line: Line
    tax: TaxLine


def find_tax_rows(lines: list[Line]) -> list[TaxRow]:
    """Every row that reads as one VAT rate with its base and amount, in document order."""
    rows: list[TaxRow] = []
    for line in lines:
        if not _in_tax_context(lines, line):
            continue
        tax = _row_tax(line)
        if tax and not any(row.tax == tax and row.line.page == line.page for row in rows):
            rows.append(TaxRow(line, tax))
    return rows


def _in_tax_context(lines: list[Line], line: Line) -> bool:
    """A tax word on the row or in the few lines above it on the same page (a table header)."""
    for other in lines[max(0, line.index - _CONTEXT_LINES): line.index + 1]:
        if other.page == line.page and _TAX_WORDS.search(other.folded):
            return True
    return False


def _row_tax(line: Line) -> TaxLine | None:
    # A rate written with % may be zero; a bare number only counts as a rate when it is a usual one.
    marked = [(_rate(match[1]), True) for match in _PERCENT.finditer(line.text)]
    amounts = find_amounts(line.text)
    money = [amount for amount in amounts if amount.decimals == 2]
    bare = [(amount.value, False) for amount in amounts if amount.decimals != 2 and amount.value in _USUAL_RATES]
    for rate, with_percent in marked + bare:
        if rate is None:
            continue
        found = _base_and_amount(rate, money, zero_allowed=with_percent)
        if found:
            return TaxLine(rate=rate, base=found[0], amount=found[1])
    if not marked and _TAX_WORDS.search(line.folded):
        # « Umsatzsteuer  113,03  7,91 »: the rate is missing (OCR drops a lone « 7 ») but the
        # arithmetic names it, among the usual rates only.
        for rate in sorted(_USUAL_RATES):
            found = _base_and_amount(rate, money, zero_allowed=False)
            if found:
                return TaxLine(rate=rate, base=found[0], amount=found[1])
    return None


def _base_and_amount(rate: Decimal, money: list, zero_allowed: bool) -> tuple[Decimal, Decimal] | None:
    """The first pair (base left of amount) where amount = base × rate, to the cent."""
    for index, base in enumerate(money):
        for amount in money[index + 1:]:
            if base.value == 0:
                continue
            if rate == 0:
                if zero_allowed and amount.value == 0 and base.value > 0:
                    return base.value, amount.value
                continue
            expected = (base.value * rate / 100).quantize(_CENT, rounding=ROUND_HALF_UP)
            if amount.value != 0 and abs(expected - amount.value) <= _CENT:
                return base.value, amount.value
    return None


def _rate(text: str) -> Decimal | None:
    """A VAT rate; « 2000% » or « 000% » lost their decimal comma (OCR): no VAT rate exceeds 30 %."""
    try:
        value = Decimal(text.replace(",", "."))
    except ArithmeticError:
        return None
    if value > 30 and text.isdigit() and len(text) >= 3:
        value = value / 100
    return value if value <= 30 else None


def labelled_rate_rows(hits: dict) -> list[TaxRow]:
    """« TVA 20 % : 9,34 € »: a VAT label with its rate and amount but no base on the row."""
    rows = []
    for line_hits in hits.values():
        for hit in line_hits:
            if hit.field != "total_tax":
                continue
            rest = hit.line.text[hit.end:]
            percent = _PERCENT.search(rest)
            money = [amount for amount in find_amounts(rest) if amount.decimals == 2]
            money = [amount for amount in money if percent and amount.start > percent.end()]
            rate = _rate(percent[1]) if percent else None
            if rate is not None and money:
                rows.append(TaxRow(hit.line, TaxLine(rate=rate, base=None, amount=money[0].value)))
    return rows


def choose_tax_lines(rows: list[TaxRow], total_tax: Decimal | None, total_excl_tax: Decimal | None):
    """The set of rows that best matches the totals, and whether it matches them exactly."""
    if not rows:
        return [], False
    rows = [_with_base(row, rows, total_excl_tax) for row in rows]
    groups = [rows] + _blocks(rows)
    for group in groups:
        if total_tax is not None and sum(row.tax.amount for row in group) == total_tax:
            bases = [row.tax.base for row in group]
            bases_match = total_excl_tax is None or None in bases or sum(bases) == total_excl_tax
            if bases_match:
                return [row.tax for row in group], True
    # No exact match: the last block is usually the final summary table.
    return [row.tax for row in _blocks(rows)[-1]], False


def _with_base(row: TaxRow, rows: list[TaxRow], total_excl_tax: Decimal | None) -> TaxRow:
    """A lone rate row without its base takes the whole HT when the arithmetic agrees."""
    if row.tax.base is not None or len(rows) != 1 or total_excl_tax is None:
        return row
    expected = (total_excl_tax * row.tax.rate / 100).quantize(_CENT, rounding=ROUND_HALF_UP)
    if abs(expected - row.tax.amount) > _CENT:
        return row
    return TaxRow(row.line, TaxLine(rate=row.tax.rate, base=total_excl_tax, amount=row.tax.amount))


def _blocks(rows: list[TaxRow]) -> list[list[TaxRow]]:
    """Rows split where they stop being neighbours on one page."""
    blocks: list[list[TaxRow]] = []
    for row in rows:
        previous = blocks[-1][-1] if blocks else None
        if previous and previous.line.page == row.line.page and row.line.index - previous.line.index <= 3:
            blocks[-1].append(row)
        else:
            blocks.append([row])
    return blocks


def single_rate_line(lines: list[Line], total_excl_tax: Decimal | None, total_tax: Decimal | None):
    """([one tax line], True) when exactly one rate printed anywhere turns the HT into the VAT."""
    if not total_excl_tax or not total_tax:
        return [], False
    rates = {_rate(match[1]) for line in lines for match in _PERCENT.finditer(line.text)} - {None, Decimal(0)}
    fitting = {rate for rate in rates
               if abs((total_excl_tax * rate / 100).quantize(_CENT, rounding=ROUND_HALF_UP) - total_tax) <= _CENT}
    if len(fitting) != 1:
        return [], False
    return [TaxLine(rate=fitting.pop(), base=total_excl_tax, amount=total_tax)], True
