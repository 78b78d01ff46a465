"""What each format carries of an entry, written from docs/exports.md: the read-back must give exactly this."""

from dataclasses import replace

from accounting.text import ascii_text, encodable


def _unlettered(line):
    return replace(line, lettering="", lettered_on=None)


def by_fec(entry):
    # The FEC has no due date and no link to the source document; it keeps the lettering (EcritureLet, DateLet).
    return replace(entry, due_date=None, source_kind="", source_id=None)


def by_sage(entry):
    # One date (date de pièce), reference 13, label 25, tiers code 13, no tiers name, no lettering.
    def text(value, width):
        return encodable(value, "ISO-8859-15")[:width].rstrip()

    lines = tuple(replace(_unlettered(line), label=text(line.label, 25), aux_account=line.aux_account[:13],
                          aux_label="") for line in entry.lines)
    return replace(entry, piece_ref=text(entry.piece_ref, 13), piece_date=entry.entry_date,
                   label=text(entry.label, 25), lines=lines, source_kind="", source_id=None)


def by_ciel(entry):
    # ASCII; a tiers line holds the tiers code (11) in the account column and the tiers' name (34); the
    # reader gives it back its collective account by journal. No lettering.
    def text(value, width):
        return ascii_text(value)[:width].rstrip()

    lines = tuple(replace(_unlettered(line), label=text(line.label, 25), aux_account=text(line.aux_account, 11),
                          aux_label=text(line.aux_label, 34) if line.aux_account else "")
                  for line in entry.lines)
    return replace(entry, piece_ref=text(entry.piece_ref, 12), piece_date=entry.entry_date, label=text(entry.label, 25),
                   lines=lines, source_kind="", source_id=None)


def by_quickbooks(entry):
    # Journal entries: one date, the document number as Memo, the first line's label for the entry's; tiers
    # known by name only (Name), no due date, no lettering.
    lines = tuple(replace(_unlettered(line), aux_account="", aux_label=line.aux_label if line.aux_account else "")
                  for line in entry.lines)
    return replace(entry, piece_date=entry.entry_date, label=entry.lines[0].label, lines=lines, due_date=None,
                   source_kind="", source_id=None)


def by_quickbooks_bills(entry):
    # Bills: every line is labelled with the bill's memo; the supplier is known by name only.
    lines = tuple(replace(line, label=entry.label, aux_account="") for line in entry.lines)
    return replace(entry, piece_date=entry.entry_date, lines=lines, source_kind="", source_id=None)


CARRIED = {"fec": by_fec, "sage": by_sage, "ciel": by_ciel, "quickbooks": by_quickbooks,
           "quickbooks-bills": by_quickbooks_bills}
