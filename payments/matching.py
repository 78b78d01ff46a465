"""Bank statement lines matched to open client invoices, with the reasons shown to the person.

Rules (docs/statements.md): debits and zero amounts are ignored; a line citing open invoice
numbers pays them in the order cited; a line citing none pays the one open invoice whose
outstanding equals its amount and whose client it names; anything else is left for a person,
with the candidates named.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from invoicing.formatting import format_amount
from payments.client_names import ClientIndex
from payments.references import citations_in, known_numbers
from payments.statement_model import StatementLine

# Reasons name at most this many candidates: beyond, the list helps no one.
MAX_NAMED = 5


@dataclass(frozen=True)
class OpenItem:
    number: str              # invoice number, e.g. "FA2026-0012" (also deposit invoices "AC2026-0003")
    client_name: str
    outstanding: Decimal     # still due, TTC
    due_date: date | None = None


@dataclass(frozen=True)
class Allocation:
    number: str
    amount: Decimal


@dataclass(frozen=True)
class LineMatch:
    line: StatementLine
    outcome: str             # "paid" | "partial" | "overpaid" | "unmatched" | "ignored"
    allocations: tuple[Allocation, ...] = ()
    reason: str = ""         # French, shown to the person for unmatched/ignored/overpaid lines
    reason_en: str = ""


class Ledger:
    """The working copy of what each open invoice still owes while a statement is matched."""

    def __init__(self, items: Sequence[OpenItem]):
        self.items = {item.number: item for item in items if item.outstanding > 0}
        self.due = {number: item.outstanding for number, item in self.items.items()}
        self.with_due: dict[Decimal, list[str]] = defaultdict(list)
        for number, outstanding in self.due.items():
            self.with_due[outstanding].append(number)
        self.known = known_numbers(self.items)
        self.clients = ClientIndex({number: item.client_name for number, item in self.items.items()})

    def take(self, number: str, amount: Decimal) -> None:
        self.due[number] -= amount
        if self.due[number] > 0:
            self.with_due[self.due[number]].append(number)

    def owing(self, amount: Decimal) -> list[str]:
        return [number for number in dict.fromkeys(self.with_due.get(amount, ())) if self.due[number] == amount]

    def listed(self, numbers: list[str], language: str = "fr", amounts: bool = False) -> str:
        """« FA2026-0012 (Durand SARL) », with what is still due when the amount is the question."""
        shown = [
            f"{number} ({self.items[number].client_name}"
            f"{', ' + format_amount(self.due[number], language) if amounts else ''})"
            for number in numbers[:MAX_NAMED]
        ]
        more = len(numbers) - len(shown)
        if more:
            shown.append(f"et {more} autre(s)" if language == "fr" else f"and {more} other(s)")
        return ", ".join(shown)


def match_lines(lines: Sequence[StatementLine], items: Sequence[OpenItem]) -> list[LineMatch]:
    """Each line's outcome, in statement order, on a working copy of what is still due."""
    ledger = Ledger(items)
    return [match_line(line, ledger) for line in lines]


def match_line(line: StatementLine, ledger: Ledger) -> LineMatch:
    if line.amount <= 0:
        french, english = ("débit", "debit") if line.amount < 0 else ("montant nul", "zero amount")
        return LineMatch(line, "ignored", reason=f"{french} : ignoré", reason_en=f"{english}: ignored")
    text = f"{line.label} {line.reference}"
    citations = citations_in(text, ledger.known)
    cited = list(dict.fromkeys(citation.number for citation in citations if citation.number))
    settled = [number for number in cited if ledger.due[number] == 0]
    not_open = list(dict.fromkeys(c.written.upper() for c in citations if not c.number)) + settled
    if any(ledger.due[number] > 0 for number in cited):
        return pay_cited(line, [number for number in cited if ledger.due[number] > 0], ledger, not_open)
    if settled:
        return LineMatch(
            line, "overpaid",
            reason=f"{', '.join(settled)} déjà soldée par une ligne précédente : "
            f"{in_french(line.amount)} de trop-perçu",
            reason_en=f"{', '.join(settled)} already settled by an earlier line: {in_english(line.amount)} overpaid",
        )
    found = by_amount_and_client(line, ledger)
    if not not_open:
        for allocation in found.allocations:
            ledger.take(allocation.number, allocation.amount)
        return found
    # A payer citing a wrong or settled number is asked about, never guessed for.
    suggestion, suggestion_en = found.reason, found.reason_en
    if found.outcome == "paid":
        number = found.allocations[0].number
        suggestion = f"montant et client de {number} : à confirmer avec PAYÉ {number}"
        suggestion_en = f"amount and client of {number}: confirm with PAYÉ {number}"
    return LineMatch(
        line, "unmatched",
        reason=f"{', '.join(not_open)} n'est pas une facture ouverte (inconnue ou déjà payée) ; {suggestion}",
        reason_en=f"{', '.join(not_open)} is no open invoice (unknown or already paid); {suggestion_en}",
    )


