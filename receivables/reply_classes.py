"""What a client's reply to an invoice or a reminder says: paid, a promise to pay by a date, a dispute, or other."""

import re
from dataclasses import dataclass
from datetime import date

from receivables import reply_cues as cues
from receivables.relative_dates import find_promised_date, fold

LABELS = ("payment_announced", "promise", "dispute", "other")

# A subject line pasted in front of the reply: a reply prefix, or our own subjects' " — " separator.
# Our own subjects hold " — " and name the invoice; a client's first sentence may hold a dash too.
_SUBJECT = re.compile(r"\A\s*(?:(?:re|tr|fw|fwd|aw|ref|objet|subject|sujet)\s*:[^\n]*|"
                      r"[^\n]*\b(?:facture|invoice|relance|rappel)\b[^\n]* \u2014 [^\n]*)\n")
# Where the signature starts.
_SIGN_OFF = re.compile(r"(?:^|[.!?,])\s*(?P<start>--|__|(?:bien cordialement|cordialement|bien a vous|salutations|"
                       r"sinceres salutations|best regards|kind regards|regards|cdlt|cdt|bonne journee|bonne soiree)\b)",
                       re.MULTILINE)
# Sentences end at . ! ? ; : or a line break, but not inside "10.12" or "14:30".
_SENTENCE = re.compile(r"(?:[^\n.!?;:]|[.:](?=\d))+[.!?;:]*")
# Within a sentence a comma (not a decimal one) or "mais" ends the reach of a negation.
_CLAUSE_BREAK = re.compile(r",(?!\d)|\b(?:mais|but|cependant|toutefois|par contre|however|sauf que)\b")
_NEGATION_REACH_WORDS = 6
# The words that restate a date in other terms.
_RESTATED = re.compile(r"\b(?:soit|c'est-a-dire|autrement dit|that is|i\.e\.)\b")
# A reply this short that names a date is taken as the date it will be paid.
SHORT_REPLY_WORDS = 6


@dataclass(frozen=True)
class ReplyClass:
    label: str                   # one of LABELS
    promised_on: date | None     # the promised date of a "promise"; None otherwise
    evidence: str                # the client's words that decided, for the salesperson's forward and the logs


@dataclass(frozen=True)
class Clause:
    start: int
    text: str                    # folded, idioms masked
    rest_of_sentence: str        # this clause and what follows it up to the end of the sentence
    sentence: str                # the whole sentence, where the payment a future verb speaks of may be named
    question: bool


def client_words(text: str) -> str:
    """The reply folded, without a leading subject line nor the signature, idioms blanked, offsets kept."""
    folded = fold(text)
    subject = _SUBJECT.match(folded)
    start = subject.end() if subject else 0
    sign_off = _SIGN_OFF.search(folded, start)
    if sign_off and sign_off.start("start") > start:
        folded = folded[:sign_off.start("start")]
    folded = " " * start + folded[start:]
    return cues.IDIOMS.sub(lambda match: " " * len(match[0]), folded)


def clauses(words: str):
    """The clauses of each sentence, the unit a negation, a doubt or a date is read in."""
    for sentence in _SENTENCE.finditer(words):
        breaks = [sentence.start(), *(m.end() for m in _CLAUSE_BREAK.finditer(words, sentence.start(), sentence.end()))]
        for begin, end in zip(breaks, [*breaks[1:], sentence.end()]):
            if words[begin:end].strip(" .!?;:,"):
                yield Clause(begin, words[begin:end], words[begin:sentence.end()], sentence[0],
                             sentence[0].rstrip().endswith("?"))


def negated(clause: str, cue: re.Match) -> bool:
    """A negation in the cue itself or in the few words before it, within the clause."""
    before = clause[:cue.start()].split()[-_NEGATION_REACH_WORDS:]
    return bool(cues.NEGATION.search(" ".join(before) + " " + cue[0]))


def first_unnegated(pattern: re.Pattern, clause: str) -> re.Match | None:
    return next((m for m in pattern.finditer(clause) if not negated(clause, m)), None)


def announces_payment(clause: Clause, names_payment: bool) -> bool:
    """A payment said done, without a negation, a doubt, a question, a future tense or a part payment."""
    if clause.question or any(p.search(clause.text) for p in (cues.UNCERTAIN, cues.FUTURE, cues.PARTIAL)):
        return False
    return bool(first_unnegated(cues.PAYMENT_DONE, clause.text)
                or (names_payment and first_unnegated(cues.PRONOUN_DONE, clause.text)))


