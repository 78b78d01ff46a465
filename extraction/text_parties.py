"""Supplier (the issuer) and buyer: identifiers by whose block they sit in, cross-checked by SIREN."""

import re
from collections import defaultdict
from dataclasses import dataclass

from stdnum.fr import siren as siren_check

from extraction.identifiers import Identifier, find_identifiers, siren_of_vat, wrapped_vat
from extraction.model import Party
from extraction.text_blocks import Block, find_blocks, role_at
from extraction.text_lines import Line
from extraction.text_names import choose_names

# Words just before an identifier that make it the buyer's (« Votre n° TVA », « IBAN du client »).
_BUYER_CONTEXT = re.compile(
    r"(?<![a-z])(?:client|customer|acheteur|buyer|votre|vos|your|ihre?|kunde\w*|uw|destinataire"
    r"|prelevement|lastschrift|direct\s*debit|mandat\w*)(?![a-z])"
)
_LEGAL_MENTION = re.compile(
    r"(?<![a-z])(?:rcs|r\.c\.s\.?|capital|siege\s*social|registre|handelsregister|hrb|amtsgericht"
    r"|geschaftsfuhrer|kvk|company\s*(?:no|number|registration))(?![a-z])"
)
# Confidence when two companies' numbers are equally plausible for the issuer.
_AMBIGUOUS = 0.55


@dataclass(frozen=True)
class Seen:
    identifier: Identifier
    line: Line
    weight: float


def read_parties(lines: list[Line], known_buyer: Party | None = None) -> tuple[Party, Party, dict[str, float]]:
    """(supplier, buyer, confidence by dotted field name).

    `known_buyer` is the company the bills are addressed to (our own): its identifiers are never
    taken for the supplier's.
    """
    blocks = find_blocks(lines)
    supplier_ids, buyer_ids = _sort_identifiers(lines, blocks, _own_numbers(known_buyer))
    supplier, buyer, confidence = Party(), Party(), {}
    _choose_company_numbers(supplier, supplier_ids, confidence)
    _choose_vat(supplier, supplier_ids, confidence, "supplier")
    _choose_vat(buyer, buyer_ids, confidence, "buyer")
    _buyer_company_numbers(buyer, buyer_ids)
    _choose_bank(supplier, supplier_ids, confidence)
    choose_names(supplier, buyer, lines, blocks, confidence)
    return supplier, buyer, confidence


def _own_numbers(party: Party | None) -> set[str]:
    """The SIREN and VAT number of the company the bills are for, as SIRENs and compact VATs."""
    if party is None:
        return set()
    numbers = {party.siren, (party.siret or "")[:9], (party.vat_number or "").replace(" ", "").upper()}
    numbers.add(siren_of_vat((party.vat_number or "").replace(" ", "").upper()))
    return {number for number in numbers if number}


def _is_own(identifier: Identifier, own: set[str]) -> bool:
    value = identifier.value
    return value in own or value[:9] in own and identifier.kind in ("siren", "siret")


def _sort_identifiers(lines: list[Line], blocks: list[Block], own: set[str]):
    """Identifiers in a buyer block are the buyer's; outside any block, the issuer's.

    The legal mentions (« RCS », « capital ») are the issuer's own, so they weigh more.
    """
    supplier, buyer = defaultdict(list), defaultdict(list)
    for line in lines:
        for identifier in find_identifiers(line.text, line.folded) + _wrapped(lines, line):
            role = role_at(blocks, line, identifier.start)
            if _BUYER_CONTEXT.search(_words_before(line, identifier.start)) or _is_own(identifier, own):
                role = "buyer"
            weight = 1.0 if role == "seller" else 0.8
            if _LEGAL_MENTION.search(line.folded):
                weight *= 2
            if role == "buyer":
                buyer[identifier.kind].append(Seen(identifier, line, 1.0))
            elif role != "third":
                supplier[identifier.kind].append(Seen(identifier, line, weight * (2 if identifier.valid else 1)))
    return supplier, buyer


