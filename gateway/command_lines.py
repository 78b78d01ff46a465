"""One line of a reply read as one command, an ignorable politeness, or a line not understood and why."""

import re

from gateway.command_fields import READERS, read_rate
from gateway.command_readers import (
    Command,
    Unread,
    read_credit,
    read_paid,
    read_reject,
    read_remind,
    read_target,
    read_verdict,
)
from gateway.command_text import TAX_RATE, Word, field_key, fold, scan_phrases, words
from gateway.command_values import UnreadableValue
from gateway.command_words import (
    DOUBT,
    FIELD_NAMES,
    KEYWORDS,
    NOT_A_REFUSAL,
    UNCLEAR_FIELDS,
)

_FIELD_LINE = re.compile(r"\s*([^:=]{1,60}?)\s*[:=]\s*(.*)")
_BULLET = re.compile(r"^[-*\u2022]\s+")
_PROMPT = "Pour valider, répondez OK seul ; pour refuser, NON suivi du motif."


def read_line(line: str) -> Command | Unread | None:
    """The command a line holds; None for a line of pure politeness ("Merci !")."""
    line = _BULLET.sub("", line.strip())
    found = words(line)
    if not found:
        return None
    if match := _FIELD_LINE.fullmatch(line):
        correction = read_correction(line, match[1], match[2])
        if correction is not None:
            return correction
    if fold(line).startswith(tuple(NOT_A_REFUSAL)):
        return Unread(line, "doubt", f"Je ne sais pas si « {line} » refuse ou valide. " + _PROMPT,
                      f"neither approval nor refusal: {line!r}")
    for size in (4, 3, 2, 1):
        name = KEYWORDS.get(" ".join(word.folded for word in found[:size])) if len(found) >= size else None
        rest = line[found[size - 1].end:] if name else ""
        if name and not (name == "help" and found[0].folded == "?" and rest.strip()):
            return _read_keyword(name, line, rest)
    return read_assent(line, found)


def _read_keyword(name: str, line: str, rest: str) -> Command | Unread:
    if name == "reject":
        return read_reject(line, rest)
    if name in {"duplicate", "new"}:
        return read_verdict(name, line, rest)
    if name == "paid":
        return read_paid(line, rest)
    if name == "credit":
        return read_credit(line, rest)
    if name == "remind":
        return read_remind(line, rest)
    if name in {"pause", "resume", "stop", "status", "formal_notice"}:
        return read_target(name, line, rest)
    return Command("help", {}, line)


def read_correction(line: str, name: str, value: str) -> Command | Unread | None:
    """field: value, or None when the name before ":" is no field (the line may be "NON : motif")."""
    key, rate = field_key(name), None
    if key in UNCLEAR_FIELDS:
        return Unread(line, "unclear_field", f"« {name.strip()} » ne dit pas s'il s'agit du HT ou du TTC : "
                      "écrivez « TTC : … » ou « HT : … ».", f"amount without HT/TTC: {line!r}")
    if match := TAX_RATE.fullmatch(fold(name).strip()):
        field, rate = "tax_line", match[1]
    elif key in FIELD_NAMES:
        field = FIELD_NAMES[key]
    else:
        return None
    if not value.strip():
        return Unread(line, "missing_value", f"Il manque la valeur après « {name.strip()} ».", f"no value: {line!r}")
    try:
        args = {"field": field, "value": READERS[field](value.strip())}
        if rate is not None:
            args["rate"] = read_rate(rate)
    except UnreadableValue as problem:
        return Unread(line, "bad_value", problem.french, problem.english)
    return Command("correct", args, line)


def read_assent(line: str, found: list[Word]) -> Command | Unread | None:
    """OK and its synonyms, alone or with polite words: any other word or a doubt makes it no approval."""
    kinds, strangers = scan_phrases(found)
    if "..." in fold(line):
        strangers.append(Word("…", "...", 0))
    if "approve" in kinds and not strangers:
        return Command("approve", {}, line)
    if "approve" in kinds:
        # Name the word that shows the doubt ("pas" in "je ne valide pas"), else the first stranger.
        shown = next((word for word in strangers if word.folded in DOUBT), strangers[0]).text
        return Unread(line, "doubt", f"Je ne prends pas « {line} » pour une validation : « {shown} » "
                      "l'accompagne. " + _PROMPT, f"approval word with {shown!r}: {line!r}")
    only_symbols = all(not re.search(r"\w", word.text) for word in strangers) and "?" not in line
    if only_symbols and (strangers or "emoji" in kinds):
        return Unread(line, "emoji", "Un emoji ne vaut pas réponse : répondez OK pour valider, "
                      "ou NON suivi du motif pour refuser.", f"emoji or symbols only: {line!r}")
    if not strangers and "assent" in kinds:
        return Unread(line, "not_explicit", f"« {line} » ne suffit pas pour valider. " + _PROMPT,
                      f"assent without an approval word: {line!r}")
    if not strangers:
        return None
    return Unread(line, "unknown", f"Je n'ai pas compris « {line} ».", f"not a command: {line!r}")
