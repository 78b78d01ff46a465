"""The legal mentions of a document, resolved from the dated legal texts, in print order.

Identity mentions (SIREN, RCS/RM, capital, « EI », VAT numbers, addresses, purchase order, dates,
nature of the operation) are fields of the Document that the layout prints; this module decides
the sentences of the « Mentions légales » block and the BT-23 code.
"""

from dataclasses import dataclass
from datetime import date

from invoicing.document import TaxTotal
from invoicing.legal_texts import LegalText, LegalTexts

OPERATION_LABELS = {
    "goods": "Livraison de biens",
    "services": "Prestation de services",
    "mixed": "Livraison de biens et prestation de services",
}
# BT-23 « cadre de facturation » of the French e-invoicing specifications: B goods, S services,
# M mixed; 1 an ordinary (or deposit) invoice, 4 a final invoice after deposits.
PROCESS_LETTERS = {"goods": "B", "services": "S", "mixed": "M"}
# From this date the review warnings of legal_texts.toml apply (the end of a tolerance).
WARN_REVIEW = "Legal text [[{key}]] is past its review date {date}: update {path} (see docs/invoicing-rules.md)."


@dataclass(frozen=True)
class MentionContext:
    """What decides the mentions of one document."""

    kind: str
    vat_case: str
    operation: str
    issue_date: date
    language: str
    consumer: bool
    vat_on_debits: bool
    early_payment_discount: str
    late_penalty: str
    tax_totals: tuple[TaxTotal, ...]
    credit_basis: str = ""


class Resolver:
    """Picks dated entries and remembers those whose review date has passed."""

    def __init__(self, texts: LegalTexts, on: date, language: str):
        self.texts, self.on, self.language = texts, on, language
        self.warnings: list[str] = []

    def entry(self, key: str) -> LegalText:
        entry = self.texts.get(key, self.on)
        if entry.review_by and self.on > entry.review_by:
            warning = WARN_REVIEW.format(key=key, date=entry.review_by.isoformat(), path=self.texts.path)
            if warning not in self.warnings:
                self.warnings.append(warning)
        return entry

    def wording(self, key: str) -> str:
        return self.entry(key).wording(self.language)


def build_mentions(context: MentionContext, resolver: Resolver) -> tuple[str, ...]:
    mentions = [total.exemption_reason for total in context.tax_totals if total.exemption_reason]
    if context.vat_case == "reverse_charge_eu":
        mentions.append(resolver.wording("autoliquidation"))
    if context.kind == "deposit":
        mentions.append(resolver.wording("deposit_vat"))
    charges_vat = any(total.vat_category == "S" for total in context.tax_totals)
    if context.vat_on_debits and charges_vat and context.operation in ("services", "mixed"):
        mentions.append(resolver.wording("vat_on_debits"))
    if context.kind == "credit_note":
        mentions.append(resolver.wording("credit_note_ht" if context.credit_basis == "HT" else "credit_note_ttc"))
    else:
        mentions.extend(_payment_mentions(context, resolver))
    return tuple(dict.fromkeys(mention for mention in mentions if mention))


def _payment_mentions(context: MentionContext, resolver: Resolver) -> list[str]:
    """B2B: discount terms, penalty rate and the €40 indemnity; B2C: the consumer wording only."""
    if context.consumer:
        return [resolver.wording("consumer_late_payment")]
    penalty = context.late_penalty or resolver.wording("late_penalty_b2b")
    return [context.early_payment_discount, penalty, resolver.wording("recovery_indemnity")]


def exemption_reason(resolver: Resolver, keys: list[str]) -> str:
    """BT-120 of one VAT breakdown: the wording of each distinct key, joined."""
    return " ; ".join(dict.fromkeys(resolver.wording(key) for key in keys if key))


def business_process(operation: str, after_deposits: bool) -> str:
    return PROCESS_LETTERS[operation] + ("4" if after_deposits else "1")


def operation_label(operation: str) -> str:
    return OPERATION_LABELS[operation]
