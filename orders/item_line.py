"""One item line of an order block: « 3 x Audit à 1 200,00 € HT, TVA 20 % » and its variants."""

import re
from dataclasses import dataclass
from decimal import Decimal

from orders.model import OrderLine
from orders.values import NUMBER, ODD_SPACES, UNIT_WORDS, ValueProblem, guess_nature, read_nature, read_number
from orders.values import read_quantity, read_rate, read_unit

BULLET = re.compile(r"^\s*(?:[-*•·–—▪►]|\d{1,3}[.)](?=\s))\s*")
_FLAGS = re.IGNORECASE
HT_WORDS = r"(?:h\.?\s?t\.?|hors[ -]taxes?|excl?\.?(?:uding)?\s+(?:vat|tax(?:es)?)|ex\.?\s+vat|before\s+tax|net)"
TTC_WORDS = r"(?:t\.?\s?t\.?\s?c\.?|toutes\s+taxes\s+comprises|incl?\.?(?:uding)?\s+(?:vat|tax(?:es)?)|vat\s+incl\w*)"
CURRENCY = r"(?:€|eur(?:os?)?\b)"
# « incl. VAT 20% » keeps its « VAT » for the basis: the rate is then the « 20% » alone.
_NOT_A_BASIS = r"(?<!incl\.\s)(?<!excl\.\s)(?<!incl\s)(?<!excl\s)(?<!including\s)(?<!excluding\s)"
RATE = re.compile(rf"(?:{_NOT_A_BASIS}(?:tva|vat)\s*(?:à|a|at|:|de|of)?\s*({NUMBER})\s*%"
                  rf"|({NUMBER})\s*%\s*(?:de\s+)?(?:tva|vat))\s*\)?", _FLAGS)
PRICE = re.compile(
    rf"(?:{CURRENCY}\s*(?P<a>[-−]?{NUMBER})|(?P<b>[-−]?{NUMBER})\s*{CURRENCY})"
    rf"(?:\s*(?P<basis>{HT_WORDS}|{TTC_WORDS})\b\.?)?"
    rf"|(?P<c>{NUMBER})\s*(?P<basis2>{HT_WORDS}|{TTC_WORDS})\b\.?", _FLAGS)
PER_UNIT = re.compile(rf"^\s*(?:/|par\s+|per\s+|an?\s+)\s*(?P<unit>{UNIT_WORDS})\b\.?", _FLAGS)
NATURE_TAG = re.compile(r"\((biens?|marchandises?|goods|services?|prestations?)\)", _FLAGS)
# Words between a description and its price (« Audit à », « Widget @ »), matched at the very end.
CONNECTOR = re.compile(r"(?:(?<!\w)(?:à|a|at|pour|for|au prix de|prix|p\.?u\.?)|@|[:,=–—-])\Z", _FLAGS)
# Longer than this, a line is prose, not an item; it also bounds the work of the patterns.
MAX_ITEM_CHARS = 300
TIMES = r"(?:x|×|\*)"
# « Audit, qté 3, PU 1 200 € HT »: the quantity named by its word, anywhere before the price.
QUANTITY_WORD = re.compile(rf"[,;(]?\s*\b(?:qt[ée]s?|quantit[ée]s?|qty|quantity)\.?\s*:?\s*(?P<q>{NUMBER})\s*\)?", _FLAGS)
HEAD_FORMS = (
    (re.compile(rf"^(?P<q>{NUMBER})\s*{TIMES}\s*(?P<d>.+)$", _FLAGS), "quantity first"),
    (re.compile(rf"^(?P<q>{NUMBER})\s*(?P<u>{UNIT_WORDS})\.?\s+(?:de\s+|d'|of\s+)?(?P<d>.+)$", _FLAGS), "unit"),
    (re.compile(rf"^(?P<d>.+?)(?:\s*(?:{TIMES}|:)|\s+[—–-])\s*(?P<q>{NUMBER})\s*(?P<u>{UNIT_WORDS})?\s*{TIMES}?$", _FLAGS),
     "last"),
    (re.compile(rf"^(?P<q>{NUMBER})\s+(?P<d>.+)$", _FLAGS), "number"),
    (re.compile(r"^(?P<d>\D.*)$", _FLAGS), "alone"),
)


