"""Highlighting reads words the way the index analysed them, without the analyzer, and cuts
the fragments Whoosh's fragmenters would cut."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import index.highlight
from data.repository import Repository
from index.analysis import text_analyzer
from index.documents import documents
from index.highlight import CHAR_LIMIT, MAX_CHARS, Highlighter, highlights
from index.search import SearchIndex
from index.words import words
from tests.index.reference import whooshs_highlights

EXTRA = "N'Djamena l'Azawad qu'il Mali's Keïta Vérité MAY us a I 2014 x1 ÉCOWAS\u2019s"


def texts(repo: Repository) -> list[dict[str, str]]:
    return [
        {field: str(fields[field]) for field in ("title", "aliases", "body") if fields.get(field)}
        for fields in documents(repo)
    ]


def test_words_are_the_analyzers_tokens_on_the_whole_store(mali_repo: Repository) -> None:
    analyzer = text_analyzer()
    compared = 0
    for text in [EXTRA] + [t for stored in texts(mali_repo) for t in stored.values()]:
        expected = [(t.text, t.startchar, t.endchar) for t in analyzer(text, chars=True)]
        found = words(text)
        assert list(zip(found.terms, found.starts, found.ends, strict=True)) == expected, text
        compared += len(expected)
    assert compared > 5_000


def test_highlights_are_whooshs_on_the_whole_store(mali_repo: Repository) -> None:
    """For every document, words and phrases of its own text (and some it lacks)."""
    rng = random.Random(13)
    compared = 0
    for stored in texts(mali_repo):
        stems = [t for text in stored.values() for t in words(text).terms]
        if not stems:
            continue
        for _ in range(3):
            terms = frozenset(rng.sample(stems, min(len(stems), rng.choice((1, 2, 3, 6)))))
            start = rng.randrange(len(stems))
            phrases = frozenset(
                [tuple(stems[start : start + rng.choice((2, 3))])] if rng.random() < 0.4 else []
            )
            terms |= {"absent"} if rng.random() < 0.2 else set()
            expected = whooshs_highlights(stored, terms, phrases)
            assert highlights(stored, terms, phrases) == expected, (stored, terms, phrases)
            compared += len(expected)
    assert compared > 1_000


LONG = "z" * (MAX_CHARS + 10)  # a word longer than a fragment
_WORDS = ["a", "of", "the", "x", "ab", "mali", "peace", "accord", "refugees", "N'Djamena", LONG]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_WORDS),
            st.text(alphabet="abcdefghij", min_size=1, max_size=70),
        ),
        max_size=120,
    ),
    st.lists(
        st.sampled_from(["", " ", ", ", ". ", " - ", "\n", "  ", " & ", " <b> ", " > "]), min_size=1
    ),
    st.sets(st.sampled_from(["mali", "peac", "accord", "refuge", "djamena", "abc", "a", LONG])),
)
def test_fragments_are_whooshs_on_any_text(
    parts: list[str], gaps: list[str], terms: set[str]
) -> None:
    """Words of every length, so that fragments end exactly where Whoosh's countdown
    reaches 0, words longer than a fragment, runs of matches past the fragment's size."""
    text = "".join(word + gaps[i % len(gaps)] for i, word in enumerate(parts))
    stored = {"body": text, "title": text[:80]}
    query = frozenset(terms)
    phrases = frozenset({("peac", "accord"), ("mali", "mali")})
    assert highlights(stored, query, phrases) == whooshs_highlights(stored, query, phrases)


@pytest.mark.parametrize("size", [CHAR_LIMIT - 30, CHAR_LIMIT + 500])
def test_long_texts_stop_where_whoosh_stops(size: int) -> None:
    filler = ("peace accord talks " * (size // 19 + 1))[:size]
    text = filler + " mali " + LONG + " mali peace end " + LONG
    stored = {"body": text, "title": text}
    terms = frozenset({"mali", "peac", LONG})
    assert highlights(stored, terms, frozenset()) == whooshs_highlights(stored, terms, frozenset())


def test_the_texts_held_stay_within_their_bound(
    mali_index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A highlighter keeps the words of the documents it highlighted, up to its bound, and
    highlights as highlights() does whether it holds them or not."""
    monkeypatch.setattr(index.highlight, "MAX_TEXT_BYTES", 30_000)
    highlighter = Highlighter()
    terms, phrases = frozenset({"mali", "peac", "refuge"}), frozenset({("armed", "group")})
    with mali_index._current().searcher() as searcher:
        for _ in range(2):
            for docnum in range(searcher.doc_count_all()):
                found = highlighter.highlights(docnum, searcher.stored_fields, terms, phrases)
                assert found == highlights(searcher.stored_fields(docnum), terms, phrases)
                assert highlighter._bytes <= 30_000
        assert highlighter._texts
