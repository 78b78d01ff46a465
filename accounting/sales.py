"""Sales-journal entries of the documents we issue: invoices, deposit invoices and credit notes (French PCG)."""

from decimal import Decimal

from accounting.entries import ZERO, Entry, EntryLine
from accounting.purchases import rate_text
from accounting.tiers import client_aux_account
from invoicing.amounts import split_exactly
from invoicing.document import Document, TaxTotal
from invoicing.totals import GroupKey, group_key

LABEL_PREFIXES = {"invoice": "", "credit_note": "Avoir ", "deposit": "Acompte "}
# The journal holds euros only; invoicing refuses any other currency (invoicing/request.py).
CURRENCY = "EUR"
# Labels are stored in 255 characters: a long client name is cut so that the number always fits.
NAME_LENGTH = 150
LABEL_LENGTH = 255


def sales_entry(document: Document, settings, source_id: int | None, credited: Document | None = None) -> Entry:
    """The entry of an issued document: the client owes the TTC, products and collected VAT are credited.

    A credit note books the entry of what it credits with the sides swapped; `credited` (the
    invoice it corrects) tells its natures and whether it was a deposit. Amounts are checked
    against the document's totals: a disagreement raises ValueError, nothing is booked.
    """
    if document.kind not in LABEL_PREFIXES:
        raise ValueError(f"{document.number}: unknown document kind {document.kind!r}")
    if document.currency != CURRENCY:
        raise ValueError(f"{document.number}: the journal is kept in euros, the document is in {document.currency}")
    _check_totals(document)
    label = f"{LABEL_PREFIXES[document.kind]}{document.buyer.name[:NAME_LENGTH]} {document.number}".strip()
    source = credited if document.kind == "credit_note" and credited is not None else document
    on_deposit = document.kind == "deposit" or (document.kind == "credit_note" and source.kind == "deposit")
    # Per rate, as purchases do: its product lines, then its VAT line.
    credits = []
    products = _product_lines(document.tax_totals, source, label, settings, on_deposit)
    for rate_products, rate_vat in zip(products, _vat_lines(document, label, settings), strict=True):
        credits += [*rate_products, rate_vat]
    deductions = _deposit_deductions(document, label, settings)
    owed = document.amount_due if document.kind != "credit_note" else document.total_incl_tax
    client = EntryLine(settings.client_account, label, debit=owed,
                       aux_account=client_aux_account(document.buyer.name, _siren(document)),
                       aux_label=document.buyer.name[:LABEL_LENGTH])
    lines = tuple(line for line in (client, *deductions, *credits) if line.debit or line.credit)
    if document.kind == "credit_note":
        lines = tuple(line.swapped() for line in lines)
    entry = Entry(settings.sales_journal, document.issue_date, document.number, document.issue_date, label, lines,
                  due_date=document.due_date, source_kind="issued", source_id=source_id)
    if not entry.is_balanced():
        raise ValueError(f"{document.number}: the sales entry does not balance "
                         f"(debit {entry.total_debit()}, credit {entry.total_credit()})")
    return entry


def _siren(document: Document) -> str:
    return document.buyer.siren or document.buyer.siret[:9]


def _check_totals(document: Document) -> None:
    """The breakdown adds up to the totals, and what is due is the TTC less the deposits deducted."""
    base = sum((total.base for total in document.tax_totals), ZERO)
    vat = sum((total.amount for total in document.tax_totals), ZERO)
    deducted = sum((total.base + total.amount for reference in document.deposits for total in reference.tax_totals), ZERO)
    problems = []
    if base != document.total_excl_tax or vat != document.total_tax:
        problems.append(f"VAT breakdown {base} HT + {vat} TVA, totals {document.total_excl_tax} HT + {document.total_tax} TVA")
    if base + vat != document.total_incl_tax:
        problems.append(f"{base} + {vat} is not the total {document.total_incl_tax} TTC")
    if document.kind != "credit_note" and document.total_incl_tax - deducted != document.amount_due:
        problems.append(f"{document.total_incl_tax} TTC less {deducted} of deposits is not the {document.amount_due} due")
    if problems:
        raise ValueError(f"{document.number}: " + "; ".join(problems))


