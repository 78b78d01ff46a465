"""The French summary of a month's entries: totals per journal, VAT per rate, what came late."""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from accounting.entries import ZERO, BookedEntry
from accounting.formats import journal_names

# Every VAT line's label starts with its rate ("TVA 20 % …", "TVA 5,5 % …", "TVA autoliquidée 20 % …").
RATE_IN_LABEL = re.compile(r"TVA(?: autoliquidée)? (\d+(?:,\d+)?) %")


@dataclass(frozen=True)
class JournalTotal:
    code: str
    name: str
    entries: int
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True)
class RateTotal:
    rate: str            # "20", "5,5", or "" when a label does not say it
    collected: Decimal   # on sales (44571), net of credit notes
    deductible: Decimal  # on purchases (44566)
    reverse_charge: Decimal  # self-assessed on intra-EU purchases (due and deductible at once)


@dataclass(frozen=True)
class MonthSummary:
    journals: tuple[JournalTotal, ...]
    rates: tuple[RateTotal, ...]
    sales_excl_tax: Decimal
    purchases_excl_tax: Decimal
    received: Decimal                        # payments booked in the bank journal
    late: tuple[BookedEntry, ...]            # entries of earlier months sent for the first time
    moved: tuple[BookedEntry, ...]           # documents of a closed month, booked in this one
    corrections: tuple[BookedEntry, ...]

    @property
    def balanced(self) -> bool:
        return all(journal.debit == journal.credit for journal in self.journals)


def summarise(booked: list[BookedEntry], month: date, settings) -> MonthSummary:
    names = journal_names(settings)
    by_journal: dict[str, list[BookedEntry]] = defaultdict(list)
    for item in booked:
        by_journal[item.entry.journal].append(item)
    order = [settings.purchase_journal, settings.sales_journal, settings.bank_journal]
    codes = order + sorted(set(by_journal) - set(order))
    journals = tuple(JournalTotal(code, names.get(code, code), len(by_journal[code]),
                                  sum((item.entry.total_debit() for item in by_journal[code]), ZERO),
                                  sum((item.entry.total_credit() for item in by_journal[code]), ZERO))
                     for code in codes)
    lines = [line for item in booked for line in item.entry.lines]
    return MonthSummary(
        journals=journals, rates=_rates(lines, settings),
        sales_excl_tax=sum((line.credit - line.debit for line in lines if line.account.startswith("7")), ZERO),
        purchases_excl_tax=sum((line.debit - line.credit for line in lines if line.account.startswith(("6", "2"))), ZERO),
        received=sum((line.debit - line.credit for item in booked if item.entry.journal == settings.bank_journal
                      for line in item.entry.lines if line.account == settings.bank_account), ZERO),
        late=tuple(item for item in booked if item.entry.entry_date < month),
        moved=tuple(item for item in booked if item.entry.entry_date >= month and item.entry.piece_date < month
                    and "(pièce du " in item.entry.label),
        corrections=tuple(item for item in booked if item.entry.source_kind == "correction"),
    )


def _rates(lines, settings) -> tuple[RateTotal, ...]:
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for line in lines:
        match = RATE_IN_LABEL.match(line.label)
        rate = match[1] if match else ""
        if line.account == settings.collected_vat_account:
            sums[rate]["collected"] += line.credit - line.debit
        elif line.account == settings.deductible_vat_account:
            sums[rate]["deductible"] += line.debit - line.credit
        elif line.account == settings.reverse_charge_due_account:
            sums[rate]["reverse_charge"] += line.credit - line.debit
    ordered = sorted(sums, key=lambda rate: -Decimal(rate.replace(",", ".")) if rate else Decimal(1))
    return tuple(RateTotal(rate, sums[rate]["collected"], sums[rate]["deductible"], sums[rate]["reverse_charge"])
                 for rate in ordered)
