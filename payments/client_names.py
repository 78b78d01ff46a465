"""Client names recognised in a bank label, however the bank wrote them.

Names are compared as words: lower case, no accents, punctuation dropped, legal forms removed
(« Établissements Dupont-Moreau SAS » is dupont moreau). A client is named when all its words
appear in a row in the text, or glued into one word ("DUPONTMOREAU"); a word is never matched
inside a longer one ("ROUXEL" does not name Roux).
"""

import re
import unicodedata
from collections import defaultdict

LEGAL_FORMS = {"sarl", "sas", "sa", "eurl", "sasu", "ets", "etablissements", "sci", "snc", "selarl"}


def words_of(text: str) -> list[str]:
    bare = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return [word for word in re.findall(r"[a-z0-9]+", bare.replace(".", "")) if word not in LEGAL_FORMS]


class ClientIndex:
    """The clients of the open invoices, indexed once for the many lines of a statement."""

    def __init__(self, client_of: dict[str, str]):
        self.words = {number: tuple(words_of(name)) for number, name in client_of.items()}
        self.order = {number: position for position, number in enumerate(client_of)}
        # Each client is filed under its first word and under its glued form, so that a line only
        # looks at the clients it may name.
        self.filed: dict[str, list[str]] = defaultdict(list)
        for number, words in self.words.items():
            if words:
                self.filed[words[0]].append(number)
                if len(words) > 1:
                    self.filed["".join(words)].append(number)

    def named_in(self, text: str) -> list[str]:
        """The invoice numbers whose client the text names, in the order the index was given."""
        words = words_of(text)
        candidates = {number for word in set(words) for number in self.filed.get(word, ())}
        return sorted((number for number in candidates if self.is_named(number, words)), key=self.order.__getitem__)

    def is_named(self, number: str, words: list[str]) -> bool:
        client, size = list(self.words[number]), len(self.words[number])
        in_a_row = any(words[i:i + size] == client for i in range(len(words) - size + 1))
        return in_a_row or "".join(client) in words
