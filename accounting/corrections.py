"""The correcting entry of one correction from the accountant: an entry is never edited, another one fixes it."""

import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from accounting.correction_lines import (  # noqa: F401 - part of this module's interface
    Correction,
    CorrectionsReply,
    UnreadLine,
    read_corrections,
)
from accounting.entries import ZERO, BookedEntry, Entry, EntryLine, cents
from accounting.month_summary import RATE_IN_LABEL
from accounting.purchases import rate_text

PURCHASE, SALES = "purchase", "sales"
# The accounts a correction of account moves: what was bought (charges, fixed assets) or sold (products).
MOVED_CLASSES = {PURCHASE: ("6", "2"), SALES: ("7",)}
CLASS_WORDS = {PURCHASE: "en classe 6 (charges) ou 2 (immobilisations)", SALES: "en classe 7 (produits)"}
_BOOKED_RATE = re.compile(r"TVA (?:autoliquidée )?(\d+(?:,\d+)?) % ")
# "->" rather than an arrow: the import files of Ciel are ASCII and the FEC's ISO-8859-15 has no arrow.
_CORRECTED_RATE = re.compile(r": TVA (?:autoliquidée )?[^:]*?-> (\d+(?:,\d+)?) %$")

Key = tuple[str, str]   # (account, auxiliary account)
# The journal stores labels of at most 255 characters (accounting/models.py); the change must stay whole.
LABEL_MAX = 255


class CorrectionRefused(Exception):
    """The correction cannot be booked; the French sentence goes back to the accountant."""

    def __init__(self, french: str, english: str):
        super().__init__(french)
        self.french, self.english = french, english


class _AlreadySo(CorrectionRefused):
    """The booking already says what the correction asks, which only refuses it when nothing else changes."""


def correcting_entry(original: BookedEntry, earlier: list[BookedEntry], correction: Correction, settings,
                     entry_date: date) -> Entry:
    """The entry that brings original + earlier corrections to what the correction asks, differences only."""
    entry = original.entry
    kind = _journal_kind(entry, settings)
    parts: list[Callable[[list[EntryLine]], tuple[str, list[EntryLine]]]] = []
    if correction.account is not None:
        parts.append(lambda state: _account_move(kind, entry, state, correction.account))
    if correction.vat_rate is not None:
        parts.append(lambda state: _rate_change(kind, entry, state, earlier, correction.vat_rate, settings))
    state = [line for booked in (original, *earlier) for line in booked.entry.lines]
    changes, lines, already = [], [], []
    for part in parts:
        try:
            change, new_lines = part(state + lines)
        except _AlreadySo as refusal:
            already.append(refusal)
            continue
        changes.append(change)
        lines.extend(new_lines)
    if not changes:
        raise already[0] if already else CorrectionRefused(
            f"La ligne « {correction.line} » ne demande aucune correction.", "nothing to correct")
    corrected = Entry(entry.journal, entry_date, entry.piece_ref, entry.piece_date,
                      correction_label(entry.label, ", ".join(changes)), tuple(lines), source_kind="correction",
                      source_id=original.number)
    if not corrected.is_balanced():
        raise ValueError(f"{entry.piece_ref}: the correcting entry does not balance ({lines})")
    return corrected


def _journal_kind(entry: Entry, settings) -> str:
    if entry.journal == settings.purchase_journal:
        return PURCHASE
    if entry.journal == settings.sales_journal:
        return SALES
    if entry.journal == settings.bank_journal:
        raise CorrectionRefused(f"L'écriture {entry.piece_ref} est un règlement (journal {entry.journal}) : "
                                "ni son compte ni sa TVA ne se corrigent ainsi.",
                                f"{entry.piece_ref} is a bank entry: no account or VAT correction")
    raise CorrectionRefused(f"L'écriture {entry.piece_ref} est au journal {entry.journal}, ni achats ni ventes : "
                            "elle ne se corrige pas ainsi.", f"{entry.piece_ref} is in journal {entry.journal}")


