"""Which documents match, and the best k of them: the two halves of a search, apart.

Counting every hit (for `totalCount` and the facets) does not need a score, and scoring
does not need every hit. So the set of matching documents is computed from the postings
as sets (a term's documents read block by block, and combined with set operations: C
loops, no matcher per document); and only the page's worth of the best ones is scored, by
Whoosh's top-k collector, which skips the blocks that cannot reach the page (block quality).
Both check the request's deadline as they go.
"""

from __future__ import annotations

import time
from typing import Any

from whoosh import collectors
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher

CHECK_EVERY = 256  # documents collected between two readings of the clock


class OutOfTime(Exception):
    """The deadline passed while matching or ranking."""


def matching_docs(searcher: Any, q: Any, deadline: float) -> set[int]:
    """The documents `q` matches (exactly those Whoosh's own matcher yields)."""
    found: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        local = _docs(sub, q, deadline)
        found.update(local if offset == 0 else (d + offset for d in local))
    return found


def _docs(searcher: Any, q: Any, deadline: float) -> set[int]:
    if time.monotonic() > deadline:
        raise OutOfTime
    kind = type(q)
    if kind is wq.Term or (isinstance(q, wq.Term) and kind.matcher is wq.Term.matcher):
        return _term_docs(searcher, q)
    if isinstance(q, wq.ConstantScoreQuery):
        return _docs(searcher, q.child, deadline)
    if isinstance(q, wq.And):
        found: set[int] | None = None
        for child in sorted(q.subqueries, key=_cheap_first):
            docs = _docs(searcher, child, deadline)
            found = docs if found is None else found & docs
            if not found:
                return set()
        return found or set()
    if isinstance(q, wq.Or) and type(q).matcher is wq.Or.matcher and not q.minmatch:
        union: set[int] = set()
        for child in q.subqueries:
            union |= _docs(searcher, child, deadline)
        return union
    if isinstance(q, wq.AndNot):
        positive = _docs(searcher, q.a, deadline)
        return positive - _docs(searcher, q.b, deadline) if positive else positive
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return set()
    # Anything else (phrases): Whoosh's own matcher, one document at a time.
    return _matcher_docs(q.matcher(searcher), deadline)


def _cheap_first(q: Any) -> int:
    """Phrases last: an empty intersection before them skips their slow matcher."""
    return int(isinstance(q, wq.Phrase) or any(isinstance(s, wq.Phrase) for s in q.leaves()))


def _term_docs(searcher: Any, q: Any) -> set[int]:
    matcher = q.matcher(searcher)
    if type(matcher) is not W3LeafMatcher:
        return _matcher_docs(matcher, float("inf"))
    # A term's postings, a block at a time: the block's id array in one C call. (Whoosh's
    # own all_ids() steps through is_active/id/next per posting.) whoosh-reloaded is pinned
    # exactly; tests/index/test_matching.py compares this with all_ids().
    found: set[int] = set()
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        found.update(matcher._ids[matcher._i :])
        matcher._next_block()
    return found


def _matcher_docs(matcher: Any, deadline: float) -> set[int]:
    found: set[int] = set()
    for count, docnum in enumerate(matcher.all_ids()):
        if count % CHECK_EVERY == 0 and time.monotonic() > deadline:
            raise OutOfTime
        found.add(docnum)
    return found


def best_docs(
    searcher: Any, q: Any, k: int, allowed: set[int] | None, deadline: float
) -> list[tuple[float, int]]:
    """The k best (score, docnum) among the matches in `allowed` (all when None), best
    first; ties in index order, as a full ranking would put them."""
    if k <= 0:
        return []
    collector = _TopK(k, allowed, deadline)
    try:
        searcher.search_with_collector(q, collector)
    except collectors.TimeLimit:
        raise OutOfTime from None
    top = [(score, docnum) for score, docnum in collector.results().top_n]
    top.sort(key=lambda hit: (-hit[0], hit[1]))
    return top


class _TopK(collectors.TopCollector):  # type: ignore[misc]
    """Whoosh's top-k collector (block-quality skipping included), with the filter and the
    deadline applied as it goes. Whoosh's TimeLimitCollector starts a timer thread per
    search; reading the clock every few hundred documents bounds the work as well."""

    def __init__(self, limit: int, allowed: set[int] | None, deadline: float) -> None:
        super().__init__(limit=limit)
        self.allowed = allowed
        self.deadline = deadline

    def collect_matches(self) -> None:
        allowed, offset, collect = self.allowed, self.offset, self.collect
        deadline = self.deadline
        for count, sub_docnum in enumerate(self.matches()):
            if count % CHECK_EVERY == 0 and time.monotonic() > deadline:
                raise collectors.TimeLimit
            if allowed is None or offset + sub_docnum in allowed:
                collect(sub_docnum)
