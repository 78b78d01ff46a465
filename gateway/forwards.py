"""Reads a text body's quote and forward headers: the reply written above them, the messages below."""

import re
from datetime import datetime, timedelta, timezone, tzinfo
from itertools import islice

from mailparser_reply import EmailReplyParser

from gateway.parsed import ForwardedMessage

# Lines that only ever open a forwarded message: Gmail and Thunderbird (French and English), Apple Mail.
FORWARD_SEPARATOR = re.compile(
    r"^[ \t]*(?:-{5,}[ \t]*(?:forwarded message|message transf[ée]r[ée])[ \t]*-{5,}"
    r"|(?:begin forwarded message|d[ée]but du message r[ée]exp[ée]di[ée])[ \t]*:)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Lines that Outlook and others put above both quoted replies and forwards.
ORIGINAL_SEPARATOR = re.compile(
    r"^[ \t]*(?:_{20,}|-{3,}[ \t]*(?:original message|message d['’]origine)[ \t]*-{3,})[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Quote headers that mail-parser-reply misses: its French rule rejects any line holding "le " twice,
# so "Le 3 mars 2026 à 10:12, Passerelle <…> a écrit :" is not cut, nor is Gmail's line wrapped
# before "écrit :"; it knows "-----Original Message-----" but not its French translation.
FRENCH_QUOTE_HEADER = re.compile(
    r"^[ \t]*Le (?=[^\n]*\d)[^\n]*(?:\n[^\n]*)?\ba\s+écrit[ \t]*:[ \t]*$"
    r"|^[ \t]*-{3,}[ \t]*Message d['’]origine[ \t]*-{3,}[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
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
# The reply sits at the top; reading only this much keeps the library's regexes fast on huge bodies.
REPLY_WINDOW = 64 * 1024


def normalize_spaces(text: str) -> str:
    """French typography puts (narrow) no-break spaces before colons; the patterns expect spaces."""
    return text.replace("\r\n", "\n").replace("\u00a0", " ").replace("\u202f", " ")


def reply_text(text: str) -> str:
    """The text the sender wrote above the first quote or forward header, or all of it if none."""
    text = normalize_spaces(text[:REPLY_WINDOW])
    if not text.strip():
        return ""
    replies = REPLY_PARSER.read(text).replies
    # When the library finds a header on the first line, its first block is the quote itself.
    reply = replies[0].content if replies and not replies[0].headers else ""
    cuts = [match.start() for pattern in (FRENCH_QUOTE_HEADER, FORWARD_SEPARATOR) if (match := pattern.search(reply))]
    if cuts:
        reply = reply[: min(cuts)]
    return _drop_trailing_quote(reply)


def _drop_trailing_quote(text: str) -> str:
    lines = text.rstrip().split("\n")
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(">") or set(lines[-1].strip()) <= set("_-")):
        lines.pop()
    return "\n".join(lines).strip()


def inline_forwards(text: str, subject: str, default_tz: tzinfo) -> list[ForwardedMessage]:
    """One ForwardedMessage per forward header found in the text, in order of appearance."""
    text = normalize_spaces(text)
    # Outlook's separators also open quoted replies; in a reply they mark a quote, not a forward.
    patterns = [FORWARD_SEPARATOR] if REPLY_SUBJECT.match(subject) else [FORWARD_SEPARATOR, ORIGINAL_SEPARATOR]
    blocks = []
    for match in sorted((m for p in patterns for m in p.finditer(text)), key=lambda m: m.start()):
        fields, body_start = _read_header_block(text, match.end())
        if match.re is ORIGINAL_SEPARATOR and "sender" not in fields:
            continue
        blocks.append((match.start(), fields, body_start))
    forwarded = []
    for index, (_, fields, body_start) in enumerate(blocks):
        body_end = blocks[index + 1][0] if index + 1 < len(blocks) else len(text)
        forwarded.append(
            ForwardedMessage(
                sender=_address(fields.get("sender", "")),
                subject=fields.get("subject", ""),
                date=parse_loose_date(fields.get("date", ""), default_tz),
                text=text[body_start:body_end].strip(),
                inline=True,
            )
        )
    return forwarded


def _read_header_block(text: str, start: int) -> tuple[dict[str, str], int]:
    """The "Label: value" lines after a separator, and the offset where the forwarded text starts."""
    fields: dict[str, str] = {}
    last = None
    body_start = len(text) if text.find("\n", start) == -1 else text.find("\n", start) + 1
    for line, end in islice(_lines_after(text, start), 40):
        if not line.strip():
            if last is not None:
                break
            # Apple Mail leaves a blank line between its separator and the header block.
            body_start = min(end + 1, len(text))
            continue
        match = FIELD.match(line)
        label = FIELD_LABELS.get(match.group(1).strip().lower()) if match else None
        if label:
            fields.setdefault(label, match.group(2).strip())
            last = label
        elif last is None:
            break
        elif last in ("sender", "subject"):
            # Gmail wraps long header values onto the next line.
            fields[last] = f"{fields[last]} {line.strip()}"
        body_start = min(end + 1, len(text))
    return fields, body_start


def _lines_after(text: str, start: int):
    """Each line after the one holding `start`, with the offset of its end."""
    position = text.find("\n", start)
    while position != -1 and position < len(text):
        end = text.find("\n", position + 1)
        end = len(text) if end == -1 else end
        yield text[position + 1 : end], end
        position = end


def _address(value: str) -> str:
    match = ADDRESS.search(value)
    return match.group(0).lower() if match else ""


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
TIME = re.compile(r"\b(\d{1,2})\s*[:h]\s*(\d{2})(?:\s*:\s*(\d{2}))?(?:\s*([ap])\.?m\b\.?)?", re.IGNORECASE)
OFFSET = re.compile(r"\b(?:gmt|utc)\b(?:\s*([+-])(\d{1,2})(?::?(\d{2}))?)?|([+-])(\d{2})(\d{2})\b", re.IGNORECASE)


def parse_loose_date(value: str, default_tz: tzinfo) -> datetime | None:
    """A date as mail clients print it in forward headers (RFC 5322, "mar. 3 mars 2026 à 10:12",
    "Mar 3, 2026 at 10:12 AM"); a date without offset takes default_tz; None when unreadable."""
    value = normalize_spaces(value).lower()
    day_month_year = _calendar_date(value)
    if day_month_year is None:
        return None
    hour = minute = second = 0
    if time_match := TIME.search(value):
        hour, minute, second = int(time_match[1]), int(time_match[2]), int(time_match[3] or 0)
        if time_match[4]:
            hour = hour % 12 + (12 if time_match[4] == "p" else 0)
    day, month, year = day_month_year
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=_offset(value) or default_tz)
    except ValueError:
        return None


def _calendar_date(value: str) -> tuple[int, int, int] | None:
    for match in DAY_MONTH_YEAR.finditer(value):
        if match[2] in MONTHS:
            return int(match[1]), MONTHS[match[2]], int(match[3])
    for match in MONTH_DAY_YEAR.finditer(value):
        if match[1] in MONTHS:
            return int(match[2]), MONTHS[match[1]], int(match[3])
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
