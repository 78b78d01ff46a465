"""The accountant's reply to the monthly journal, read as corrections (piece, account, VAT rate) and OK."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from gateway.command_lines import read_assent
from gateway.command_readers import Command
from gateway.command_signature import reply_lines
from gateway.command_text import scan_phrases, words

# The VAT rates of mainland France and of Corsica and the overseas departments.
FRENCH_RATES = tuple(Decimal(rate) for rate in ("20", "10", "8.5", "5.5", "2.1", "1.05", "0.9", "0"))
_RATES_TEXT = "20, 10, 8,5, 5,5, 2,1, 1,05, 0,9 ou 0"
SYNTAX_FRENCH = ("Écrivez une correction par ligne, par exemple « FA2026-0012 compte 7061 » ou "
                 "« F-8841 TVA 10 », et OK seul pour clôturer le mois.")
SYNTAX_ENGLISH = ("one correction per line, e.g. \"FA2026-0012 compte 7061\" or \"F-8841 TVA 10\"; "
                  "OK alone closes the month")

_BULLET = re.compile(r"(?:[-*\u2022\u00b7\u2013\u2014]|\d{1,2}[.)])\s+")
# "Facture n° F-8841 : …" names the piece as plainly as "F-8841 : …".
_DOCUMENT_WORD = re.compile(r"(?:facture|fact\.?|pi[eè]ce|[eé]criture|avoir|invoice|bill|entry)\s+(?:n\s*[°º]\s*)?",
                            re.I)
# A document number as written, or our entry number (HA000042).
_PIECE = re.compile(r"[^\W_][\w\-/.]*")
_SEPARATORS = re.compile(r"[\s:=,;\-\u2013\u2014\u2192\u21d2>]*")
_ACCOUNT_CLAUSE = re.compile(r"(?:compte|cpte|cpt|account)\b\s*(?:comptable\s+|de\s+(?:charges?|produits?)\s+)?"
                             r"(?:[:=\u2192>\-]+\s*|(?:en|au|to)\s+)?([^\s,;]+)", re.I)
_VAT_CLAUSE = re.compile(r"(?:taux\s+(?:de\s+)?)?(?:tva|vat)\b\s*(?:[:=\u2192>\-]+\s*|(?:[aà]|at|au\s+taux\s+de)\s+)?"
                         r"(\d+(?:[.,]\d+)?(?=\s*%|[\s,;.!]|$)|[^\s,;]+)\s*%?", re.I)
_BETWEEN_CLAUSES = re.compile(r"[\s,;/+&]*(?:(?:et|and)\s+)?", re.I)
_ACCOUNT_NUMBER = re.compile(r"[1-8]\d{2,12}")


@dataclass(frozen=True)
class Correction:
    line: str                   # the line as written in the reply
    piece: str                  # the document number (or our entry number) as written
    account: str | None         # the general account the charge or product goes to
    vat_rate: Decimal | None    # the VAT rate of the bill, one of FRENCH_RATES


@dataclass(frozen=True)
class UnreadLine:
    line: str
    french: str                 # the reason, with the syntax expected, for the reply to the accountant
    english: str                # for the log


@dataclass(frozen=True)
class CorrectionsReply:
    corrections: tuple[Correction, ...]
    close: bool                 # OK was given: the month may be closed once the corrections are applied
    unread: tuple[UnreadLine, ...]


class _Unreadable(ValueError):
    def __init__(self, french: str, english: str):
        super().__init__(english)
        self.french, self.english = french, english


def read_corrections(reply_text: str) -> CorrectionsReply:
    """Every line of the reply that is neither politeness nor signature: a correction, OK, or a line not understood.

    reply_text is what the accountant wrote above the quote, as the parsed mail gives it (quotes already cut).
    """
    corrections, unread, close = [], [], False
    for line in reply_lines(reply_text):
        try:
            found = read_correction_line(line)
        except _Unreadable as problem:
            unread.append(UnreadLine(line, problem.french, problem.english))
            continue
        if found is not None:
            corrections.append(found)
            continue
        assent = read_assent(line, words(line))
        if isinstance(assent, Command):
            close = True
        elif assent is not None and not _announces_a_list(line):
            unread.append(_not_understood(line, assent.code == "doubt"))
    kept, conflicting = _without_conflicts(corrections)
    return CorrectionsReply(tuple(kept), close, tuple(unread + conflicting))


def read_correction_line(line: str) -> Correction | None:
    """The correction a line holds; None when it starts with no piece (it may be OK or politeness)."""
    body = _BULLET.sub("", line.strip(), count=1)
    if document_word := _DOCUMENT_WORD.match(body):
        body = body[document_word.end():]
    if re.match(r"(?:compte|cpte|cpt|account|tva|vat)\b", body, re.I):
        raise _Unreadable(f"« {line} » ne dit pas quelle pièce corriger : écrivez son numéro d'abord, "
                          "par exemple « FA2026-0012 compte 7061 ».", f"no piece named: {line!r}")
    piece_match = _PIECE.match(body)
    piece = piece_match[0].rstrip("-/._") if piece_match else ""
    if not any(char.isdigit() for char in piece):
        return None
    position = _SEPARATORS.match(body, piece_match.end()).end()
    account, rate, position = _read_clauses(body, position, line)
    if account is None and rate is None:
        if body[position:].strip(" .!"):
            raise _Unreadable(f"Je n'ai pas compris « {line} ». {SYNTAX_FRENCH}", f"not a correction: {line!r}")
        raise _Unreadable(f"« {line} » nomme la pièce {piece} sans dire quoi corriger : écrivez par exemple "
                          f"« {piece} compte 6064 » ou « {piece} TVA 10 ».", f"piece without a correction: {line!r}")
    _check_rest(body[position:], line)
    return Correction(line, piece, account, rate)


def _read_clauses(body: str, position: int, line: str) -> tuple[str | None, Decimal | None, int]:
    """"compte 6064" and "TVA 10", in either order, each once, from position on."""
    account = rate = None
    while True:
        if account is None and (match := _ACCOUNT_CLAUSE.match(body, position)):
            account = account_number(match[1].rstrip("."), line)
        elif rate is None and (match := _VAT_CLAUSE.match(body, position)):
            rate = french_rate(match[1], line)
        else:
            return account, rate, position
        position = _BETWEEN_CLAUSES.match(body, match.end()).end()


def account_number(text: str, line: str) -> str:
    """A general account of the French chart: 3 to 13 digits, a class from 1 to 8."""
    if not _ACCOUNT_NUMBER.fullmatch(text):
        raise _Unreadable(f"« {text} » n'est pas un numéro de compte général : 3 à 13 chiffres, par exemple 6064 "
                          "ou 60640000 (un compte de tiers ne se corrige pas ainsi).",
                          f"not a general account number: {text!r} in {line!r}")
    return text


def french_rate(text: str, line: str) -> Decimal:
    """One of the French VAT rates, written 10, 5,5, 5.5 % or 20%."""
    try:
        rate = Decimal(text.rstrip("%").replace(",", "."))
    except InvalidOperation:
        rate = None
    for known in FRENCH_RATES:
        if rate == known:
            return known
    raise _Unreadable(f"« {text} » n'est pas un taux de TVA français ({_RATES_TEXT}) : écrivez par exemple "
                      "« F-8841 TVA 5,5 ».", f"not a French VAT rate: {text!r} in {line!r}")


def _check_rest(rest: str, line: str) -> None:
    # "F-8841 compte 6064, merci." is a correction; anything else after it may change its meaning,
    # an OK too ("F-8841 compte 6064 OK" does not say whether the month is closed).
    kinds, strangers = scan_phrases(words(rest))
    if strangers or kinds - {"polite", "quiet", "emoji"}:
        raise _Unreadable(f"Je n'ai pas compris « {rest.strip()} » dans « {line} ». {SYNTAX_FRENCH}",
                          f"unexpected {rest.strip()!r} after a correction: {line!r}")


def _announces_a_list(line: str) -> bool:
    """"Voici mes corrections :" introduces the lines below; it holds no piece and asks nothing."""
    return line.rstrip().endswith(":") and not any(char.isdigit() for char in line)


def _not_understood(line: str, doubt: bool) -> UnreadLine:
    if doubt:
        return UnreadLine(line, f"Je ne prends pas « {line} » pour la clôture du mois : répondez OK seul sur sa "
                          "ligne, et une correction par ligne (« FA2026-0012 compte 7061 », « F-8841 TVA 10 »).",
                          f"approval with other words, no closing: {line!r}")
    return UnreadLine(line, f"Je n'ai pas compris « {line} ». {SYNTAX_FRENCH}", f"not a correction: {line!r}")


def _without_conflicts(corrections: list[Correction]) -> tuple[list[Correction], list[UnreadLine]]:
    """Two different accounts (or rates) for one piece cancel both lines; a repeated line counts once."""
    values: dict[tuple[str, str], set] = {}
    for correction in corrections:
        for name, value in (("account", correction.account), ("rate", correction.vat_rate)):
            if value is not None:
                values.setdefault((correction.piece.upper(), name), set()).add(value)
    kept, unread, seen = [], [], set()
    for correction in corrections:
        key = correction.piece.upper()
        if len(values.get((key, "account"), ())) > 1 or len(values.get((key, "rate"), ())) > 1:
            unread.append(UnreadLine(correction.line, f"La pièce {correction.piece} reçoit deux corrections "
                                     "différentes dans cette réponse : aucune n'est appliquée, écrivez la bonne "
                                     "une seule fois.", f"conflicting corrections of {correction.piece}"))
        elif (key, correction.account, correction.vat_rate) not in seen:
            seen.add((key, correction.account, correction.vat_rate))
            kept.append(correction)
    return kept, unread
