"""Every document a query matches, with the score Whoosh would give it, as arrays.

A query tree from index/plan.py is evaluated bottom up over the postings of
index/postings.py: a word's documents and scores are two arrays read once per process, a
union or an intersection is a merge of sorted arrays, an exclusion a set difference. Only
phrases go through Whoosh's own matcher (they need positions), one document at a time.

The scores are Whoosh's to the last bit: its matchers add children's scores along a
Huffman-like tree ordered by estimated size (whoosh.util.make_weighted_tree), and float
addition is not associative, so the same tree is built here from the same estimates.
Equal scores then tie in document order, as a full Whoosh ranking puts them. Counting
`totalCount` and the facets reads the same arrays, so nothing is matched twice.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from whoosh import query as wq

from index.postings import Postings, Terms

CHECK_EVERY = 256  # phrase matches collected between two readings of the clock

_EMPTY = Postings(np.empty(0, np.int32), np.empty(0, np.float64))


class OutOfTime(Exception):
    """The deadline passed while matching."""


class Evaluation:
    """One query's evaluation: the postings of one thread, its searcher (for phrases),
    the deadline."""

    def __init__(self, terms: Terms, searcher: Any, deadline: float) -> None:
        self.terms = terms
        self.searcher = searcher
        self.deadline = deadline
        self._estimates: dict[int, int] = {}

    def matches(self, q: Any) -> Postings:
        """The documents `q` matches, ascending, and the score Whoosh gives each."""
        if time.monotonic() > self.deadline:
            raise OutOfTime
        kind = type(q)
        if isinstance(q, wq.Term) and kind.matcher is wq.Term.matcher:
            found = self.terms.get(q.fieldname, q.text)
            if found is None:
                return _EMPTY
            # WrappingMatcher's score: the child's times the boost.
            return found if q.boost == 1.0 else Postings(found.docs, found.scores * q.boost)
        if kind is wq.ConstantScoreQuery:
            docs = self.matches(q.child).docs
            return Postings(docs, np.full(len(docs), q.score, dtype=np.float64))
        if kind is wq.And:
            return self._compound(q, _intersection, lambda sub: 0 - self.estimate(sub))
        if isinstance(q, wq.Or) and _is_union_tree(q):
            return self._compound(q, _union, self.estimate)
        if kind is wq.AndNot:
            kept = self.matches(q.a)
            if not len(kept.docs):
                return kept
            # Sets, not Whoosh's AndNotMatcher: that one lets through documents an
            # exclusion with a phrase matches.
            out = ~np.isin(kept.docs, self.matches(q.b).docs, assume_unique=True)
            return Postings(kept.docs[out], kept.scores[out])
        if q is wq.NullQuery:
            return _EMPTY
        if kind is wq.Phrase:
            return self._phrase(q)
        raise TypeError(f"index.plan does not make {kind.__name__} queries")

    def estimate(self, q: Any) -> int:
        """Query.estimate_size, the weight Whoosh orders a compound's children by."""
        key = id(q)
        found = self._estimates.get(key)
        if found is None:
            found = self._estimates[key] = self._estimate(q)
        return found

    def _estimate(self, q: Any) -> int:
        kind = type(q)
        if isinstance(q, wq.Term):
            return self.terms.doc_frequency(q.fieldname, q.text)
        if kind is wq.Phrase:  # estimated as the AND of its words
            return min(self.terms.count(q.fieldname, w) for w in q.words)
        if kind is wq.And:
            return min(self.estimate(sub) for sub in q.subqueries)
        if kind is wq.ConstantScoreQuery:
            return self.estimate(q.child)
        if q is wq.NullQuery:
            return 0
        subs = (q.a, q.b) if kind is wq.AndNot else q.subqueries
        return min(sum(self.estimate(sub) for sub in subs), self.terms.cache.doc_count)

    def _compound(
        self,
        q: Any,
        combine: Callable[[Postings, Postings], Postings],
        weight: Callable[[Any], int],
    ) -> Postings:
        """CompoundQuery.matcher and _tree_matcher: one child stands for the whole (its
        boost is dropped, as Whoosh drops it); several combine along the weighted tree."""
        subs: Sequence[Any] = q.subqueries
        if not subs:
            return _EMPTY
        if len(subs) == 1:
            return self.matches(subs[0])
        # make_weighted_tree: a stable sort by weight (Whoosh's matchers never compare
        # less than one another), then the two lightest combined and put back after
        # those of the same weight, until one is left.
        items = sorted(((weight(sub), i) for i, sub in enumerate(subs)), key=lambda it: it[0])
        values: list[Postings] = [self.matches(subs[i]) for _, i in items]
        weights = [w for w, _ in items]
        while len(values) > 1:
            a, b = values.pop(0), values.pop(0)
            wa, wb = weights.pop(0), weights.pop(0)
            at = bisect.bisect_right(weights, wa + wb)
            weights.insert(at, wa + wb)
            values.insert(at, combine(a, b))
        found = values[0]
        if q.boost != 1.0:
            found = Postings(found.docs, found.scores * q.boost)
        return found

    def _phrase(self, q: Any) -> Postings:
        """Whoosh's phrase matcher (it reads positions), remembered with the postings:
        alias expansions search the same names' phrases query after query."""
        key = ("phrase", q.fieldname, tuple(q.words), q.slop, q.boost)
        found = self.terms.cache.recall(key)
        if found is None:
            found = self._phrase_matches(q)
            self.terms.cache.remember(key, found)
        return found

    def _phrase_matches(self, q: Any) -> Postings:
        docs: list[int] = []
        scores: list[float] = []
        for searcher, base in self.searcher.leaf_searchers():
            matcher = q.matcher(searcher)
            while matcher.is_active():
                if len(docs) % CHECK_EVERY == 0 and time.monotonic() > self.deadline:
                    raise OutOfTime
                docs.append(base + matcher.id())
                scores.append(matcher.score())
                matcher.next()
        if not docs:
            return _EMPTY
        return Postings(np.array(docs, dtype=np.int32), np.array(scores, dtype=np.float64))