@dataclass(frozen=True)
class ItemRead:
    """An item line as written, and what it gave: an OrderLine, or the reason it is unreadable."""

    text: str
    line: OrderLine | None
    french: str = ""
    english: str = ""

    @property
    def usable(self) -> bool:
        """Read, with a positive quantity and price: a line that an answer need not replace."""
        return self.line is not None and self.line.quantity > 0 and self.line.unit_price > 0


def strip_bullet(text: str) -> str:
    return BULLET.sub("", text.translate(ODD_SPACES), count=1).strip()


def looks_priced(text: str) -> bool:
    """A price with a currency or HT/TTC: the sign that a line is an item, even unbulleted."""
    return bool(PRICE.search(text.translate(ODD_SPACES)))


def read_item(text: str) -> ItemRead:
    """Read one item line; anything unclear gives an unreadable ItemRead with its reason."""
    written = text.strip()
    if len(written) > MAX_ITEM_CHARS:
        return ItemRead(written[:80] + "…", None, f"Ligne trop longue pour une ligne de commande (plus de "
                        f"{MAX_ITEM_CHARS} caractères).", f"line too long for an item (over {MAX_ITEM_CHARS} characters)")
    try:
        return ItemRead(written, _line(strip_bullet(written)))
    except ValueProblem as problem:
        return ItemRead(written, None, problem.french, problem.english)


def _line(text: str) -> OrderLine:
    rate_match = RATE.search(text)
    rate = read_rate(rate_match[1] or rate_match[2]) if rate_match else None
    if rate_match:
        text = text[:rate_match.start()].rstrip(" ,;(") + " " + text[rate_match.end():]
    nature_tag = NATURE_TAG.search(text)
    if nature_tag:
        text = text[:nature_tag.start()] + text[nature_tag.end():]
    price = PRICE.search(text)
    if not price:
        raise ValueProblem("Je ne trouve pas le prix de cette ligne : écrivez par exemple « 3 x Audit à 1 200,00 € HT ».",
                           "no price found: write for example « 3 x Audit at 1,200.00 EUR excl. VAT »")
    unit_price = read_number(price["a"] or price["b"] or price["c"])
    basis_word = price["basis"] or price["basis2"] or ""
    basis = "TTC" if basis_word and re.fullmatch(TTC_WORDS, basis_word, _FLAGS) else "HT"
    tail = text[price.end():]
    # « 500 € HT (10 %) »: a percentage right after the price is its VAT rate.
    late_rate = re.match(rf"\W{{0,3}}({NUMBER})\s?%", tail)
    if rate is None and late_rate:
        rate = read_rate(late_rate[1])
    per_unit = PER_UNIT.match(tail)
    quantity, unit, description = _head(_without_connectors(text[:price.start()]), tail)
    if per_unit and not unit:
        unit = read_unit(per_unit["unit"])
    nature = read_nature(nature_tag[1]) if nature_tag else guess_nature(description, unit)
    return OrderLine(description=description, quantity=quantity, unit=unit, unit_price=unit_price,
                     basis=basis, vat_rate=rate, nature=nature)


def _without_connectors(head: str) -> str:
    head = head.rstrip()
    while match := CONNECTOR.search(head[-12:]):
        head = head[:len(head) - len(head[-12:]) + match.start()].rstrip()
    return head


def _head(head: str, tail: str) -> tuple[Decimal, str, str]:
    """Quantity, unit and description from the words before the price (« 10 h Développement »)."""
    named = QUANTITY_WORD.search(head)
    if named:
        description = _without_connectors(head[:named.start()] + " " + head[named.end():]).strip(" :,;-–—")
        if len(re.findall(r"[^\W\d_]", description)) >= 2:
            return read_quantity(named["q"]), "", description
    for pattern, _form in HEAD_FORMS:
        match = pattern.match(head)
        if not match:
            continue
        description = match["d"].strip(" :,-–—")
        # A description has words: « x » left alone by « 3 x à 100 € » is none.
        if len(re.findall(r"[^\W\d_]", description)) < 2:
            continue
        quantity_text = match.groupdict().get("q")
        late = re.match(rf"^\s*{TIMES}\s*({NUMBER})", tail, _FLAGS)
        quantity = read_quantity(quantity_text) if quantity_text else (read_quantity(late[1]) if late else Decimal(1))
        unit = read_unit(match["u"]) if match.groupdict().get("u") else ""
        return quantity, unit, description
    raise ValueProblem("Je ne trouve pas la désignation de cette ligne : écrivez « quantité x désignation à prix ».",
                       "no description found: write « quantity x description at price »")
