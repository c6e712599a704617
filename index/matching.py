"""Which documents match, and the best k of them: the two halves of a search, apart.

Counting every hit (for `totalCount` and the facets) does not need a score, and scoring
does not need every hit. So the set of matching documents is computed from the postings
as sets (a term's documents read block by block, and combined with set operations: C
loops, no matcher per document); and only the page's worth of the best ones is scored, by
Whoosh's top-k collector, which skips the blocks that cannot reach the page (block quality).
Both check the request's deadline as they go.
"""

from __future__ import annotations

import heapq
import time
import weakref
from typing import Any

from whoosh import collectors
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching import (
    AndNotMatcher,
    ConstantScoreWrapperMatcher,
    IntersectionMatcher,
    ListMatcher,
    NullMatcherClass,
    UnionMatcher,
    WrappingMatcher,
)
from whoosh.scoring import WeightLengthScorer
from whoosh.util.numeric import byte_to_length

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
    return int(_has_phrase(q))


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
    first; ties in index order, as a full ranking would put them.

    When `allowed` is known and the query is made of terms (no phrases), every allowed
    document is scored from the postings directly, in the order and with the arithmetic of
    Whoosh's own matcher tree (the same floats), and the k best taken with a heap. Else
    Whoosh's top-k collector ranks them."""
    if k <= 0:
        return []
    if allowed is not None and not _has_phrase(q):
        scored = _scores(searcher, q, allowed, deadline)
        if scored is not None:
            return heapq.nsmallest(k, ((s, d) for d, s in scored.items()), key=_rank)
    collector = _TopK(k, allowed, deadline)
    try:
        searcher.search_with_collector(q, collector)
    except collectors.TimeLimit:
        raise OutOfTime from None
    top = [(score, docnum) for score, docnum in collector.results().top_n]
    top.sort(key=_rank)
    return top


def _has_phrase(q: Any) -> bool:
    """Phrases have span matchers the direct scoring does not know: building the tree only
    to find one would build it twice."""
    return isinstance(q, wq.Phrase) or any(isinstance(leaf, wq.Phrase) for leaf in q.leaves())


def _rank(hit: tuple[float, int]) -> tuple[float, int]:
    return (-hit[0], hit[1])


class _Unsupported(Exception):
    """A matcher the direct scoring does not know: let Whoosh's collector rank."""


def _scores(searcher: Any, q: Any, allowed: set[int], deadline: float) -> dict[int, float] | None:
    out: dict[int, float] = {}
    try:
        for sub, offset in searcher.leaf_searchers():
            local = {d - offset for d in allowed} if offset else allowed
            found = _matcher_scores(q.matcher(sub), local, deadline, _Lengths.of(sub.reader()))
            out.update(found if offset == 0 else {d + offset: s for d, s in found.items()})
    except _Unsupported:
        return None
    return out


def _matcher_scores(
    m: Any, allowed: set[int], deadline: float, lengths: _Lengths
) -> dict[int, float]:
    """docnum -> m.score() at that document, for the allowed documents m matches."""
    if time.monotonic() > deadline:
        raise OutOfTime
    kind = type(m)
    if kind is W3LeafMatcher:
        return _leaf_scores(m, allowed, lengths)
    if kind is ListMatcher:  # a term in one document, its posting inlined
        out = {}
        while m.is_active():
            if m.id() in allowed:
                out[m.id()] = m.score()
            m.next()
        return out
    if kind is UnionMatcher:
        a = _matcher_scores(m.a, allowed, deadline, lengths)
        b = _matcher_scores(m.b, allowed, deadline, lengths)
        union = dict(a)
        for d, s in b.items():
            union[d] = a[d] + s if d in a else s
        return union
    if kind is IntersectionMatcher:
        a = _matcher_scores(m.a, allowed, deadline, lengths)
        b = _matcher_scores(m.b, allowed, deadline, lengths)
        return {d: s + b[d] for d, s in a.items() if d in b}
    if kind is AndNotMatcher:  # the allowed documents already leave out m.b's
        return _matcher_scores(m.a, allowed, deadline, lengths)
    if kind is WrappingMatcher:
        boost = m.boost
        return {
            d: s * boost for d, s in _matcher_scores(m.child, allowed, deadline, lengths).items()
        }
    if kind is ConstantScoreWrapperMatcher:
        return dict.fromkeys(_matcher_scores(m.child, allowed, deadline, lengths), m._score)
    if kind is NullMatcherClass:
        return {}
    raise _Unsupported(kind.__name__)


def _leaf_scores(m: Any, allowed: set[int], lengths: _Lengths) -> dict[int, float]:
    scorer = m.scorer
    if not isinstance(scorer, WeightLengthScorer):
        raise _Unsupported(type(scorer).__name__)
    # What scorer.score(m) computes at each posting, a block of ids and weights at a time.
    score = scorer._score
    length = lengths.field(m.term()[0]).__getitem__
    out: dict[int, float] = {}
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        if m._weights is None:
            m._read_weights()
        start = m._i
        for d, w in zip(m._ids[start:], m._weights[start:], strict=True):
            if d in allowed:
                out[d] = score(w, length(d))
        m._next_block()
    return out


class _Lengths:
    """A segment's field lengths, as the scorer reads them (doc_field_length), decoded
    once per reader into a list: a column read per posting was a third of the scoring."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.fields: dict[str, list[Any]] = {}

    @classmethod
    def of(cls, reader: Any) -> _Lengths:
        found = _BY_READER.get(reader)
        if found is None:
            found = _BY_READER[reader] = cls(reader)
        return found

    def field(self, name: str) -> list[Any]:
        found = self.fields.get(name)
        if found is None:
            column = self.reader._perdoc._cached_reader(f"_{name}_len", LENGTHS_COLUMN)
            count = self.reader.doc_count_all()
            if column is None:
                raise _Unsupported(name)
            table = _LENGTH_OF_BYTE
            found = self.fields[name] = [table[column[d]] for d in range(count)]
        return found


_BY_READER: weakref.WeakKeyDictionary[Any, _Lengths] = weakref.WeakKeyDictionary()
_LENGTH_OF_BYTE = [byte_to_length(b) if b else None for b in range(256)]


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
