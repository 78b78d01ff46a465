"""The order written in the mail's text: labelled lines, item lines and pasted tables, greetings aside."""

from gateway.command_signature import is_signoff
from gateway.command_text import fold
from orders.client import EMAIL, looks_like_address_line
from orders.draft import Draft, add_labelled
from orders.item_line import BULLET, ItemRead, looks_priced, read_item, strip_bullet
from orders.labels import match_label
from orders.table import read_table

# Labels whose value may go on over the next lines (« Adresse : 12 rue de la Paix » / « 75002 Paris »),
# and the field those lines fill: under « Client : ACME SAS » come its address and e-mail.
CONTINUED_FIELDS = {"client": "client.address", "client.address": "client.address",
                    "delivery_address": "delivery_address"}
MAX_CONTINUATION_LINES = 4
# The labels whose value is an amount; any other label followed by a price is an item line.
PRICED_FIELDS = ("deposit", "vat")
CLIENT_KINDS = frozenset({"particulier", "client particulier", "consommateur", "consumer", "private individual", "b2c",
                          "entreprise", "client entreprise", "professionnel", "business", "b2b"})
# An order is a few dozen short lines; the rest of a very long mail, or of a very long line, is not read.
MAX_LINES = 2000
MAX_LINE_CHARS = 1000


def read_text(text: str) -> Draft:
    """Read the salesperson's text down to the sign-off or the signature delimiter."""
    lines = _own_lines(text)
    draft = Draft(source="block")
    candidates: list[tuple[int, ItemRead, bool]] = []  # (index, item, priced)
    anchors: list[int] = []
    continuing, continued = "", 0
    index = 0
    while index < len(lines):
        line = lines[index]
        labelled = _label(line)
        table = None if labelled else read_table(lines, index)
        if labelled:
            add_labelled(draft, *labelled)
            anchors.append(index)
            continuing, continued = CONTINUED_FIELDS.get(labelled[0], ""), 0
        elif table is not None:
            draft.items.extend(table[0])
            draft.structured, draft.source = True, "table"
            anchors.append(index)
            index = table[1]
            continue
        elif continuing and continued < MAX_CONTINUATION_LINES and _continue(draft, continuing, line):
            continued += 1
        elif _is_client_kind(line):
            draft.set("client.kind", line.strip())
        else:
            continuing = ""
            _item_candidate(line, index, candidates, anchors)
        index += 1
    _keep_items(draft, lines, candidates, anchors)
    return draft


def _label(line: str) -> tuple[str, str] | None:
    """A labelled line; « - Livraison : 15 € HT » is a priced item (shipping), not a delivery address."""
    labelled = match_label(line)
    if labelled and labelled[0] not in PRICED_FIELDS and looks_priced(labelled[1]):
        return None
    return labelled


def _continue(draft: Draft, field: str, line: str) -> bool:
    """Add a line that goes on with the client or an address: a street, a town, a bare e-mail address."""
    stripped = line.strip()
    if field == "client.address" and EMAIL.fullmatch(stripped):
        draft.set("client.email", stripped)
        return True
    if looks_priced(line) or BULLET.match(line) or not looks_like_address_line(line):
        return False
    draft.fields[field] = (draft.fields.get(field, "") + "\n" + stripped).strip()
    return True


def _is_client_kind(line: str) -> bool:
    """« Particulier » or « Entreprise » alone on its line, as the missing-data mail asks to write it."""
    return fold(strip_bullet(line)).strip(" .!()") in CLIENT_KINDS


def _own_lines(text: str) -> list[str]:
    """The lines above the sign-off (« Cordialement »), the « -- » delimiter, and quoted mail."""
    kept = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:MAX_LINES]:
        stripped = line.strip()
        if stripped == "--" or is_signoff(stripped):
            break
        if not stripped.startswith(">"):
            kept.append(line[:MAX_LINE_CHARS])
    return kept


def _item_candidate(line: str, index: int, candidates: list, anchors: list[int]) -> None:
    if not line.strip():
        return
    priced = looks_priced(line)
    bulleted = bool(BULLET.match(line))
    if priced or bulleted:
        item = read_item(line)
        candidates.append((index, item, priced))
        if priced and item.line is not None:
            anchors.append(index)


def _keep_items(draft: Draft, lines: list[str], candidates: list, anchors: list[int]) -> None:
    """Priced lines are items; a bulleted line without price counts only inside the order block.

    The block runs from the first to the last labelled or priced line, and on over the lines
    around them up to a blank line: the paragraph the salesperson wrote the order in.
    """
    first, last = (min(anchors), max(anchors)) if anchors else (0, -1)
    while anchors and first > 0 and lines[first - 1].strip():
        first -= 1
    while anchors and last + 1 < len(lines) and lines[last + 1].strip():
        last += 1
    for index, item, priced in candidates:
        if priced or first <= index <= last:
            draft.items.append(item)
