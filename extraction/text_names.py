"""Party names: a « Name: » line or the first line of a party's block, else a company name at the top."""

import re

from extraction.model import Party
from extraction.text_blocks import Block, block_text_lines, role_at
from extraction.text_lines import Line

# Case matters: « SA » is a company, « sa » a French possessive; « kg » is a weight.
_LEGAL_FORM = re.compile(
    r"(?<![A-Za-z])(?:SARL|Sarl|SAS|SASU|EURL|SA|SNC|SCI|SCOP|GmbH|GMBH|AG|KG|OHG|UG|e\.K\.|B\.V\.|BV|N\.V\."
    r"|Ltd\.?|LTD|Limited|Inc\.?|INC|LLC|S\.A\.R\.L\.?|S\.A\.S\.?|Sàrl|Pvt\.?)(?![A-Za-z])"
)
_CAPITAL = re.compile(r"\s*(?:au\s+)?capital\b", re.IGNORECASE)
_NAME_LINE = re.compile(r"^\s*(?:name|nom|raison\s*sociale|firma|company)\s*:\s*(.+)$", re.IGNORECASE)
_NOT_A_NAME = re.compile(
    r"(?<![a-z])(?:facture|invoice|rechnung|factuur|avoir|logo|page|date|tel|www|order|commande)(?![a-z])|@|^\(",
    re.IGNORECASE,
)


def choose_names(supplier: Party, buyer: Party, lines: list[Line], blocks: list[Block], confidence: dict):
    """Names from the parties' blocks; the supplier's otherwise from the header or legal mentions."""
    for party, role in ((supplier, "seller"), (buyer, "buyer")):
        for block in blocks:
            if block.role == role:
                name, score = _block_name(block, lines)
                if name:
                    party.name, confidence[f"{'supplier' if role == 'seller' else 'buyer'}.name"] = name, score
                    break
    if supplier.name is None:
        name = _header_name(lines, blocks) or _legal_mention_name(lines) or _first_plain_cell(lines, blocks)
        if name:
            supplier.name, confidence["supplier.name"] = name


def _block_name(block: Block, lines: list[Line]) -> tuple[str | None, float]:
    texts = block_text_lines(block, lines)
    for text in texts:
        match = _NAME_LINE.match(text)
        if match:
            return match[1].strip(), 0.75
    for text in texts:
        if ":" not in text and not _NOT_A_NAME.search(text) and re.search(r"[A-Za-z]{2}", text):
            # The first plain line under a party heading is that party's name more often than not.
            return text.strip(), 0.6
    return None, 0.0


def _header_name(lines: list[Line], blocks: list[Block]) -> tuple[str, float] | None:
    """A company name with a legal form at the top of page 1."""
    top = [line for line in lines if line.page == 1 and line.relative_y < 0.3]
    for line in top:
        for cell in _cells(line):
            if _LEGAL_FORM.search(cell) and not role_at(blocks, line, line.text.find(cell)) == "buyer":
                return cell, 0.5
    return None


def _legal_mention_name(lines: list[Line]) -> tuple[str, float] | None:
    """« Dupont SARL au capital de … » in the footer, or the name alone on the line above it."""
    for line in lines:
        mention = _CAPITAL.search(line.text)
        if not mention or line.relative_y < 0.6:
            continue
        before = re.split(r"\s[–—-]\s|  ", line.text[:mention.start()])[-1].strip()
        if _LEGAL_FORM.search(before) and len(before.split()) > 1:
            return before, 0.5
        for previous in lines[max(0, line.index - 2):line.index][::-1]:
            text = previous.text.strip()
            if previous.page == line.page and len(_cells(previous)) == 1 and len(text.split()) <= 4 \
                    and not re.search(r"[\d:@]", text):
                return text, 0.4
    return None


def _first_plain_cell(lines: list[Line], blocks: list[Block]) -> tuple[str, float] | None:
    """The first text at the top of page 1 that is no label, title or party block: a weak guess."""
    top = [line for line in lines if line.page == 1 and line.relative_y < 0.3]
    for line in top:
        for cell in _cells(line):
            if not _NOT_A_NAME.search(cell) and re.search(r"[A-Za-z]{3}", cell) and ":" not in cell:
                if role_at(blocks, line, line.text.find(cell)) is None:
                    return cell, 0.35
    return None


def _cells(line: Line) -> list[str]:
    return [cell.strip() for cell in line.text.split("  ") if cell.strip()]