def _product_lines(tax_totals: tuple[TaxTotal, ...], source: Document, label: str, settings,
                   on_deposit: bool) -> list[list[EntryLine]]:
    """Per rate, the base HT credited to 706 (services) or 707 (goods), or to 4191 for a deposit."""
    if on_deposit:
        return [[EntryLine(settings.deposit_account, label, credit=total.base)] for total in tax_totals]
    accounts = {"goods": settings.goods_account, "services": settings.services_account}
    weights = nature_weights(source)
    lines = []
    for total in tax_totals:
        shares = _split_by_nature(total.base, weights.get(group_key(total.vat_category, total.rate), {}),
                                  default_nature(source.operation))
        lines.append([EntryLine(accounts[nature], label, credit=share) for nature, share in shares])
    return lines


def default_nature(operation: str) -> str:
    """The nature of a line that names none: the operation's; a mixed one counts as services (706)."""
    return "goods" if operation == "goods" else "services"


def nature_weights(document: Document) -> dict[GroupKey, dict[str, Decimal]]:
    """Per (VAT category, rate): the bases HT of the document's goods and services lines."""
    fallback = default_nature(document.operation)
    weights: dict[GroupKey, dict[str, Decimal]] = {}
    for line in document.lines:
        by_nature = weights.setdefault(group_key(line.vat_category, line.vat_rate), {})
        nature = line.nature or fallback
        by_nature[nature] = by_nature.get(nature, ZERO) + line.total
    return weights


def _split_by_nature(base: Decimal, weights: dict[str, Decimal], fallback: str) -> list[tuple[str, Decimal]]:
    """The base shared pro rata of the natures' bases (exactly them for an invoice, to the cent otherwise)."""
    natures = sorted(nature for nature, weight in weights.items() if weight > 0)
    if not natures:
        return [(fallback, base)]
    return list(zip(natures, split_exactly(base, [weights[nature] for nature in natures])))


def _vat_lines(document: Document, label: str, settings) -> list[EntryLine]:
    """Collected VAT per rate, less the VAT already collected on the deposits deducted at that rate."""
    deducted: dict[GroupKey, Decimal] = {}
    for reference in document.deposits:
        for total in reference.tax_totals:
            key = group_key(total.vat_category, total.rate)
            deducted[key] = deducted.get(key, ZERO) + total.amount
    lines = []
    for total in document.tax_totals:
        net = total.amount - deducted.get(group_key(total.vat_category, total.rate), ZERO)
        named = f"TVA {rate_text(total.rate)} % {label}"[:LABEL_LENGTH]
        # A deposit's VAT rounded from a TTC amount may exceed the final rate's net VAT by a cent.
        lines.append(EntryLine(settings.collected_vat_account, named, credit=net) if net >= 0
                     else EntryLine(settings.collected_vat_account, named, debit=-net))
    return lines


def _deposit_deductions(document: Document, label: str, settings) -> list[EntryLine]:
    """A final invoice takes back, on 4191, the base HT of each deposit it deducts."""
    return [EntryLine(settings.deposit_account, f"Acompte {reference.number} {label}"[:LABEL_LENGTH],
                      debit=sum((total.base for total in reference.tax_totals), ZERO))
            for reference in document.deposits]


def has_amounts(document: Document) -> bool:
    """A document of 0,00 € (free lines only) has nothing to book."""
    return any(total.base or total.amount for total in document.tax_totals) or bool(document.deposits)


def book_issued_document(session, settings, document: Document, invoice_id: int) -> int | None:
    """Record the sales entry of a document just stored (its invoices row id is the entry's source).

    Called in the transaction that inserts the row, so no entry can exist for it yet. A document
    of 0,00 € books nothing and returns None.
    """
    # Imported here: reading stored documents is needed only for credit notes, and only with a database.
    from accounting.journal import record_entry
    from invoicing.stored import find_invoice, stored_document

    if not has_amounts(document):
        return None
    credited = None
    if document.kind == "credit_note" and document.corrects is not None:
        credited = stored_document(find_invoice(session, document.corrects.number))
    return record_entry(session, sales_entry(document, settings, invoice_id, credited))