def pay_cited(line: StatementLine, numbers: list[str], ledger: Ledger, not_open: list[str]) -> LineMatch:
    rest, allocations = line.amount, []
    for number in numbers:
        taken = min(rest, ledger.due[number])
        if taken > 0:
            allocations.append(Allocation(number, taken))
            ledger.take(number, taken)
            rest -= taken
    notes, notes_en = [], []
    if not_open:
        notes.append(f"{', '.join(not_open)} n'est pas une facture ouverte (inconnue ou déjà payée)")
        notes_en.append(f"{', '.join(not_open)} is no open invoice (unknown or already paid)")
    still_due = [number for number in numbers if ledger.due[number] > 0]
    if rest > 0:
        outcome = "overpaid"
        notes.append(f"{in_french(rest)} de plus que le reste dû : trop-perçu à traiter (remboursement ou avoir)")
        notes_en.append(f"{in_english(rest)} more than what was due: overpayment to handle (refund or credit note)")
    elif still_due:
        outcome = "partial"
        notes.append("reste dû : " + ", ".join(f"{n} {in_french(ledger.due[n])}" for n in still_due))
        notes_en.append("still due: " + ", ".join(f"{n} {in_english(ledger.due[n])}" for n in still_due))
    else:
        outcome = "paid"
    return LineMatch(line, outcome, tuple(allocations), " ; ".join(notes), "; ".join(notes_en))


def by_amount_and_client(line: StatementLine, ledger: Ledger) -> LineMatch:
    named = [n for n in ledger.clients.named_in(f"{line.label} {line.counterparty}") if ledger.due[n] > 0]
    owing = ledger.owing(line.amount)
    both = [number for number in named if number in owing]
    if len(both) == 1:
        return LineMatch(line, "paid", (Allocation(both[0], line.amount),))
    if both:
        return unmatched(
            line, f"plusieurs factures du client nommé ont ce reste dû : {ledger.listed(both)}",
            f"several invoices of the named client have this outstanding: {ledger.listed(both, 'en')}", both,
        )
    if owing:
        return unmatched(
            line, f"montant égal au reste dû de {ledger.listed(owing)}, mais le client n'est pas nommé",
            f"amount equal to the outstanding of {ledger.listed(owing, 'en')}, but the client is not named", owing,
        )
    if named:
        return unmatched(
            line, f"client nommé, mais le montant n'est le reste dû d'aucune de ses factures ouvertes — "
            f"{ledger.listed(named, amounts=True)}", f"client named, but the amount is the outstanding of none of its "
            f"open invoices — {ledger.listed(named, 'en', amounts=True)}", named,
        )
    return LineMatch(line, "unmatched", reason="aucune facture ouverte citée ni client reconnu",
                     reason_en="no open invoice cited and no client recognised")


def unmatched(line: StatementLine, french: str, english: str, candidates: list[str]) -> LineMatch:
    return LineMatch(line, "unmatched", reason=f"{french} : à confirmer avec PAYÉ {candidates[0]}",
                     reason_en=f"{english}: confirm with PAYÉ {candidates[0]}")


def in_french(amount: Decimal) -> str:
    return format_amount(amount, "fr")


def in_english(amount: Decimal) -> str:
    return format_amount(amount, "en")
