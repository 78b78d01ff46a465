"""Invoice numbers found in the free text of a bank line, however the payer typed them.

A number is compared chunk by chunk (letters, digits): "FA2026-0012" is FA | 2026 | 0012. The
payer may change case, put spaces or - _ / . between chunks or leave them out ("fa2026 0012",
"FA20260012"), and drop the leading zeros of the sequence when the series prefix and the year are
there and the sequence stands apart ("FA2026-12"). A citation is only taken whole: "FA2026-00123"
never cites FA2026-0012, "XFA2026-0012" cites nothing, and chunks are never split ("FA202 60012"
is not FA2026-0012).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

CHUNK = re.compile(r"[^\W\d_]+|\d+")
# What may stand between two chunks of one citation; any other character ends it.
SEPARATOR = re.compile(r"[\s\-_/.]+")


@dataclass(frozen=True)
class Chunk:
    text: str        # upper-cased
    start: int
    end: int
    link: str        # to the previous chunk: "glued" (nothing between), "spaced" (separators) or "none"


@dataclass(frozen=True)
class Citation:
    number: str | None   # the known number cited, None for one that only looks like a number of a known series
    written: str         # as the payer wrote it


def chunks_of(text: str) -> list[Chunk]:
    chunks: list[Chunk] = []
    for match in CHUNK.finditer(text):
        gap = text[chunks[-1].end:match.start()] if chunks else None
        link = "none" if gap is None else "glued" if gap == "" else "spaced" if SEPARATOR.fullmatch(gap) else "none"
        chunks.append(Chunk(match.group().upper(), match.start(), match.end(), link))
    return chunks


def boundaries(parts: list[str]) -> frozenset[int]:
    """Where the chunks meet inside their concatenation."""
    total, found = 0, set()
    for part in parts[:-1]:
        total += len(part)
        found.add(total)
    return frozenset(found)


@dataclass(frozen=True)
class KnownNumbers:
    """The known numbers indexed once, for the many lines of a statement."""

    index: dict[str, tuple[str, frozenset[int]]]   # full key ("FA20260012") or short one ("FA2026|12")
    prefixes: dict[str, int]                        # series prefix → fewest digits a number of it can show
    widest: int                                     # most chunks in one number


def known_numbers(known: Iterable[str]) -> KnownNumbers:
    index: dict[str, tuple[str, frozenset[int]]] = {}
    prefixes: dict[str, int] = {}
    widest = 0
    for number in known:
        parts = [part.upper() for part in CHUNK.findall(number)]
        if not parts:
            continue
        index.setdefault("".join(parts), (number, boundaries(parts)))
        if len(parts) >= 3 and parts[-1].isdigit() and parts[-2].isdigit():
            # The sequence may lose its zeros only when the series prefix and the year are there.
            index.setdefault("".join(parts[:-1]) + "|" + str(int(parts[-1])), (number, boundaries(parts[:-1])))
        if not parts[0].isdigit():
            # "FA2026-0012" can be written with five digits at least (FA2026-12 → 2026 and 1…).
            fewest = sum(len(part) for part in parts[1:-1] if part.isdigit()) + 1
            prefixes[parts[0]] = min(fewest, prefixes.get(parts[0], fewest))
        widest = max(widest, len(parts))
    return KnownNumbers(index, prefixes, widest)


def lookup(span: list[Chunk], index: dict) -> str | None:
    parts = [chunk.text for chunk in span]
    keys = [(parts, "".join(parts))]
    if len(span) >= 2 and parts[-1].isdigit() and parts[-2].isdigit():
        keys.append((parts[:-1], "".join(parts[:-1]) + "|" + str(int(parts[-1]))))
    for key_parts, key in keys:
        # The payer may glue chunks of the number together, never cut one of its chunks in two.
        if key in index and boundaries(key_parts) <= index[key][1]:
            return index[key][0]
    return None


def citations_in(text: str, known: KnownNumbers) -> list[Citation]:
    """Every citation, left to right: the longest known number at each place, else a number-like run."""
    chunks, found, position = chunks_of(text), [], 0
    while position < len(chunks):
        end = citation_end(chunks, position, known)
        if end is None:
            position += 1
            continue
        span = chunks[position:end]
        found.append(Citation(lookup(span, known.index), text[span[0].start:span[-1].end]))
        position = end
    return found


def citation_end(chunks: list[Chunk], start: int, known: KnownNumbers) -> int | None:
    if chunks[start].link == "glued":
        return None
    limit = min(start + known.widest, len(chunks))
    longest = None
    for end in range(start + 1, limit + 1):
        if end - 1 > start and chunks[end - 1].link == "none":
            break
        if lookup(chunks[start:end], known.index):
            longest = end
    if longest is None and chunks[start].text in known.prefixes:
        # A known series prefix followed by digits looks like a number, just not an open one.
        end = start + 1
        while end < limit and chunks[end].link != "none" and chunks[end].text.isdigit():
            end += 1
        digits = sum(len(chunk.text) for chunk in chunks[start + 1:end])
        # "FA 2026" alone (a year after the prefix) is too short to be a number of the series.
        longest = end if end > start + 1 and digits >= known.prefixes[chunks[start].text] else None
    return longest


def invoice_numbers_in(text: str, known: Iterable[str]) -> list[str]:
    """The known invoice numbers the text cites, in order of appearance, each once."""
    return list(dict.fromkeys(c.number for c in citations_in(text, known_numbers(known)) if c.number))


def unknown_numbers_in(text: str, known: Iterable[str]) -> list[str]:
    """What the text writes like a number of a known series but is none of the known numbers."""
    return list(dict.fromkeys(c.written.upper() for c in citations_in(text, known_numbers(known)) if not c.number))
