"""Which lines of a reply may hold commands: not the greeting, the sign-off, the signature or the legal notice."""

import re

from gateway.command_text import fold, has_grammar, words
from gateway.command_words import (
    DISCLAIMERS,
    FOOTERS,
    GREETING_WORDS,
    GREETINGS,
    SIGNOFFS,
)

MAX_LINES = 200
# A notice outside the signature counts as one only when it reads like a sentence, not a remark.
NOTICE_MIN_WORDS = 8
_CONTACT = re.compile(r"@|https?://|www\.|(?:\+33|\b0)\s*[1-9](?:[\s.\-]*\d{2}){4}\b")


def reply_lines(text: str) -> list[str]:
    """The lines that may hold commands, stripped, in order."""
    kept: list[str] = []
    after_signoff = False
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:MAX_LINES]:
        stripped = line.strip()
        # "-- " is the delimiter mail clients put above a signature: nothing below it is typed.
        if stripped == "--":
            break
        if not stripped or stripped.startswith(">"):
            continue
        if is_notice(stripped) and (after_signoff or len(stripped.split()) >= NOTICE_MIN_WORDS):
            break
        if is_footer(stripped) or is_signoff(stripped):
            after_signoff = True
            continue
        # After a sign-off come names, titles and phone numbers; a line is read there only if it
        # holds a word of the grammar, so that "Cordialement\nMarie\nPS : pas OK" is no approval.
        if after_signoff and not has_grammar(stripped):
            continue
        if not kept and is_greeting(stripped):
            continue
        kept.append(stripped)
    return without_signature_block(kept)


def is_notice(line: str) -> bool:
    folded = fold(line)
    return any(marker in folded for marker in DISCLAIMERS)


def is_footer(line: str) -> bool:
    return fold(line).startswith(FOOTERS)


def is_signoff(line: str) -> bool:
    """A sign-off alone or followed by names: "Cordialement,", "Bonne journée !", "Merci, Marie"."""
    return _phrase_then_names(line, SIGNOFFS)


def is_greeting(line: str) -> bool:
    """A greeting alone or followed by names: "Bonjour,", "Bonjour Paul !", "Hello all"."""
    return _phrase_then_names(line, GREETINGS)


def is_signature_line(line: str) -> bool:
    """Up to four capitalised names ("Marie Durand", "ACME SAS"), or an address, phone or link."""
    if has_grammar(line):
        return False
    named = [word for word in words(line) if any(char.isalnum() for char in word.text)]
    if 1 <= len(named) <= 4 and len(line) <= 60 and all(word.is_name for word in named):
        return True
    return bool(_CONTACT.search(line))


def without_signature_block(lines: list[str]) -> list[str]:
    # A reply often ends with the sender's name and details without a sign-off ("OK\nMarie"):
    # those last lines are dropped, but never the first line, which is what was answered.
    end = len(lines)
    while end > 1 and is_signature_line(lines[end - 1]):
        end -= 1
    return lines[:end]


def _phrase_then_names(line: str, phrases: set[str]) -> bool:
    found = [word for word in words(line) if word.folded not in {",", ".", "!", ":)"}]
    for size in (4, 3, 2, 1):
        if " ".join(word.folded for word in found[:size]) in phrases:
            rest = found[size:]
            return len(rest) <= 4 and all(word.is_name or word.folded in GREETING_WORDS for word in rest)
    return False
