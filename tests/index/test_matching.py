"""The arrays (index/matching.py, index/facets.py) give exactly what Whoosh's matchers, its
full ranking and a count over every hit's metadata give: the same documents, the same
scores to the last bit, the same order."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import query as wq
from whoosh.index import create_in
from whoosh.scoring import BM25F

from data.repository import Repository
from index.documents import documents
from index.facets import FacetArrays
from index.matching import Evaluation, OutOfTime, best
from index.plan import Planner
from index.postings import PostingCache
from index.query import parse
from index.schema import build_schema
from index.search import SearchIndex
from index.snapshot import Snapshot
from tests.index.reference import counted_one_by_one, full_ranking, whooshs_matches
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
    "displac* women",
    "Mali AND (France OR Algeria) -coup",
    "type:event ceasefire",
    "Ouagadugu accord",
    "MINUSMA peacekeepers",
    "Keita IBK Mali",
    '"Ansar Dine" OR "Ansar Eddine"',
]


def plans(snapshot: Snapshot, searcher: Any, evaluation: Evaluation) -> list[Any]:
    out = []
    for text in [q for q, _ in QUERIES] + EXTRA:
        plan = Planner(snapshot, evaluation.terms).plan(parse(text))
        out += [q for q in (plan.all, plan.any) if q is not None]
    return out


def evaluation(index: SearchIndex, searcher: Any, deadline: float = float("inf")) -> Evaluation:
    terms = index._shared(index._current(), searcher)[0].terms(searcher.reader())
    return Evaluation(terms, searcher, deadline)


def test_matches_and_scores_are_whooshs_own(mali_index: SearchIndex) -> None:
    snapshot = mali_index._current()
    compared = 0
    with snapshot.searcher() as searcher:
        ev = evaluation(mali_index, searcher)
        for q in plans(snapshot, searcher, ev):
            expected = whooshs_matches(searcher, q)
            found = ev.matches(q)
            assert set(found.docs.tolist()) == expected, q
            assert list(found.docs) == sorted(expected), q
            ranked = [hit for hit in full_ranking(searcher, q) if hit[1] in expected]
            # The very same doubles, not merely close ones: ties then fall alike.
            scores = dict(zip(found.docs.tolist(), found.scores.tolist(), strict=True))
            assert {d: s for s, d in ranked} == scores, q
            for k in (1, 10, 45):
                top = best(found, k)
                assert list(zip(top.scores.tolist(), top.docs.tolist(), strict=True)) == ranked[:k]
            compared += bool(ranked)
    assert compared >= 80


def test_estimates_are_whooshs_own(mali_index: SearchIndex) -> None:
    """The sizes the sum order hangs on, for every part of every query."""
    snapshot = mali_index._current()
    with snapshot.searcher() as searcher:
        ev = evaluation(mali_index, searcher)
        reader = searcher.reader()
        parts = [part for q in plans(snapshot, searcher, ev) for part in every_part(q)]
        assert any(isinstance(p, wq.Phrase) for p in parts)
        for part in parts:
            assert ev.estimate(part) == part.estimate_size(reader), part


def test_ties_fall_in_document_order() -> None:
    from index.postings import Postings

    found = Postings(np.array([2, 3, 5, 8, 9], dtype=np.int32), np.array([1.0, 2.0, 1.0, 2.0, 1.0]))
    assert best(found, 3).docs.tolist() == [3, 8, 2]
    assert best(found, 10).docs.tolist() == [3, 8, 2, 5, 9]
    assert best(found, 0).docs.tolist() == []


def test_an_exclusion_by_alias_excludes(mali_index: SearchIndex) -> None:
    snapshot = mali_index._current()
    with snapshot.searcher() as searcher:
        ev = evaluation(mali_index, searcher)
        q = Planner(snapshot, ev.terms).plan(parse("refugees -Mauritania"))
        says = {d for d in set(q.all.docs(searcher)) if "auritania" in body(searcher, d)}
        assert says  # Whoosh's AndNot lets them through (if this fails, it no longer does)
        matched = ev.matches(q.all).docs.tolist()
        assert matched
        assert not {d for d in matched if "auritania" in body(searcher, d)}


def test_matching_stops_at_the_deadline(mali_index: SearchIndex) -> None:
    snapshot = mali_index._current()
    with snapshot.searcher() as searcher:
        ev = evaluation(mali_index, searcher, deadline=0.0)
        for q in (wq.Term("body", "mali"), wq.Phrase("body", ["peac", "agreement"])):
            with pytest.raises(OutOfTime):
                ev.matches(q)


def every_part(q: Any) -> list[Any]:
    return [q, *(part for child in q.children() for part in every_part(child))]


def body(searcher: Any, docnum: int) -> str:
    return str(searcher.stored_fields(docnum).get("body", ""))


@pytest.mark.parametrize("every", [1, 2, 7])
def test_facets_from_arrays_count_as_the_metadata_does(mali_index: SearchIndex, every: int) -> None:
    snapshot = mali_index._current()
    docs = np.arange(0, len(snapshot.metas), every, dtype=np.int32)
    arrays = FacetArrays(snapshot.metas)
    counted = counted_one_by_one(snapshot, set(docs.tolist()))
    sizes = {name: len(values) for name, values in counted.items()}
    assert arrays.count(docs, float("inf")) == (counted, sizes)
    assert all(counted.values())
    for limit in (0, 1, 3, 40):  # the first few picked without sorting them all
        firsts = {name: values[:limit] for name, values in counted.items()}
        assert arrays.count(docs, float("inf"), limit) == (firsts, sizes)


def test_facets_of_no_hits_are_empty(mali_index: SearchIndex) -> None:
    arrays = FacetArrays(mali_index._current().metas)
    nothing = {"type": (), "year": (), "actor": (), "section": ()}
    sizes = dict.fromkeys(nothing, 0)
    assert arrays.count(np.empty(0, dtype=np.int32), float("inf")) == (nothing, sizes)
    assert arrays.count(np.empty(0, dtype=np.int32), float("inf"), 5) == (nothing, sizes)


def test_an_index_of_several_segments_scores_as_whoosh_does(
    small_repo: Repository, small_index: SearchIndex, tmp_path: Path
) -> None:
    """Builds merge into one segment; should one ever leave several, each is read at its
    document offset, and scored with the index's idf and average lengths, as Whoosh does."""
    whoosh_index = create_in(str(tmp_path), build_schema())
    docs = list(documents(small_repo))
    for batch in (docs[: len(docs) // 3], docs[len(docs) // 3 :]):
        writer = whoosh_index.writer()
        for fields in batch:
            fields.pop("spelling", None)  # the build writes it to a file of its own
            writer.add_document(**fields)
        writer.commit(merge=False)
    snapshot = small_index._current()  # the same store: the same names to plan with
    compared = 0
    with whoosh_index.searcher(weighting=BM25F()) as searcher:
        assert len(searcher.reader().leaf_readers()) == 2
        terms = PostingCache(searcher.reader(), searcher.weighting).terms(searcher.reader())
        ev = Evaluation(terms, searcher, float("inf"))
        queries = [q for q in EXTRA if "section:" not in q]
        for text in [*queries, "Mali", "IBK", "child soldiers", '"peace enforcement"', "displac*"]:
            plan = Planner(snapshot, terms).plan(parse(text))
            for q in (q for q in (plan.all, plan.any) if q is not None):
                expected = whooshs_matches(searcher, q)
                found = ev.matches(q)
                ranked = [hit for hit in full_ranking(searcher, q) if hit[1] in expected]
                # Whoosh orders each segment's sums by that segment's sizes, the arrays by
                # the whole index's: a score can differ in its last bit, no more.
                assert found.docs.tolist() == sorted(expected), q
                scores = dict(zip(found.docs.tolist(), found.scores.tolist(), strict=True))
                for score, docnum in ranked:
                    assert math.isclose(scores[docnum], score, rel_tol=1e-12), q
                compared += bool(ranked)
    assert compared >= 10
