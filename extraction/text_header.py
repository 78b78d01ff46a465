"""The bill's own references: its number, issue and due dates, currency, and invoice or credit note."""

import re
from collections import Counter
from datetime import date

from extraction.amounts import CURRENCY_CODES, find_amounts
from extraction.dates import find_dates, is_month_first
from extraction.text_fields import Candidate, LabelHit, label_candidates
from extraction.text_lines import Line

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_/.]*[A-Za-z0-9]|\d")
# « FA 2026 001 », « 2026 03 0045 »: a number printed in groups with single spaces (a column gap
# is two). Groups of two digits or more only, so « 12 1 234,56 » never becomes one number.
_SPACED = re.compile(r"(?<![\w/.\-])(?:[A-Z]{1,4}|\d{2,6})(?: \d{2,6}){1,3}(?![\w/.,\-])")
_SEPARATORS = " :#°.-\u00a0"
_CREDIT_WORDS = re.compile(r"(?<![a-z])(?:avoir|credit\s*note|gutschrift|note\s*de\s*credit|creditnota)(?![a-z])")
_CURRENCY_LABEL = re.compile(r"(?<![a-z])(?:devise|monnaie|currency|wahrung|valuta)(?![a-z])")
_CODE = re.compile(r"(?<![A-Za-z])(" + "|".join(CURRENCY_CODES) + r")(?![A-Za-z])")


def _is_reference(token: str) -> bool:
    """Looks like a document number: has a digit, is not a date, an amount or a percentage."""
    digits = sum(char.isdigit() for char in token)
    if digits == 0 or len(token) < 2 or find_dates(token):
        return False
    return not re.fullmatch(r"\d{1,3}([.,]\d{3})*[.,]\d{2}", token)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Candidate references of a piece of text, grouped ones first where they overlap, outside dates."""
    dates = [(found.start, found.end) for found in find_dates(text)]
    found: list[tuple[str, int, int]] = []
    for pattern in (_SPACED, _TOKEN):
        for match in pattern.finditer(text):
            span = (match.start(), match.end())
            if any(start < span[1] and span[0] < end for start, end in dates + [item[1:] for item in found]):
                continue
            found.append((match[0], *span))
    return sorted(found, key=lambda item: item[1])


def number_right(text: str):
    """The first token after a label, when only separators come before it."""
    tokens = _tokens(text)
    if tokens:
        token, start, end = tokens[0]
        if not text[:start].strip(_SEPARATORS) and _is_reference(token):
            yield token, start, end


def number_tokens(text: str):
    for token, start, end in _tokens(text):
        if _is_reference(token):
            yield token, start, end


def read_number(lines: list[Line], hits: dict[int, list[LabelHit]]) -> Candidate | None:
    found = label_candidates(lines, hits, "number", number_right, number_tokens)
    scored = []
    for candidate in found:
        # The number heads the first page; the same number printed twice is surer.
        position = 1.0 if candidate.line.page == 1 and candidate.line.relative_y < 0.5 else 0.8
        repeats = sum(1 for other in found if other.value == candidate.value) - 1
        scored.append((candidate.score * position + 0.05 * min(repeats, 2), candidate))
    if not scored:
        return None
    score, best = max(scored, key=lambda item: item[0])
    return Candidate(best.field, best.value, score, best.line, best.start, best.end, best.how)


def number_confidence(number: Candidate) -> float:
    """A labelled number is likely right; printed twice (header and footer) it is near certain."""
    # The score carries +0.05 per repeat; a strong label alone reaches 0.95 at most.
    if number.score >= 0.99:
        return 0.93
    return 0.35 + 0.55 * min(number.score, 1.0)


def read_dates(lines: list[Line], hits: dict[int, list[LabelHit]], number: Candidate | None):
    """(issue, due) candidates, each the best one or None."""
    text = "\n".join(line.text for line in lines)
    month_first = is_month_first(text)
    if month_first is None:
        # Nothing decides: dollar bills without euros are American, and write the month first.
        month_first = "$" in text and "€" not in text and "EUR" not in text

    def dates(text: str):
        for found in find_dates(text, month_first):
            yield found.value, found.start, found.end

    issue = [_placed(candidate) for candidate in label_candidates(lines, hits, "issue_date", dates)
             if is_plausible_issue_date(candidate.value)]
    if number is not None and number.how != "below":
        # « Facture n° 12 du 15/03/2026 », « Nr. 471102 vom 05.06.2018 »: a date on the number's line.
        for value, start, end in dates(number.line.text[number.end:]):
            span = (number.end + start, number.end + end)
            issue.append(Candidate("issue_date", value, 0.75, number.line, *span, "number"))
    due = [_placed(candidate) for candidate in label_candidates(lines, hits, "due_date", dates)]
    best_issue = max(issue, key=lambda item: item.score, default=None)
    if best_issue is None:
        best_issue = _first_header_date(lines, hits, month_first)
    if best_issue is not None:
        due = [candidate for candidate in due if candidate.value >= best_issue.value]
    return best_issue, max(due, key=lambda item: item.score, default=None)


def _placed(candidate: Candidate) -> Candidate:
    position = 1.0 if candidate.line.page == 1 and candidate.line.relative_y < 0.5 else 0.8
    return Candidate(candidate.field, candidate.value, candidate.score * position, candidate.line,
                     candidate.start, candidate.end, candidate.how)


def _first_header_date(lines: list[Line], hits: dict, month_first: bool) -> Candidate | None:
    """No labelled date: the first date at the top of page 1 that no other label claims."""
    for line in lines:
        if line.page != 1 or line.relative_y > 0.4:
            continue
        if any(hit.field in ("due_date", "other") for hit in hits.get(line.index, [])):
            continue
        found = find_dates(line.text, month_first)
        if found:
            return Candidate("issue_date", found[0].value, 0.3, line, found[0].start, found[0].end, "first")
    return None


def read_currency(lines: list[Line], seen_in_totals: list[str]) -> tuple[str | None, float]:
    """An explicit « Devise : EUR » first, then the currency written beside the totals, then any code."""
    for line in lines:
        label = _CURRENCY_LABEL.search(line.folded)
        if label:
            code = _CODE.search(line.text, label.end())
            if code:
                return code[1], 0.95
    if seen_in_totals:
        code, count = Counter(seen_in_totals).most_common(1)[0]
        return code, 0.9 if count > 1 else 0.75
    codes = Counter(match[1] for line in lines for match in _CODE.finditer(line.text))
    codes.update(amount.currency for line in lines for amount in find_amounts(line.text) if amount.currency)
    if codes:
        return codes.most_common(1)[0][0], 0.6
    return None, 0.0


def read_kind(lines: list[Line], total: object) -> str:
    """A best guess only: the classifier decides; a credit note says so in its heading."""
    for line in lines:
        if line.page != 1 or line.relative_y >= 0.4:
            continue
        # A heading, not the verb « avoir » in a sentence: the word starts a cell of the line.
        if any(_CREDIT_WORDS.match(line.folded, start) for start, _ in line.cells()):
            return "credit_note"
    if total is not None and total < 0:
        return "credit_note"
    return "invoice"


def is_plausible_issue_date(value: date) -> bool:
    return 1990 <= value.year <= date.today().year + 1
