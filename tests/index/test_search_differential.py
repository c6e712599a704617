"""SearchIndex.search against the same search done Whoosh's way (tests/index/reference.py):
for the relevance set and a few hundred generated queries, on Mali and on a synthetic store
of three crises, the same page: hits in the same order with the same scores and highlights,
the same total, facets, suggestion and mode."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import pytest

from bench import synth
from bench.search_mix import mix
from data.repository import Repository
from index.lifecycle import ensure_index
from index.search import QuerySyntaxError, SearchIndex, SearchPage
from tests.index.reference import whooshs_page
from tests.index.relevance import QUERIES
from tests.index.test_matching import EXTRA


def generated(count: int) -> list[str]:
    """The benchmark's mix of one and two words, and the query language around them."""
    plain = mix(count)
    rng = random.Random(7)
    out = list(plain)
    for _ in range(count // 2):
        a, b = rng.sample(plain, 2)
        out.append(
            rng.choice(
                [
                    f'"{a}"',
                    f"{a} OR {b}",
                    f"{a} -{b.split()[0]}",
                    f"{a.split()[0][:4]}*",
                    f"type:passage {a}",
                    f"{a} AND {b}",
                    f"({a} OR {b}) {a.split()[0]}",
                    a.replace("e", "a", 1),  # a typo, most of the time
                    f"{a} {b}",
                ]
            )
        )
    return out


def same_page(found: SearchPage, expected: SearchPage, query: str) -> None:
    assert (found.total, found.suggestion, found.corrected, found.mode) == (
        expected.total,
        expected.suggestion,
        expected.corrected,
        expected.mode,
    ), query
    assert (found.facets, found.facet_sizes) == (expected.facets, expected.facet_sizes), query
    assert [(h.kind, h.key, h.highlights) for h in found.hits] == [
        (h.kind, h.key, h.highlights) for h in expected.hits
    ], query
    for ours, theirs in zip(found.hits, expected.hits, strict=True):
        assert math.isclose(ours.score, theirs.score, rel_tol=0, abs_tol=1e-6), query


def compare(index: SearchIndex, queries: list[str], **filters: Any) -> int:
    compared = 0
    for query in queries:
        try:
            expected = whooshs_page(index, query, **filters)
        except QuerySyntaxError:
            with pytest.raises(QuerySyntaxError):
                index.search(query, **filters)
            continue
        same_page(index.search(query, **filters), expected, query)
        compared += bool(expected.hits)
    return compared


@pytest.fixture(scope="module")
def synthetic_index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    store = synth.generate(tmp_path_factory.mktemp("synthetic") / "store", 3)
    return ensure_index(Repository.load(store), Path(store.parent / "index"))


def test_mali_pages_are_whooshs(mali_index: SearchIndex) -> None:
    queries = [q for q, _ in QUERIES] + EXTRA + generated(200)
    assert compare(mali_index, queries) > 250
    crises = ["mali"]
    assert compare(mali_index, generated(30), types=frozenset({"passage", "actor"})) > 15
    assert compare(mali_index, generated(30), crisis=crises[0]) > 15
    assert compare(mali_index, generated(30), facet_limit=3) > 15


def test_synthetic_pages_are_whooshs(synthetic_index: SearchIndex) -> None:
    queries = [q for q, _ in QUERIES] + EXTRA + generated(120)
    assert compare(synthetic_index, queries) > 150
    assert compare(synthetic_index, generated(30), crisis="synth-0001") > 15
    assert compare(synthetic_index, generated(60), facet_limit=10) > 30
