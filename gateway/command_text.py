"""Reply text as the grammar sees it: folded words, names, and lines that look like "field: value"."""

import re
import unicodedata
from dataclasses import dataclass

from gateway.command_words import (
    APPROVALS,
    ASSENTING,
    DOUBT,
    EMOJI,
    FIELD_NAMES,
    KEYWORDS,
    POLITE,
    QUIET_PUNCTUATION,
    UNCLEAR_FIELDS,
)

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
# Words keep inner apostrophes and hyphens ("d'accord", "FA2026-0012"); smileys are one token.
_WORD = re.compile(r":-?\)|\w+(?:['\u2019-]\w+)*|\S")
# The words that make a line after a sign-off worth reading (anything else there is a signature).
_GRAMMAR_WORDS = {word for phrase in (*APPROVALS, *KEYWORDS) for word in phrase.split()} | DOUBT
# A name is none of those, nor a one-word field name ("OK\nTTC" does not end with a name).
_NOT_NAMES = _GRAMMAR_WORDS | {name for name in (*FIELD_NAMES, *UNCLEAR_FIELDS) if " " not in name}
_FIELD_LINE = re.compile(r"\s*([^:=]{1,60}?)\s*[:=]")
# "TVA 20 : 200,00" corrects the tax at one rate.
TAX_RATE = re.compile(r"(?:tva|vat|taxe|tax)(?: a| at)? ?(\d{1,3}(?:[.,]\d{1,2})?) ?%?")
# The phrases a line of assent is made of, by kind.
_PHRASES = {phrase: kind for kind, phrases in (("polite", POLITE), ("quiet", QUIET_PUNCTUATION), ("emoji", EMOJI),
                                               ("assent", ASSENTING), ("approve", APPROVALS)) for phrase in phrases}


@dataclass(frozen=True)
class Word:
    text: str  # as written
    folded: str
    end: int  # where it ends in its line

    @property
    def is_name(self) -> bool:
        """Capitalised letters, as a first name or a surname ("Marie", "DURAND", "ACME")."""
        return self.text[:1].isupper() and self.folded not in _NOT_NAMES and not any(c.isdigit() for c in self.text)


def fold(text: str) -> str:
    """Lowercase, without accents, with one kind of apostrophe and single spaces."""
    text = text.translate(_APOSTROPHES).translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.split()).lower()


def words(line: str) -> list[Word]:
    return [Word(m.group(), fold(m.group()), m.end()) for m in _WORD.finditer(line)]


def has_grammar(line: str) -> bool:
    """A command word, an approval, a doubt, a question, or "field: value" with a known field."""
    return "?" in line or any(word.folded in _GRAMMAR_WORDS for word in words(line)) or has_field(line)


def has_field(line: str) -> bool:
    """The line starts "field: value" with a known field name."""
    match = _FIELD_LINE.match(line)
    if not match:
        return False
    return field_key(match.group(1)) in FIELD_NAMES or bool(TAX_RATE.fullmatch(fold(match.group(1))))


def field_key(name: str) -> str:
    """The folded form of a field name: "N° TVA" and "n. tva" are both "n tva"."""
    return " ".join(re.sub(r"[°º.\-_/]", " ", fold(name)).split())


def scan_phrases(found: list[Word]) -> tuple[set[str], list[Word]]:
    """The kinds of phrase a line is made of ("approve", "polite"…), longest first, and the words that are none."""
    kinds, strangers, index = set(), [], 0
    while index < len(found):
        for size in (4, 3, 2, 1):
            phrase = " ".join(word.folded for word in found[index:index + size])
            if index + size <= len(found) and phrase in _PHRASES:
                kinds.add(_PHRASES[phrase])
                index += size
                break
        else:
            strangers.append(found[index])
            index += 1
    return kinds, strangers
