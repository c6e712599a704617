"""The analyzer: what a document's words become, and that a query's match them."""

# Curly apostrophes are typed as such on purpose: they are what is tested.
# ruff: noqa: RUF001

from __future__ import annotations

import pytest

from index.analysis import name_key, spelling_words, text_analyzer


def terms(text: str) -> list[str]:
    return [t.text for t in text_analyzer()(text)]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("displacing", "displaced"),  # English stemming
        ("REFUGEES", "refugee"),  # case
        ("Verite", "Vérité"),  # accents folded, before stemming
        ("Keita", "Keïta"),
        ("Reconciliation", "Réconciliation"),
        ("N'Djamena", "N’Djamena"),  # straight and curly apostrophes
        ("Djamena", "N'Djamena"),  # a one-letter elision is a separate word
        ("Azawad", "l’Azawad"),
        ("Mali", "Mali’s"),  # possessives
        ("Mali's", "Mali"),
        ("Malis", "Malis"),
    ],
)
def test_query_words_match_document_words(typed: str, written: str) -> None:
    assert terms(typed) == terms(written) != []


def test_stop_words_are_dropped_but_not_dates_or_countries() -> None:
    assert terms("the protection of civilians") == ["protect", "civilian"]
    assert len(terms("23 May 2014")) == 3
    assert "us" in terms("the US")


def test_other_apostrophes_join_the_word() -> None:
    assert terms("qu'il") == ["quil"]


def test_positions_skip_stop_words_so_phrases_match_across_them() -> None:
    tokens = [(t.text, t.pos) for t in text_analyzer()("protection of civilians", positions=True)]
    assert tokens == [("protect", 0), ("civilian", 1)]


def test_spelling_words_are_unstemmed_folded_and_distinct() -> None:
    words = spelling_words(["Réfugiés displaced; displaced", "N’Djamena is a city", "of"])
    assert sorted(words) == ["city", "displaced", "djamena", "refugies"]


def test_name_key_ignores_case_accents_punctuation_and_function_words() -> None:
    assert name_key("Commission Vérité, Justice et Réconciliation") == name_key(
        "commission verite justice reconciliation"
    )
    assert name_key("Haut Conseil pour l’Unité de l’Azawad") == "haut conseil unite azawad"
    assert name_key("IBK") == "ibk"
