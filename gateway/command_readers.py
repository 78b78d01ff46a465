"""What follows a command word: the motif of NON, the invoice of PAYÉ, the target and delay of PAUSE…"""

import re
from dataclasses import dataclass, field

from gateway.command_text import fold, has_field, scan_phrases, words
from gateway.command_values import UnreadableValue, parse_amount, parse_date
from gateway.command_words import POLITE


@dataclass(frozen=True)
class Command:
    name: str  # canonical, in English: "approve", "reject", "correct", "paid"…
    args: dict = field(default_factory=dict)
    line: str = ""


@dataclass(frozen=True)
class Unread:
    """A line the grammar did not take, with the reason for the person (French) and for the log."""

    line: str
    code: str
    french: str
    english: str


MAX_PAID_WORDS = 12
# Words of assent that contradict a NON unless negated ("NON, pas OK" is a plain refusal).
_ASSENT_IN_MOTIF = {"ok", "okay", "oui", "yes", "d'accord", "daccord"}
_NEGATIONS = {"pas", "not", "non", "no", "ne", "n'est", "jamais", "never"}
_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.\-]{0,39}")
_INVOICE_WORDS = {"facture", "invoice", "n", "no", "numero", "ref", "reference"}
_CLIENT_WORDS = {"client", "cliente", "customer"}
_FILLERS = {"les", "la", "le", "l'", "des", "de", "du", "d'", "of", "the", "for", "pour", "avec", "with",
            "relance", "relances", "reminder", "reminders"}
_UNTIL = re.compile(r"(?i)\b(?:jusqu['\u2019]\s*(?:au|à|a|à la|a la)|until|till)\s+(.+)$")
_LATER = re.compile(r"(?i)(?:\+\s*|\bdans\s+|\bin\s+)(\d{1,3})\s*(?:jours?|j|days?|d)?\.?$")
_DELAY = re.compile(r"(?i)\b(?:(?:pendant|pour|for)\s+)?(\d{1,3})\s*(jours?|j|semaines?|sem|mois|days?|weeks?|months?)\.?$")


def read_reject(line: str, rest: str) -> Command | Unread:
    """NON motif: the motif is kept as written; "NON c'est OK" says both things and is refused."""
    motif = rest.lstrip(" \t:,;.!-\u2013\u2014").rstrip()
    if has_field(motif):
        return Unread(line, "contradiction", f"« {line} » refuse et corrige à la fois : pour corriger, écrivez "
                      "seulement « champ : valeur » ; pour refuser, NON suivi du motif.",
                      f"refusal and correction on one line: {line!r}")
    found = words(motif)
    kinds, strangers = scan_phrases(found)
    # "Non, c'est bon" and "Non c'est OK" may mean "no need, it is fine": they say both things.
    assenting = not strangers and kinds & {"approve", "assent"}
    unnegated = (word.text for before, word in zip([None, *found], found)
                 if word.folded in _ASSENT_IN_MOTIF and (before is None or before.folded not in _NEGATIONS))
    if shown := (motif if assenting else next(unnegated, None)):
        return Unread(line, "contradiction", f"« {line} » dit à la fois non et « {shown} ».",
                      f"refusal and approval on one line: {line!r}")
    if not strangers:
        motif = ""
    return Command("reject", {"reason": motif}, line)


def read_verdict(name: str, line: str, rest: str) -> Command | Unread:
    """DOUBLON / NOUVEAU, optionally naming the bill: "DOUBLON de F-2026-114"."""
    tokens = [token for token in _tokens(rest) if fold(token) not in _FILLERS]
    reference, left = _take_reference(tokens)
    if not left:
        return Command(name, {"reference": reference} if reference else {}, line)
    word = {"duplicate": "DOUBLON", "new": "NOUVEAU"}[name]
    return Unread(line, "unread_arguments", f"Après {word}, j'attends au plus un numéro de facture.",
                  f"{name}: unexpected words after the command: {line!r}")


def read_paid(line: str, rest: str) -> Command | Unread:
    """PAYÉ FA2026-0012 [montant] [date], amount and date in either order."""
    reference, tokens = _take_reference(_tokens(rest))
    readings = _amount_and_date(tokens)
    if len(readings) != 1:
        tail = " ".join(tokens)
        return Unread(line, "unread_arguments",
                      f"Je n'ai pas su lire « {tail} » : écrivez par exemple « PAYÉ FA2026-0012 1 234,56 15/03/2026 ».",
                      f"paid: cannot read amount/date {tail!r}")
    args = {"reference": reference} if reference else {}
    return Command("paid", args | readings[0], line)


def read_credit(line: str, rest: str) -> Command | Unread:
    """AVOIR FA2026-0012 [montant HT|TTC] [motif]: no amount credits the whole invoice."""
    reference, tokens = _take_reference(_tokens(rest))
    if not reference:
        return Unread(line, "unread_arguments", "Après AVOIR, donnez le numéro de la facture : « AVOIR FA2026-0012 ».",
                      f"credit: no invoice number in {line!r}")
    cut = next((size for size in range(min(len(tokens), 4), 0, -1)
                if _readable(parse_amount, " ".join(tokens[:size])) is not None), 0)
    args = {"reference": reference}
    if cut:
        basis = fold(tokens[cut]).strip(".") if len(tokens) > cut else ""
        if basis not in {"ht", "ttc"}:
            return Unread(line, "unclear_field", "Précisez si le montant de l'avoir est HT ou TTC : "
                          "« AVOIR FA2026-0012 120,00 TTC motif ».", f"credit: amount without HT/TTC: {line!r}")
        args |= {"amount": parse_amount(" ".join(tokens[:cut])), "basis": basis.upper()}
        tokens = tokens[cut + 1:]
    return Command("credit", args | {"reason": " ".join(tokens).strip(" :,;-")}, line)