def _account_move(kind: str, entry: Entry, state: list[EntryLine], account: str) -> tuple[str, list[EntryLine]]:
    """Each charge (or product) account's net amount leaves it for the new account."""
    if not account.startswith(MOVED_CLASSES[kind]):
        document = "Une facture d'achat" if kind == PURCHASE else "Une facture émise"
        raise CorrectionRefused(f"{document} s'impute {CLASS_WORDS[kind]}, pas sur le compte {account}.",
                                f"a {kind} entry cannot go to account {account}")
    amounts = _nonzero(_nets(state, lambda line: line.account.startswith(MOVED_CLASSES[kind])))
    if not amounts:
        raise CorrectionRefused(f"L'écriture {entry.piece_ref} n'a aucun montant à changer de compte.",
                                f"{entry.piece_ref}: nothing to move")
    moved = {key: amount for key, amount in amounts.items() if key[0] != account}
    if not moved:
        raise _AlreadySo(f"L'écriture {entry.piece_ref} est déjà sur le compte {account}.",
                         f"{entry.piece_ref}: already on account {account}")
    aux_labels = _aux_labels(state)
    lines = []
    for (old, aux), amount in moved.items():
        line_label = correction_label(entry.label, f"compte {old} -> {account}")
        lines += [_signed_line(old, line_label, -amount, aux, aux_labels.get(aux, "")),
                  _signed_line(account, line_label, amount, aux, aux_labels.get(aux, ""))]
    olds = " + ".join(dict.fromkeys(old for old, _ in moved))
    return f"compte {olds} -> {account}", lines


def _rate_change(kind: str, entry: Entry, state: list[EntryLine], earlier: list[BookedEntry], rate: Decimal,
                 settings) -> tuple[str, list[EntryLine]]:
    """The bill's VAT at one rate: its TTC kept (HT recomputed), or its HT kept under reverse charge."""
    if kind == SALES:
        raise CorrectionRefused(f"La TVA d'une facture émise se corrige par un avoir (AVOIR {entry.piece_ref} …).",
                                f"the VAT of issued invoice {entry.piece_ref} is corrected by a credit note")
    charges = _nonzero(_nets(state, lambda line: line.account.startswith(MOVED_CLASSES[PURCHASE])))
    if not charges:
        raise CorrectionRefused(f"L'écriture {entry.piece_ref} n'a aucune charge dont changer la TVA.",
                                f"{entry.piece_ref}: no charge to change the VAT of")
    if len(charges) > 1:
        accounts = ", ".join(account for account, _ in charges)
        raise CorrectionRefused(f"L'écriture {entry.piece_ref} porte sur plus d'un compte de charge ({accounts}) : "
                                "ramenez-la d'abord sur un seul compte.", f"charge accounts: {accounts}")
    (charge_account, charge_aux), net_excl_tax = next(iter(charges.items()))
    reverse_charge = any(line.account == settings.reverse_charge_due_account for line in state)
    booked = _current_rates(entry, earlier, settings)
    named = "TVA autoliquidée" if reverse_charge else "TVA"
    already = _AlreadySo(f"L'écriture {entry.piece_ref} est déjà à la {named} {rate_text(rate)} %.",
                         f"VAT already at {rate} %")
    if booked == {rate}:
        raise already
    before = "".join(f"{rate_text(old)} % + " for old in sorted(booked, reverse=True)).removesuffix("+ ")
    change = f"{named} {before}-> {rate_text(rate)} %"
    line_label = correction_label(entry.label, change)
    if reverse_charge:
        # The supplier charged no VAT: the base stays, the VAT booked on it (deductible and due) changes.
        vat = cents(net_excl_tax * rate / 100)
        if vat == _net(state, settings.reverse_charge_deductible_account):
            raise already
        lines = [*_rate_lines(state, settings.reverse_charge_deductible_account, rate, vat, entry.label, change),
                 *_rate_lines(state, settings.reverse_charge_due_account, rate, -vat, entry.label, change)]
    else:
        # What the supplier is owed is what the bill says: the rate only splits it between HT and VAT.
        incl_tax = -_net(state, settings.supplier_account)
        vat_now = _net(state, settings.deductible_vat_account)
        if net_excl_tax + vat_now != incl_tax:
            raise CorrectionRefused(f"L'écriture {entry.piece_ref} ne se lit pas comme une facture d'achat "
                                    "(charge + TVA ≠ fournisseur) : corrigez-la à la main.",
                                    f"{entry.piece_ref}: charge + VAT is not the supplier's amount")
        excl_tax = cents(incl_tax / (1 + rate / 100))
        if excl_tax == net_excl_tax:
            raise already
        lines = [_signed_line(charge_account, line_label, excl_tax - net_excl_tax, charge_aux),
                 *_rate_lines(state, settings.deductible_vat_account, rate, incl_tax - excl_tax, entry.label, change)]
    lines = [line for line in lines if line.debit or line.credit]
    if not lines:
        raise already
    return change, lines


