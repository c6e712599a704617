"""Facet counts over every hit, from per-document arrays.

The arrays are laid out once per process from the per-document metadata the build wrote
(index/schema.py, the `meta` column): each facet's values are numbered in sorted order (so
equal counts fall in value order by number), and document d's
kind and section are a number at position d, its years and actors a run of numbers in one
array (offsets[d] to offsets[d + 1]). Counting the hits is then a gather and a bincount
per facet: array operations, no Python per hit.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from itertools import chain

import numpy as np
import numpy.typing as npt

from index.schema import DocMeta

FACETS = ("type", "year", "actor", "section")

Facets = dict[str, tuple[tuple[str, int], ...]]
Codes = npt.NDArray[np.int32]


class OutOfTime(Exception):
    """The deadline passed while counting."""


class _Facet:
    """One facet: its values, numbered in sorted order, and each document's values."""

    def __init__(self, per_document: Sequence[Sequence[str]]) -> None:
        every = list(chain.from_iterable(per_document))
        values = sorted(set(every))
        numbers = {v: i for i, v in enumerate(values)}
        lengths = np.fromiter(map(len, per_document), dtype=np.int64, count=len(per_document))
        self.values = np.array(values, dtype=object)
        self.codes: Codes = np.fromiter(map(numbers.__getitem__, every), np.int32, len(every))
        self.offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.offsets[1:])
        # One value per document: the codes line up with the documents.
        self.single = bool((lengths == 1).all())

    def count(
        self, hits: npt.NDArray[np.int32], limit: int | None
    ) -> tuple[tuple[tuple[str, int], ...], int]:
        """The `limit` most frequent values (all with None), and how many there are."""
        if self.single:
            counts = np.bincount(self.codes[hits], minlength=len(self.values))
        else:
            starts = self.offsets[hits]
            sizes = self.offsets[hits + 1] - starts
            # Every value of every hit: each run's start, then one step per value.
            before = np.cumsum(sizes) - sizes
            at = np.repeat(starts - before, sizes) + np.arange(int(sizes.sum()))
            counts = np.bincount(self.codes[at], minlength=len(self.values))
        present = np.flatnonzero(counts)
        if limit is not None and limit < len(present):
            # (most frequent, then first in value order) as one number, the few best of it
            # picked without sorting them all: thousands of actors at a hundred crises.
            key = (int(counts.max()) - counts[present]) * len(self.values) + present
            best = np.argpartition(key, limit - 1)[:limit] if limit else present[:0]
            order = present[best[np.argsort(key[best])]]
        else:
            # Most frequent first; a stable sort keeps equal counts in value order.
            order = present[np.argsort(-counts[present], kind="stable")]
        found = zip(self.values[order].tolist(), counts[order].tolist(), strict=True)
        return tuple(found), len(present)


class FacetArrays:
    def __init__(self, metas: Sequence[DocMeta]) -> None:
        self._facets = {
            "type": _Facet([(m.kind,) for m in metas]),
            "year": _Facet([tuple(str(y) for y in m.years) for m in metas]),
            "actor": _Facet([m.actors for m in metas]),
            # Entities have no section.
            "section": _Facet([(m.section,) if m.section else () for m in metas]),
        }

    def count(
        self, hits: npt.NDArray[np.int32], deadline: float, limit: int | None = None
    ) -> tuple[Facets, dict[str, int]]:
        """Each facet's (value, count) over `hits` (document numbers, each once), most
        frequent first, then by value: the first `limit` of them (all with None); and how
        many values each facet has."""
        out: Facets = {}
        sizes: dict[str, int] = {}
        for name in FACETS:
            if time.monotonic() > deadline:
                raise OutOfTime
            out[name], sizes[name] = self._facets[name].count(hits, limit)
        return out, sizes
