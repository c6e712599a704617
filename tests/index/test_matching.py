"""Counting apart from ranking (index/matching.py) and facets from arrays (index/facets.py)
give exactly what Whoosh's full ranking and a count over every hit's metadata gave."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from whoosh.query import AndNot

from index.analysis import text_analyzer
from index.facets import FACETS, FacetArrays
from index.matching import best_docs, matching_docs
from index.plan import Planner
from index.query import parse
from index.search import SearchIndex
from index.snapshot import Snapshot
from tests.index.relevance import QUERIES

EXTRA = [
    '"peace agreement"',
    "refugees -Mauritania",
    "Timbuktu OR Gao",
    "(MNLA OR Ansar) -Dine",
    "section:icc",
    "type:actor Keita",
    "IBK",
    "minus*",
    "ceasefire NOT 2014",
    '"armed groups" Kidal',
]


def plans(snapshot: Snapshot, searcher: Any) -> list[Any]:
    out = []
    for text in [q for q, _ in QUERIES] + EXTRA:
        plan = Planner(snapshot, searcher.reader(), text_analyzer()).plan(parse(text))
        out += [q for q in (plan.all, plan.any) if q is not None]
    return out


def full_ranking(searcher: Any, q: Any) -> list[tuple[float, int]]:
    collector = searcher.collector(limit=None)
    searcher.search_with_collector(q, collector)
    ranked = list(collector.results().top_n)
    ranked.sort(key=lambda hit: (-hit[0], hit[1]))
    return ranked


def whooshs_matches(searcher: Any, q: Any) -> set[int]:
    """The documents Whoosh's matchers find. Its AndNot matcher lets through documents
    the exclusion matches when the exclusion holds a phrase (an alias's other name):
    `refugees -Mauritania` found a passage that says Mauritania. Sets do not."""
    if isinstance(q, AndNot):
        return whooshs_matches(searcher, q.a) - set(q.b.docs(searcher))
    return set(q.docs(searcher))


def test_matches_and_top_k_are_whooshs_own(mali_index: SearchIndex) -> None:
    snapshot = mali_index._current()
    compared = 0
    with snapshot.searcher() as searcher:
        for q in plans(snapshot, searcher):
            expected = whooshs_matches(searcher, q)
            matched = matching_docs(searcher, q, float("inf"))
            assert matched == expected, q
            ranked = [hit for hit in full_ranking(searcher, q) if hit[1] in expected]
            for k in (1, 10, 45):
                assert best_docs(searcher, q, k, matched, float("inf")) == ranked[:k], (q, k)
            allowed = {d for _, d in ranked[::3]}
            kept = [hit for hit in ranked if hit[1] in allowed]
            assert best_docs(searcher, q, 10, allowed, float("inf")) == kept[:10], q
            compared += bool(ranked)
    assert compared >= 50


def test_an_exclusion_by_alias_excludes(mali_index: SearchIndex) -> None:
    snapshot = mali_index._current()
    with snapshot.searcher() as searcher:
        q = Planner(snapshot, searcher.reader(), text_analyzer()).plan(
            parse("refugees -Mauritania")
        )
        says = {d for d in set(q.all.docs(searcher)) if "auritania" in body(searcher, d)}
        assert says  # Whoosh's AndNot lets them through (if this fails, it no longer does)
        matched = matching_docs(searcher, q.all, float("inf"))
        assert matched
        assert not {d for d in matched if "auritania" in body(searcher, d)}


def body(searcher: Any, docnum: int) -> str:
    return str(searcher.stored_fields(docnum).get("body", ""))


def counted_one_by_one(snapshot: Snapshot, docs: set[int]) -> dict[str, Any]:
    """The facets as they were counted before the arrays: metadata, hit by hit."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for docnum in docs:
        meta = snapshot.metas[docnum]
        counts["type"][meta.kind] += 1
        counts["year"].update(str(y) for y in meta.years)
        counts["actor"].update(meta.actors)
        if meta.section:
            counts["section"][meta.section] += 1
    return {
        name: tuple(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) for name, c in counts.items()
    }


@pytest.mark.parametrize("every", [1, 2, 7])
def test_facets_from_arrays_count_as_the_metadata_does(mali_index: SearchIndex, every: int) -> None:
    snapshot = mali_index._current()
    docs = set(range(0, len(snapshot.metas), every))
    arrays = FacetArrays(snapshot.metas)
    assert arrays.count(docs, float("inf")) == counted_one_by_one(snapshot, docs)