def correction_label(original_label: str, change: str, limit: int = LABEL_MAX) -> str:
    """"Correction <label> : <change>", the original label cut when the whole would be too long to store."""
    room = limit - len(f"Correction  : {change}")
    return f"Correction {original_label[:max(room, 0)].rstrip()} : {change}"[:limit]


def _rate_lines(state: list[EntryLine], account: str, rate: Decimal, amount: Decimal, label: str,
                change: str) -> list[EntryLine]:
    """The VAT of `account` moved to one rate: each rate booked so far reversed, the new amount booked.

    Each line's label starts with its rate, as on the bill's own entry, so that the VAT per rate of
    the month (the VAT return's figures) reads the correction at the right rates.
    """
    by_rate: dict[str, Decimal] = {}
    for line in state:
        if line.account == account:
            match = RATE_IN_LABEL.match(line.label)
            key = match[1] if match else ""
            by_rate[key] = by_rate.get(key, ZERO) + line.debit - line.credit
    lines = [_signed_line(account, _rate_label(old, label, change), -net) for old, net in by_rate.items() if net]
    return [*lines, _signed_line(account, _rate_label(rate_text(rate), label, change), amount)]


def _rate_label(rate: str, label: str, change: str) -> str:
    prefix = f"TVA {rate} % " if rate else "TVA "
    return prefix + correction_label(label, change, LABEL_MAX - len(prefix))


def _current_rates(entry: Entry, earlier: list[BookedEntry], settings) -> set[Decimal]:
    """The rates the booking is at: the last rate correction's, else those named on the bill's VAT lines.

    An empty set means the rate is not known (a bill booked without its VAT breakdown).
    """
    vat_accounts = {settings.deductible_vat_account, settings.reverse_charge_deductible_account}
    for booked in reversed(earlier):
        for line in booked.entry.lines:
            if line.account in vat_accounts and (match := _CORRECTED_RATE.search(line.label)):
                return {Decimal(match[1].replace(",", "."))}
    rates = set()
    for line in entry.lines:
        if line.account in vat_accounts and (line.debit or line.credit):
            match = _BOOKED_RATE.match(line.label)
            if not match:
                return set()
            rates.add(Decimal(match[1].replace(",", ".")))
    return rates


def _nets(lines: Iterable[EntryLine], keep: Callable[[EntryLine], bool]) -> dict[Key, Decimal]:
    """Debit less credit per account and auxiliary account, in the order the accounts first appear."""
    nets: dict[Key, Decimal] = {}
    for line in lines:
        if keep(line):
            key = (line.account, line.aux_account)
            nets[key] = nets.get(key, ZERO) + line.debit - line.credit
    return nets


def _nonzero(nets: dict[Key, Decimal]) -> dict[Key, Decimal]:
    return {key: amount for key, amount in nets.items() if amount}


def _net(lines: Iterable[EntryLine], account: str) -> Decimal:
    return sum(_nets(lines, lambda line: line.account == account).values(), ZERO)


def _aux_labels(lines: Iterable[EntryLine]) -> dict[str, str]:
    return {line.aux_account: line.aux_label for line in lines if line.aux_account}


def _signed_line(account: str, label: str, amount: Decimal, aux: str = "", aux_label: str = "") -> EntryLine:
    """A positive amount on the debit, a negative one on the credit: amounts in an entry are never negative."""
    if amount >= 0:
        return EntryLine(account, label, debit=amount, aux_account=aux, aux_label=aux_label)
    return EntryLine(account, label, credit=-amount, aux_account=aux, aux_label=aux_label)
