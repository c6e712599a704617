"""A name many entities share (one actor per crisis, all "Amnesty International") widens a
query by a bounded number of other names, each searched once."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from whoosh import query as wq

from index.plan import MAX_NAMES_IN_ALL, Planner
from index.query import parse
from index.search import SearchIndex
from index.snapshot import Entity


def phrases(q: object) -> list[object]:
    return [leaf for leaf in q.leaves() if isinstance(leaf, wq.Phrase)]  # type: ignore[attr-defined]


def test_shared_names_widen_a_query_by_a_bounded_number_of_phrases(
    small_index: SearchIndex,
) -> None:
    real = small_index._current()
    same = [Entity(f"actor:c{i}:amnesty", ("Amnesty", "Amnesty International")) for i in range(100)]
    apart = [Entity(f"actor:c{i}:tuareg", ("Tuareg", f"Kel Tamasheq{i}")) for i in range(100)]
    snapshot: Any = SimpleNamespace(
        entities_by_name={"amnesty": tuple(same), "tuareg": tuple(apart)},
        vocabulary=real.vocabulary,
        sections=real.sections,
    )
    with real.searcher() as searcher:
        shared = Planner(snapshot, searcher.reader()).plan(parse("amnesty"))
        distinct = Planner(snapshot, searcher.reader()).plan(parse("tuareg"))
    shared, distinct = shared.all, distinct.all
    fields = 3  # a phrase is searched in title, aliases and body
    assert len(phrases(shared)) == fields  # "amnesty international" once, not 100 times
    assert len(phrases(distinct)) == MAX_NAMES_IN_ALL * fields
    # every entity is still found by its uid
    uids = {leaf.text for leaf in distinct.leaves() if getattr(leaf, "fieldname", "") == "uid"}
    assert len(uids) == 100
