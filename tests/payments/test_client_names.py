"""Client names recognised in bank labels."""

import pytest

from payments.client_names import ClientIndex, words_of

INDEX = ClientIndex({
    "FA2026-0012": "Durand SARL",
    "FA2026-0016": "Établissements Dupont-Moreau SAS",
    "FA2026-0017": "Roux",
    "FA2026-0018": "SAS",
})


def test_words_lose_case_accents_punctuation_and_legal_forms():
    assert words_of("Éts. Côté & Fils S.A.R.L.") == ["cote", "fils"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("VIR SEPA RECU /DE DURAND", ["FA2026-0012"]),
        ("PRLV dupont moreau sas", ["FA2026-0016"]),
        ("VIR DUPONTMOREAU", ["FA2026-0016"]),
        ("VIR ROUX ET DURAND", ["FA2026-0012", "FA2026-0017"]),
        ("VIR ROUXEL", []),
        ("VIR DUPONT", []),
        ("VIR SAS", []),
    ],
)
def test_a_client_is_named_by_all_its_words_in_a_row_or_glued(text, named):
    assert INDEX.named_in(text) == named