def read_target(name: str, line: str, rest: str) -> Command | Unread:
    """PAUSE / REPRENDRE / STOP / STATUT [facture | client], and for PAUSE [jusqu'au date | N jours]."""
    text, args = " ".join(rest.strip(" :,;-").split()), {}
    if name != "pause" and (_UNTIL.search(text) or _DELAY.search(text)):
        return Unread(line, "unread_arguments", "Seule la commande PAUSE prend une date ou une durée.",
                      f"{name}: only pause takes a delay: {line!r}")
    try:
        if name == "pause":
            text, args = _delay(text)
    except UnreadableValue as problem:
        return Unread(line, "bad_value", problem.french, problem.english)
    tokens = _tokens(text)
    kind = None
    while tokens and fold(tokens[0]).strip(".°º:") in _FILLERS | _INVOICE_WORDS | _CLIENT_WORDS:
        word = fold(tokens.pop(0)).strip(".°º:")
        kind = "invoice" if word in _INVOICE_WORDS else "client" if word in _CLIENT_WORDS else kind
    target = " ".join(tokens)
    if not target:
        return Command(name, args, line) if kind is None else _missing_target(name, line)
    if kind != "client" and len(tokens) == 1 and _is_reference(target) and (kind or not target.isdigit()):
        return Command(name, {"invoice": target} | args, line)
    if kind == "invoice" or not re.search(r"[^\W\d_]", target) or len(target) > 100:
        return _missing_target(name, line)
    return Command(name, {"client": target} | args, line)


def read_remind(line: str, rest: str) -> Command | Unread:
    """RELANCE FA2026-0012 [+7 | dans 7 jours]: a reminder now, or in N days."""
    text = " ".join(rest.strip(" :,;-").split())
    days = 0
    if match := _LATER.search(text):
        days, text = int(match[1]), text[:match.start()].strip()
    command = read_target("remind", line, text)
    if isinstance(command, Command):
        return Command("remind", command.args | {"days": days}, line)
    return command


def _delay(text: str) -> tuple[str, dict]:
    if match := _UNTIL.search(text):
        return text[:match.start()].strip(), {"until": parse_date(match[1])}
    if match := _DELAY.search(text):
        unit = fold(match[2])
        count = int(match[1]) * (7 if unit.startswith(("sem", "week")) else 1)
        key = "months" if unit.startswith(("mois", "month")) else "days"
        return text[:match.start()].strip(), {key: count}
    return text, {}


def _missing_target(name: str, line: str) -> Unread:
    return Unread(line, "unread_arguments",
                  f"Je n'ai pas compris à quoi s'applique « {line} » : donnez un numéro de facture ou un nom de client.",
                  f"{name}: unreadable target in {line!r}")


def _take_reference(tokens: list[str]) -> tuple[str | None, list[str]]:
    if len(tokens) >= 2 and fold(tokens[0]).strip(".°º:") in _INVOICE_WORDS:
        return tokens[1], tokens[2:]
    # A bare first word is the invoice number unless it reads as the amount or the date.
    if tokens and _is_reference(tokens[0]) and not _readable(parse_amount, tokens[0]) \
            and not _readable(parse_date, tokens[0]):
        return tokens[0], tokens[1:]
    return None, tokens


def _amount_and_date(tokens: list[str]) -> list[dict]:
    """Every way of reading the tokens as [amount] [date] or [date] [amount]; one is expected."""
    readings = []
    # An amount and a date take a dozen words at most; a longer tail is not worth trying to cut.
    if len(tokens) > MAX_PAID_WORDS:
        return readings
    for cut in range(len(tokens) + 1):
        for amount_part, date_part in ((tokens[:cut], tokens[cut:]), (tokens[cut:], tokens[:cut])):
            date_words = date_part[1:] if date_part and fold(date_part[0]) in {"le", "on", "du"} else date_part
            reading = {}
            if amount_part and (amount := _readable(parse_amount, " ".join(amount_part))) is not None:
                reading["amount"] = amount
            if date_words and (when := _readable(parse_date, " ".join(date_words))) is not None:
                reading["date"] = when
            if len(reading) == bool(amount_part) + bool(date_part) and reading not in readings:
                readings.append(reading)
    return readings


def _readable(parse, text: str):
    try:
        return parse(text)
    except (UnreadableValue, ArithmeticError):
        return None


def _is_reference(text: str) -> bool:
    return bool(_REFERENCE.fullmatch(text)) and any(char.isdigit() for char in text)


def _tokens(text: str) -> list[str]:
    """The words after a command, without the punctuation and thanks that close a line."""
    # "n°114" is "n°" then the number, as "facture 114" is.
    text = re.sub(r"(?i)\bn[°º](?=\S)", "n° ", text)
    tokens = [token.rstrip(",;!") for token in text.split()]
    while tokens and fold(tokens[-1]).strip(".,!") in POLITE | {""}:
        tokens = tokens[:-1]
    return [token for token in tokens if token]