def _is_union_tree(q: Any) -> bool:
    """An Or that Whoosh matches with its binary tree of unions (index/plan.py's _Or)."""
    return bool(q.matcher_type == wq.Or.DEFAULT_MATCHER and not q.minmatch and not q.scale)


def _union(a: Postings, b: Postings) -> Postings:
    """UnionMatcher: a document in both scores a + b."""
    if not len(a.docs):
        return b
    if not len(b.docs):
        return a
    # Both ascending: sorted together, then each document once.
    docs = np.concatenate((a.docs, b.docs))
    docs.sort(kind="stable")
    if len(docs) > 1:
        docs = docs[np.concatenate(([True], docs[1:] != docs[:-1]))]
    scores = np.zeros(len(docs), dtype=np.float64)
    scores[np.searchsorted(docs, a.docs)] = a.scores
    scores[np.searchsorted(docs, b.docs)] += b.scores
    return Postings(docs, scores)


def _intersection(a: Postings, b: Postings) -> Postings:
    """IntersectionMatcher: a + b, in documents in both."""
    if not len(a.docs) or not len(b.docs):
        return _EMPTY
    docs, in_a, in_b = np.intersect1d(a.docs, b.docs, assume_unique=True, return_indices=True)
    return Postings(docs, a.scores[in_a] + b.scores[in_b])


def best(found: Postings, k: int) -> Postings:
    """The k best of `found`, best first; equal scores in document order."""
    count = len(found.docs)
    if k <= 0 or not count:
        return _EMPTY
    negated = -found.scores
    if k < count:
        # Every document that can be among the k best (ties at the k-th included).
        kth = np.partition(negated, k - 1)[k - 1]
        among = np.flatnonzero(negated <= kth)
    else:
        among = np.arange(count)
    order = among[np.lexsort((found.docs[among], negated[among]))][:k]
    return Postings(found.docs[order], found.scores[order])
