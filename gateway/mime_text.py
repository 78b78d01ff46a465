"""Decodes the text of a received mail: charsets, RFC 2047 words, raw 8-bit headers, HTML."""

import re
from datetime import datetime, timezone
from email.header import Header, decode_header, make_header
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

from gateway.forwards import parse_loose_date

# Mailers label Windows-1252 text (€, œ, ’) as ISO-8859-1 or ASCII; browsers read it the same way.
LATIN1_LABELS = {"iso-8859-1", "iso8859-1", "iso_8859-1", "latin-1", "latin1", "l1"}
ASCII_LABELS = {"", "us-ascii", "ascii"}
# Labels whose text is, in practice, written in a larger superset (the WHATWG encoding table agrees).
SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "shift_jis": "cp932", "euc-kr": "cp949", "ks_c_5601-1987": "cp949",
}
SURROGATES = re.compile("[\ud800-\udfff]")
FOLDING = re.compile(r"\s*[\r\n]+\s*")


def decode_bytes(data: bytes, charset: str) -> tuple[str, str | None]:
    """Text in its declared charset, and a problem line when bytes had to be replaced or guessed."""
    charset = charset.strip().lower()
    if charset in ASCII_LABELS or charset in LATIN1_LABELS:
        # Unlabelled 8-bit text is UTF-8 or Windows-1252 in practice, and Latin-1 accepts any byte.
        candidates = ["utf-8", "cp1252", "latin-1"] if charset in ASCII_LABELS else ["cp1252", "latin-1"]
        for candidate in candidates:
            try:
                return data.decode(candidate), None
            except UnicodeDecodeError:
                continue
    try:
        text, problem = data.decode(SUPERSETS.get(charset, charset)), None
    except UnicodeDecodeError:
        text, problem = _decode_mislabelled(data, charset)
    except (LookupError, ValueError):  # A name no codec has, or one holding a NUL.
        text, problem = data.decode("utf-8", "replace"), f"unknown charset {charset!r}, read as UTF-8"
    # UTF-7 and UTF-16 can yield lone surrogates, which no database or template accepts.
    if SURROGATES.search(text):
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text, problem


def _decode_mislabelled(data: bytes, charset: str) -> tuple[str, str]:
    # Text that breaks its label is most often UTF-8 sent by a mailer that labels every mail alike.
    try:
        return data.decode("utf-8"), f"text labelled {charset} is UTF-8"
    except UnicodeDecodeError:
        text = data.decode(SUPERSETS.get(charset, charset), "replace")
        return text, f"bytes not valid in {charset}, replaced"


def header_text(value: object, problems: list[str]) -> str:
    """A header value as one line of text: RFC 2047 words decoded, raw 8-bit read as UTF-8."""
    if value is None:
        return ""
    text = unescape_8bit(value)
    try:
        text = str(make_header(decode_header(text)))
    except Exception:  # The stdlib raises lookup, unicode and header-parse errors on bad words.
        text = _decode_words_leniently(text, problems)
    return FOLDING.sub(" ", text).strip()


def unescape_8bit(value: object) -> str:
    """The stdlib keeps raw 8-bit header bytes as surrogate escapes or unknown-8bit Headers."""
    if isinstance(value, Header):
        chunks = decode_header(value)
        return decode_bytes(b"".join(c if isinstance(c, bytes) else c.encode() for c, _ in chunks), "")[0]
    text = str(value)
    if SURROGATES.search(text):
        return decode_bytes(text.encode("utf-8", "surrogateescape"), "")[0]
    return text


def _decode_words_leniently(text: str, problems: list[str]) -> str:
    try:
        chunks = decode_header(text)
    except Exception:
        problems.append(f"header {text[:60]!r}: undecodable encoded words, kept as written")
        return text
    pieces = []
    for chunk, charset in chunks:
        decoded, problem = (chunk, None) if isinstance(chunk, str) else decode_bytes(chunk, charset or "")
        pieces.append(decoded)
        if problem:
            problems.append(f"header {text[:60]!r}: {problem}")
    return "".join(pieces)


def header_date(value: object, problems: list[str]) -> datetime | None:
    """A Date header as an aware datetime; a date without zone is taken as UTC, as RFC 5322 says."""
    if value is None:
        return None
    text = unescape_8bit(value).strip()
    try:
        date = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        date = parse_loose_date(text, timezone.utc)
    if date is None:
        problems.append(f"unreadable Date header {text[:60]!r}")
        return None
    return date if date.tzinfo else date.replace(tzinfo=timezone.utc)


class _VisibleText(HTMLParser):
    """Keeps the text a reader sees, with a line break where a block ends and a space between cells."""

    BLOCKS = {"p", "div", "br", "tr", "li", "ul", "ol", "table", "blockquote", "pre", "hr", "section",
              "article", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6"}
    CELLS = {"td", "th"}
    HIDDEN = {"script", "style", "title", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        self.handle_startendtag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in self.BLOCKS:
            self.pieces.append("\n")
        elif tag in self.CELLS:
            self.pieces.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.pieces.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.pieces.append(data)


def html_to_text(html: str) -> str:
    """A plain-text rendering of an HTML body, for mails sent without a text/plain part."""
    if not html:
        return ""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.pieces).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
