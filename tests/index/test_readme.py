"""The examples in index/README.md run as the README says they do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.search import QuerySyntaxError, SearchIndex

README = (Path(__file__).resolve().parents[2] / "index" / "README.md").read_text(encoding="utf-8")
TABLE_QUERIES = [
    query
    for row in re.findall(r"^\| (`.+?) \|", README, re.MULTILINE)
    for query in re.findall(r"`([^`]+)`", row)
]


def test_the_table_has_examples() -> None:
    assert len(TABLE_QUERIES) >= 9


@pytest.mark.parametrize("query", TABLE_QUERIES)
def test_every_table_example_finds_something(mali_index: SearchIndex, query: str) -> None:
    assert mali_index.search(query).total > 0


@pytest.mark.parametrize(
    ("typed", "finds"),
    [
        ("verite", "Vérité"),
        ("Keita", "Keïta"),
        ("displacing", "displaced"),
        ("Djamena", "N'Djamena"),
        ("Tombouctou", "Timbuktu"),
    ],
)
def test_what_the_search_forgives(mali_index: SearchIndex, typed: str, finds: str) -> None:
    fragments = [f for h in mali_index.search(typed, limit=50).hits for _, f in h.highlights]
    assert any(f"<mark>{finds}</mark>" in f for f in fragments)


@pytest.mark.parametrize(
    ("typed", "suggestion"), [("Ouagadugu", "Ouagadougou"), ("Timbuctoo", "Timbuktu")]
)
def test_typo_examples(mali_index: SearchIndex, typed: str, suggestion: str) -> None:
    page = mali_index.search(typed)
    assert (page.suggestion, page.corrected) == (suggestion, True)


@pytest.mark.parametrize("query", ["AND", "Gao OR", "*", "pe*", '"unclosed', "-Gao", "x" * 501])
def test_refused_examples(mali_index: SearchIndex, query: str) -> None:
    with pytest.raises(QuerySyntaxError):
        mali_index.search(query)