def _wrapped(lines: list[Line], line: Line) -> list[Identifier]:
    """A VAT number that a footer's line wrap cut in two, read across both lines."""
    following = lines[line.index + 1] if line.index + 1 < len(lines) else None
    if following is None or following.page != line.page or following.y0 - line.y1 > line.height:
        return []
    found = wrapped_vat(line.text, following.text)
    return [found] if found else []


def _words_before(line: Line, start: int) -> str:
    """The few words before an identifier in its own cell (its label, « Votre n° TVA : »)."""
    cell_start = max((begin for begin, _ in line.cells() if begin <= start), default=0)
    return line.folded[max(cell_start, start - 30):start]


def _choose_company_numbers(party: Party, seen: dict, confidence: dict) -> None:
    """The SIREN most often seen (on its own, in a SIRET, in a French VAT number)."""
    votes: dict[str, float] = defaultdict(float)
    sources: dict[str, int] = defaultdict(int)
    for item in seen["siren"]:
        votes[item.identifier.value] += item.weight
        sources[item.identifier.value] += 1
    for item in seen["siret"]:
        votes[item.identifier.value[:9]] += item.weight
        sources[item.identifier.value[:9]] += 1
    for item in seen["vat"]:
        inner = siren_of_vat(item.identifier.value)
        if inner:
            votes[inner] += item.weight * 0.5
            sources[inner] += 1
    if not votes:
        return
    best = max(votes, key=lambda value: votes[value])
    valid = siren_check.is_valid(best)
    confirmed = sources[best] >= 2
    party.siren = best
    score = 0.96 if valid and confirmed else 0.85 if valid else 0.75 if confirmed else 0.5
    # A second company number nearly as well supported: likely the buyer's, printed without heading.
    runner_up = max((votes[value] for value in votes if value != best), default=0.0)
    if runner_up >= 0.6 * votes[best]:
        score = min(score, _AMBIGUOUS)
    confidence["supplier.siren"] = score
    sirets = [item.identifier for item in seen["siret"] if item.identifier.value.startswith(best)]
    if sirets:
        party.siret = sirets[0].value
        confidence["supplier.siret"] = 0.95 if sirets[0].valid else 0.7


def _buyer_company_numbers(party: Party, seen: dict) -> None:
    """The buyer's SIREN as printed in its block (lets the gateway see that the bill is for us)."""
    for item in seen["siret"]:
        party.siret = party.siret or item.identifier.value
    sirens = [item.identifier.value for item in seen["siren"]]
    from_vat = [siren_of_vat(party.vat_number)] if party.vat_number else []
    for value in sirens + ([party.siret[:9]] if party.siret else []) + from_vat:
        if value:
            party.siren = value
            return


def _choose_vat(party: Party, seen: dict, confidence: dict, role: str) -> None:
    """A VAT number that holds the chosen SIREN wins; then the best supported valid one."""
    numbers = seen["vat"]
    if not numbers:
        return
    weights: dict[str, float] = defaultdict(float)
    for item in numbers:
        weights[item.identifier.value] += item.weight
    matching = [item for item in numbers if party.siren and siren_of_vat(item.identifier.value) == party.siren]
    pool = matching or numbers
    best = max(pool, key=lambda item: (item.identifier.valid, weights[item.identifier.value], -item.line.index))
    party.vat_number = best.identifier.value
    if best.identifier.valid:
        score = 0.97 if matching else 0.9
    else:
        score = 0.75 if matching else 0.6
    rivals = [weight for value, weight in weights.items() if value != party.vat_number]
    # A rival number nearly as well supported makes the choice a guess, unless a sure SIREN settled it.
    settled = matching and confidence.get(f"{role}.siren", 1.0) > _AMBIGUOUS
    if max(rivals, default=0.0) >= 0.6 * weights[party.vat_number] and not settled:
        score = min(score, _AMBIGUOUS)
    confidence[f"{role}.vat_number"] = score


def _choose_bank(party: Party, seen: dict, confidence: dict) -> None:
    ibans = sorted(seen["iban"], key=lambda item: (not item.identifier.valid, item.line.index))
    if ibans:
        party.iban = ibans[0].identifier.value
        confidence["supplier.iban"] = 0.92 if ibans[0].identifier.valid else 0.55
    if seen["bic"]:
        party.bic = seen["bic"][0].identifier.value