def promised_date(clause: Clause, today: date, names_payment: bool = False) -> date | None:
    """The date a clause commits to pay by: words of paying, a date from today on, and no denial."""
    # « Pas avant le 5 janvier » answering a reminder defers the payment without naming it.
    speaks_of_paying = cues.PAY_WORD.search(clause.text) or cues.DEFERRAL.search(clause.text) or (
        cues.FUTURE.search(clause.text) and cues.PAY_WORD.search(clause.sentence)) or (
        names_payment and cues.PRONOUN_ACTION.search(clause.text))
    if clause.question or not speaks_of_paying or cues.CONDITION.search(clause.sentence):
        return None
    # The money reaching the account (« il apparaîtra sous 48 h ») or a thing done on a past day
    # (« le solde a été viré le 28 ») is no promise.
    if cues.ARRIVAL.search(clause.text) or (cues.PERFECT.search(clause.text) and not cues.FUTURE.search(clause.text)):
        return None
    if cues.NEGATION.search(clause.text) and not cues.DEFERRAL.search(clause.text):
        return None
    if cues.PAST.search(clause.text) and not cues.FUTURE.search(clause.text):
        return None
    # A date later in the sentence belongs to this clause only when the clause speaks in the future
    # (« nous réglerons, comme convenu, le 15 »); otherwise it dates another verb (« vous le verrez demain »).
    when = find_promised_date(clause.text, today)
    if cues.FUTURE.search(clause.text):
        # « à 30 jours fin de mois, soit le 31 décembre »: the date restated after « soit » is the one meant.
        after = clause.rest_of_sentence[len(clause.text):]
        restated = _RESTATED.search(after)
        if restated and (said := find_promised_date(after[restated.end():], today)):
            when = said
        elif when is None:
            when = find_promised_date(clause.rest_of_sentence, today)
    return when if when and when >= today else None


def disputes(clause: Clause) -> bool:
    not_delivered = any(not cues.PAYMENT_NOUN.search(m[0]) for m in cues.NOT_DELIVERED.finditer(clause.text))
    return bool(not_delivered or cues.DISPUTE_NEGATIVE.search(clause.text) or first_unnegated(cues.DISPUTE, clause.text))


def classify_reply(text: str, today: date) -> ReplyClass:
    """Classify a client's own words; in doubt "other", never "payment_announced"."""
    words = client_words(text)
    parts = list(clauses(words))

    def evidence(clause: Clause) -> str:
        # The clause's own span, not the blanked subject or idioms around it.
        begin = clause.start + len(clause.text) - len(clause.text.lstrip())
        return text[begin:clause.start + len(clause.text.rstrip())].strip(" ,;:")

    for clause in parts:
        if disputes(clause):
            return ReplyClass("dispute", None, evidence(clause))
    announced, names_payment = None, bool(cues.PAYMENT_NOUN.search(words))
    for clause in parts:
        if announces_payment(clause, names_payment):
            announced = announced or clause
        elif (when := promised_date(clause, today, names_payment)) is not None:
            # A promise outweighs a payment announced elsewhere in the reply: part paid, the rest later.
            return ReplyClass("promise", when, evidence(clause))
    if announced:
        return ReplyClass("payment_announced", None, evidence(announced))
    if (when := bare_date(parts, today)) is not None:
        return ReplyClass("promise", when, evidence(parts[0]))
    return ReplyClass("other", None, "")


def bare_date(parts: list[Clause], today: date) -> date | None:
    """« Fin de semaine c bon », « mardi 15 »: a few words answering a reminder with a date name the
    day it will be paid. Longer replies must say what the date is for."""
    words = " ".join(clause.text for clause in parts).split()
    if not words or len(words) > SHORT_REPLY_WORDS or any(clause.question for clause in parts):
        return None
    text = " ".join(words)
    if cues.NEGATION.search(text) and not cues.DEFERRAL.search(text):
        return None
    # « Je l'ai envoyé lundi »: a thing done on a past day; « je regarde ce soir »: not a payment.
    if cues.PAST.search(text) or cues.PERFECT.search(text) or cues.LOOKING.search(text):
        return None
    when = find_promised_date(text, today)
    return when if when and when >= today else None
