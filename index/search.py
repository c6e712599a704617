"""Read-only search over a published index: the only module request code imports.

A SearchIndex is opened once per process. Each thread gets its own Whoosh
searcher (one shared across threads gives zlib and CorruptIndex errors:
index/README.md, "Threads") and reopens it only when a new snapshot of the same store
is published. Every query is bounded: its length and clauses by the parser,
prefix and alias expansions by the planner, and its run time here.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from data.dates import PartialDate
from index.facets import FACETS
from index.facets import OutOfTime as FacetsOutOfTime
from index.highlight import Highlighter
from index.layout import IndexDir, SnapshotInfo
from index.matching import Evaluation, best
from index.matching import OutOfTime as MatchingOutOfTime
from index.plan import Plan, Planner, apply_corrections
from index.postings import PostingCache, Postings, Terms
from index.query import QuerySyntaxError, parse
from index.schema import KINDS, DocMeta
from index.snapshot import Snapshot, SnapshotError
from settings import SEARCH_MAX_LIMIT as MAX_LIMIT
from settings import SEARCH_SECONDS

__all__ = ["Hit", "QuerySyntaxError", "QueryTooExpensive", "SearchIndex", "SearchPage"]

log = logging.getLogger(__name__)


class QueryTooExpensive(QuerySyntaxError):
    """The query ran out of time; narrower words or a phrase will do."""


@dataclass(frozen=True)
class Hit:
    kind: str  # one of index.schema.KINDS: "passage", "actor", ...
    key: tuple[str, str]  # (crisis, id): Repository.get(kind, key)
    score: float
    # (field, fragment): field is "title", "aliases" or "body"; the fragment is
    # HTML-escaped with each matched word in <mark>…</mark>.
    highlights: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SearchPage:
    total: int  # hits after filters, over all pages
    hits: tuple[Hit, ...]
    # Over all `total` hits, each (value, count) by count then value:
    #   "type": "passage", "actor", ...; "year": "2013", ... (a hit counts once in
    #   every year its dates touch); "actor": "crisis/slug" of the actors a hit
    #   is tied to; "section": passage sections.
    facets: dict[str, tuple[tuple[str, int], ...]]  # the first `facet_limit` of each
    suggestion: str | None  # the query with unknown words corrected, if any were
    corrected: bool  # the hits are for `suggestion`: the query as typed found nothing
    mode: str  # "ALL": every word required; "ANY": none matched all, so any word
    facet_sizes: dict[str, int]  # how many values each facet has over all `total` hits


class SearchIndex:
    def __init__(
        self, index_dir: Path, *, digest: str | None = None, snapshot: Snapshot | None = None
    ) -> None:
        """Serve the snapshot published in `index_dir` (or the one given).

        With `digest`, only snapshots built from that store are ever served, so
        hits always name records the caller's Repository holds.
        """
        self._dir = IndexDir(index_dir)
        self._digest = digest
        self._lock = threading.Lock()
        self._local = threading.local()
        self._retired: list[Snapshot] = []  # kept open: other threads may still read them
        self._rejected: set[Path] = set()
        self._cache: tuple[Snapshot, PostingCache, Highlighter] | None = None
        if snapshot is None:
            current = self._dir.current()
            if current is None:
                raise SnapshotError(f"no index has been built in {index_dir}")
            snapshot = self._open(current)
        self._snapshot = snapshot

    @property
    def info(self) -> SnapshotInfo:
        """What the served snapshot was built from (digest, counts, build time)."""
        return self._current().info

    @property
    def location(self) -> Path:
        """The directory of the snapshot being served."""
        return self._current().path

    def search(
        self,
        query: str,
        *,
        types: frozenset[str] | None = None,
        crisis: str | None = None,
        date_from: PartialDate | None = None,
        date_to: PartialDate | None = None,
        offset: int = 0,
        limit: int = 10,
        deadline: float | None = None,
        highlight: bool = True,
        facet_limit: int | None = None,
    ) -> SearchPage:
        """Rank every document against `query`; raise QuerySyntaxError if it is malformed.

        Tries, in order, until one finds something: the query with all words
        required; the corrected query (if a word is unknown); any word of the
        (corrected) query.

        `deadline` (a time.monotonic() value) ends the search earlier than its own
        SEARCH_SECONDS, with QueryTooExpensive: the caller's request may have less left.

        Every match is scored, as arrays (index/matching.py), but only the page's are
        sorted and highlighted; without `highlight`, hits come without highlights. Each
        facet lists its `facet_limit` most frequent values (all of them with None): a
        broad query at a hundred crises ties its hits to thousands of actors.
        """
        if offset < 0 or not 0 <= limit <= MAX_LIMIT:
            raise ValueError(f"offset must be >= 0 and limit 0..{MAX_LIMIT}")
        if facet_limit is not None and facet_limit < 0:
            raise ValueError("facet_limit must be >= 0")
        if types is not None and not types <= set(KINDS):
            raise ValueError(f"unknown types {sorted(types - set(KINDS))}: use {KINDS}")
        own = time.monotonic() + SEARCH_SECONDS
        deadline = own if deadline is None else min(deadline, own)
        tree = parse(query)
        snapshot, searcher, terms, highlighter = self._thread_state()
        plan = Planner(snapshot, terms).plan(tree)
        suggestion = apply_corrections(query, plan.corrections) if plan.corrections else None
        fixed: Plan | None = None
        if suggestion is not None:
            try:
                fixed = Planner(snapshot, terms).plan(parse(suggestion))
            except QuerySyntaxError:  # a correction pushed it past a limit: offer none
                suggestion = None

        keep = _Keep.of(types, crisis, date_from, date_to)
        attempts: list[tuple[Any, str, Plan]] = [(plan.all, "ALL", plan)]
        if fixed is not None:
            attempts.append((fixed.all, "ALL", fixed))
        fallback = fixed if fixed is not None and fixed.any is not None else plan
        if fallback.any is not None:
            attempts.append((fallback.any, "ANY", fallback))
        evaluation = Evaluation(terms, searcher, deadline)
        found = None
        try:
            for q, mode, plan_used in attempts:
                matched = evaluation.matches(q)
                if keep is not None and len(matched.docs):
                    metas = snapshot.metas
                    kept = np.fromiter(
                        (keep(metas[d]) for d in matched.docs.tolist()), bool, len(matched.docs)
                    )
                    matched = Postings(matched.docs[kept], matched.scores[kept])
                if len(matched.docs):
                    found = matched, mode, plan_used
                    break
            if found is None:
                return SearchPage(
                    0,
                    (),
                    dict.fromkeys(FACETS, ()),
                    suggestion,
                    False,
                    "ALL",
                    dict.fromkeys(FACETS, 0),
                )
            matched, mode, used = found
            ranked = best(matched, offset + limit)
            facets, sizes = snapshot.facets.count(matched.docs, deadline, facet_limit)
        except (MatchingOutOfTime, FacetsOutOfTime):
            raise _too_expensive() from None

        hits = []
        metas = snapshot.metas
        page = zip(ranked.docs[offset:].tolist(), ranked.scores[offset:].tolist(), strict=True)
        for docnum, score in page:
            _check(deadline)  # a hit's text may have to be read to mark the words
            marked = (
                highlighter.highlights(docnum, searcher.stored_fields, used.terms, used.phrases)
                if highlight
                else ()
            )
            hits.append(Hit(metas[docnum].kind, metas[docnum].key, score, marked))
        total = len(matched.docs)
        return SearchPage(total, tuple(hits), facets, suggestion, used is fixed, mode, sizes)

    def close(self) -> None:
        """Close this thread's searcher and release every snapshot (end of process)."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
            self._local.__dict__.clear()
        for snapshot in (*self._retired, self._snapshot):
            snapshot.close()

    # -- snapshots and threads ---------------------------------------------------

    def _thread_state(self) -> tuple[Snapshot, Any, Terms, Highlighter]:
        snapshot = self._current()
        local = self._local
        if getattr(local, "snapshot", None) is not snapshot:
            if getattr(local, "searcher", None) is not None:
                local.searcher.close()
            local.searcher = snapshot.searcher()
            local.snapshot = snapshot
            postings, local.highlighter = self._shared(snapshot, local.searcher)
            local.terms = postings.terms(local.searcher.reader())
        return snapshot, local.searcher, local.terms, local.highlighter

    def _shared(self, snapshot: Snapshot, searcher: Any) -> tuple[PostingCache, Highlighter]:
        """The postings and texts read from `snapshot`, shared by every thread serving it."""
        shared = self._cache
        if shared is None or shared[0] is not snapshot:
            with self._lock:
                if self._cache is None or self._cache[0] is not snapshot:
                    postings = PostingCache(searcher.reader(), searcher.weighting)
                    self._cache = (snapshot, postings, Highlighter())
                shared = self._cache
        return shared[1], shared[2]

    def _current(self) -> Snapshot:
        """The snapshot to serve: switch when a new one of the same store is published."""
        path = self._dir.current()  # one readlink: cheap enough for every query
        if path is None or path == self._snapshot.path or path in self._rejected:
            return self._snapshot
        with self._lock:
            if path != self._snapshot.path and path not in self._rejected:
                try:
                    fresh = self._open(path)
                except SnapshotError as error:
                    log.warning("not switching to %s: %s", path, error)
                    self._rejected.add(path)
                else:
                    self._retired.append(self._snapshot)
                    self._snapshot = fresh
            return self._snapshot

    def _open(self, path: Path) -> Snapshot:
        if self._digest is not None:
            try:
                built_from = SnapshotInfo.read(path).digest
            except (OSError, ValueError, TypeError) as error:
                raise SnapshotError(f"{path}: {error}") from error
            if built_from != self._digest:
                raise SnapshotError(f"{path} was built from another version of the store")
        return Snapshot.open(path)


