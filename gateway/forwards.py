"""Reads the quote and forward headers of a text body: the reply above them, the messages below."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from itertools import islice

from mailparser_reply import EmailReplyParser

from gateway.parsed import ForwardedMessage

# Lines that only ever open a forward: Gmail and Thunderbird in French and English, Apple Mail on
# macOS and iOS. Apple Mail 10.10 and later quote the line itself with "> ".
FORWARD_SEPARATOR = re.compile(
    r"^[ \t]*(?:>[ \t]?)?(?:-{5,}[ \t]*(?:forwarded message|message transféré)[ \t]*-{5,}"
    r"|(?:begin forwarded message|début du message (?:réexpédié|transféré))[ \t]*:)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Lines that Outlook and others put above quoted replies as well as forwards.
ORIGINAL_SEPARATOR = re.compile(
    r"^[ \t]*(?:_{20,}|-{3,}[ \t]*(?:original message|message d['’]origine)[ \t]*-{3,})[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Quote headers that mail-parser-reply misses. Its French rule rejects a line holding "le " twice,
# so "Le 3 mars 2026 à 10:12, Passerelle <…> a écrit :" or "…, Isabelle Roy <…> a écrit :" is not
# cut, nor is Gmail's line wrapped before "écrit :". Its Outlook rule wants "De :" with a space and
# "Envoyé :", not "De:" or "Date :" (Outlook for Mac). It knows "-----Original Message-----" only
# in English.
FRENCH_QUOTE_HEADER = re.compile(
    r"^[ \t]*Le (?=[^\n]*\d)[^\n]*(?:\n[^\n]*)?\ba\s+écrit[ \t]*:[ \t]*$"
    r"|^[ \t*]*De ?:[^\n]*\n[ \t*]*(?:Envoyé|Date) ?:"
    r"|^[ \t]*-{3,}[ \t]*Message d['’]origine[ \t]*-{3,}[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
QUOTE_PREFIX = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)
FIELD = re.compile(r"^[ \t*]*([^\W\d_][\w' -]{0,15}?)[ \t*]*:[ \t*]*(.*)$")
FIELD_LABELS = {
    "from": "sender", "de": "sender",
    "subject": "subject", "objet": "subject", "sujet": "subject",
    "date": "date", "sent": "date", "envoyé": "date", "envoyé le": "date",
    "to": "to", "à": "to", "a": "to", "pour": "to", "cc": "cc", "reply-to": "to", "répondre à": "to",
}
ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
REPLY_SUBJECT = re.compile(r"^\s*(?:re|réf|ref|aw|sv|antw)\s*:", re.IGNORECASE)
REPLY_PARSER = EmailReplyParser(languages=["fr", "en"])
# The reply sits at the top: the library only reads this much, which keeps its regexes fast.
REPLY_WINDOW = 16 * 1024


def normalize_spaces(text: str) -> str:
    """French typography puts (narrow) no-break spaces before colons; the patterns expect spaces."""
    return text.replace("\r\n", "\n").replace("\u00a0", " ").replace("\u202f", " ")


def reply_text(text: str) -> str:
    """The text the sender wrote above the first quote or forward header, or all of it if none."""
    window = normalize_spaces(text[:REPLY_WINDOW])
    if not window.strip():
        return ""
    replies = REPLY_PARSER.read(window).replies
    # When the library finds a header on the first line, its first block is the quote itself.
    reply = replies[0].content if replies and not replies[0].headers else ""
    cuts = [found.start() for pattern in (FRENCH_QUOTE_HEADER, FORWARD_SEPARATOR) if (found := pattern.search(reply))]
    if cuts:
        reply = reply[: min(cuts)]
    elif len(replies) == 1 and len(text) > REPLY_WINDOW:
        reply = normalize_spaces(text)  # No quote header near the top: the sender wrote all of it.
    return _drop_trailing_quote(reply)


def _drop_trailing_quote(text: str) -> str:
    """Quoted lines and separator rules left below the reply are not part of it."""
    lines = text.rstrip().split("\n")
    while lines and (lines[-1].lstrip().startswith(">") or set(lines[-1].strip()) <= set("_-")):
        lines.pop()
    return "\n".join(lines).strip()


@dataclass
class HeaderBlock:
    """A forward separator and the "Label: value" lines below it."""

    start: int
    fields: dict[str, str] = field(default_factory=dict)
    body_start: int = 0
    quoted: bool = False


def inline_forwards(text: str, subject: str, default_tz: tzinfo) -> list[ForwardedMessage]:
    """One ForwardedMessage per forward header in the text, in order; default_tz completes bare dates."""
    text = normalize_spaces(text)
    # Outlook's separators also open quoted replies: in a reply they mark a quote, not a forward.
    patterns = [FORWARD_SEPARATOR] if REPLY_SUBJECT.match(subject) else [FORWARD_SEPARATOR, ORIGINAL_SEPARATOR]
    separators = sorted((found for pattern in patterns for found in pattern.finditer(text)), key=lambda m: m.start())
    blocks = []
    for match in separators:
        block = _read_header_block(text, match)
        if match.re is FORWARD_SEPARATOR or "sender" in block.fields:
            blocks.append(block)
    forwarded = []
    for block, following in zip(blocks, blocks[1:] + [None]):
        body = text[block.body_start : following.start if following else len(text)]
        forwarded.append(
            ForwardedMessage(
                sender=_address(block.fields.get("sender", "")),
                subject=block.fields.get("subject", ""),
                date=parse_loose_date(block.fields.get("date", ""), default_tz),
                text=(QUOTE_PREFIX.sub("", body) if block.quoted else body).strip(),
                inline=True,
            )
        )
    return forwarded


def _read_header_block(text: str, separator: re.Match) -> HeaderBlock:
    """Read the header lines below a separator, up to the blank line that opens the forwarded text."""
    block = HeaderBlock(start=separator.start(), quoted=separator.group(0).lstrip().startswith(">"))
    newline = text.find("\n", separator.end())
    block.body_start = len(text) if newline == -1 else newline + 1
    last = None
    for line, end in islice(_lines_after(text, separator.end()), 40):
        # Apple Mail quotes the forwarded headers and text with "> ".
        unquoted = QUOTE_PREFIX.sub("", line, count=1)
        if not unquoted.strip():
            if last is not None:
                break
            block.body_start = min(end + 1, len(text))  # Apple Mail leaves a blank line first.
            continue
        match = FIELD.match(unquoted)
        label = FIELD_LABELS.get(match.group(1).strip().lower()) if match else None
        if label:
            block.fields.setdefault(label, match.group(2).strip())
            block.quoted = block.quoted or unquoted != line
            last = label
        elif last is None:
            break
        elif last in ("sender", "subject"):
            block.fields[last] = f"{block.fields[last]} {unquoted.strip()}"  # Gmail wraps long values.
        block.body_start = min(end + 1, len(text))
    return block


def _lines_after(text: str, start: int):
    """Each line after the one holding `start`, with the offset of its end."""
    position = text.find("\n", start)
    while position != -1 and position < len(text):
        end = text.find("\n", position + 1)
        end = len(text) if end == -1 else end
        yield text[position + 1 : end], end
        position = end


def _address(value: str) -> str:
    """The first address in a "Name <address>" or "Name [mailto:address]" value, lowercased."""
    match = ADDRESS.search(value)
    return match.group(0).lower() if match else ""


# Month names and abbreviations as French and English clients print them, accents optional.
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "janvier janv jan january", "février févr fevrier fevr fév feb february", "mars mar march",
            "avril avr apr april", "mai may", "juin jun june", "juillet juil jul july", "août aout aug august",
            "septembre sept sep september", "octobre oct october", "novembre nov november",
            "décembre déc decembre dec december",
        ],
        start=1,
    )
    for name in names.split()
}
DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})(?:er)?\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})\b")
MONTH_DAY_YEAR = re.compile(r"\b([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})\b")
# Numeric dates are read day first, as French clients print them.
NUMERIC_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b|\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
TIME = re.compile(r"\b(\d{1,2})\s*[:h]\s*(\d{2})(?:\s*:\s*(\d{2}))?(?:\s*([ap])\.?m\b\.?)?", re.IGNORECASE)
OFFSET = re.compile(r"\b(?:gmt|utc)\b(?:\s*([+-])(\d{1,2})(?::?(\d{2}))?)?|([+-])(\d{2})(\d{2})\b", re.IGNORECASE)


def parse_loose_date(value: str, default_tz: tzinfo) -> datetime | None:
    """A date as clients print it in forward headers, or None; one without offset takes default_tz."""
    # "mar. 3 mars 2026 à 10:12" (Gmail), "mardi 3 mars 2026 09:30" (Outlook), "3 mars 2026 à
    # 09:30:12 UTC+1" (Apple Mail), "Tue, Mar 3, 2026 at 10:12 AM", RFC 5322 (Thunderbird).
    value = " ".join(value.lower().split())
    calendar_date = _calendar_date(value)
    if calendar_date is None:
        return None
    hour = minute = second = 0
    if time_match := TIME.search(value):
        hour, minute, second = int(time_match[1]), int(time_match[2]), int(time_match[3] or 0)
        if time_match[4]:
            hour = hour % 12 + (12 if time_match[4] == "p" else 0)
    year, month, day = calendar_date
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=_offset(value) or default_tz)
    except ValueError:
        return None


def _calendar_date(value: str) -> tuple[int, int, int] | None:
    """(year, month, day) from a month name in either order, or from a numeric date."""
    for match in DAY_MONTH_YEAR.finditer(value):
        if match[2] in MONTHS:
            return int(match[3]), MONTHS[match[2]], int(match[1])
    for match in MONTH_DAY_YEAR.finditer(value):
        if match[1] in MONTHS:
            return int(match[3]), MONTHS[match[1]], int(match[2])
    if match := NUMERIC_DATE.search(value):
        if match[1]:
            return int(match[1]), int(match[2]), int(match[3])
        return int(match[6]), int(match[5]), int(match[4])
    return None


def _offset(value: str) -> timezone | None:
    match = OFFSET.search(value)
    if match is None:
        return None
    sign, hours, minutes = (match[1], match[2], match[3]) if match[4] is None else (match[4], match[5], match[6])
    if sign is None:
        return timezone.utc
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    try:
        return timezone(-delta if sign == "-" else delta)
    except ValueError:
        return None