@dataclass(frozen=True)
class _Keep:
    """The filters, as a test on a document's metadata."""

    types: frozenset[str] | None
    crisis: str | None
    first: int | None  # day ordinals, inclusive
    last: int | None

    @classmethod
    def of(
        cls,
        types: frozenset[str] | None,
        crisis: str | None,
        date_from: PartialDate | None,
        date_to: PartialDate | None,
    ) -> _Keep | None:
        if types is None and crisis is None and date_from is None and date_to is None:
            return None
        return cls(
            types,
            crisis,
            date_from.first_day.toordinal() if date_from else None,
            date_to.last_day.toordinal() if date_to else None,
        )

    def __call__(self, meta: DocMeta) -> bool:
        if self.types is not None and meta.kind not in self.types:
            return False
        if self.crisis is not None and meta.crisis != self.crisis:
            return False
        if self.first is None and self.last is None:
            return True
        # Overlap with any of the dates the hit is tied to; undated hits fail.
        return any(
            (self.last is None or start <= self.last) and (self.first is None or end >= self.first)
            for start, end in meta.ranges
        )


def _check(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise _too_expensive()


def _too_expensive() -> QueryTooExpensive:
    return QueryTooExpensive(
        f"the query needs more than {SEARCH_SECONDS:g} s: use rarer words, a phrase "
        "or a longer prefix"
    )
