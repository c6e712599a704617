"""Facet counts over every hit, from per-document arrays.

The arrays are laid out once per process from the per-document metadata the build wrote
(index/schema.py, the `meta` column): for document number d, its kind, its section, and
its years and actors as tuples of strings. Counting a set of hits is then Counter over
`map(array.__getitem__, hits)`: one C loop per facet, no Python code per hit.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain, islice

from index.schema import DocMeta

FACETS = ("type", "year", "actor", "section")
CHUNK = 4096  # hits counted between two readings of the clock

Facets = dict[str, tuple[tuple[str, int], ...]]


class OutOfTime(Exception):
    """The deadline passed while counting."""


class FacetArrays:
    def __init__(self, metas: Sequence[DocMeta]) -> None:
        intern: dict[object, object] = {}

        def shared(value: object) -> object:  # one tuple for every equal one
            return intern.setdefault(value, value)

        self.kind = [m.kind for m in metas]
        self.section = [m.section for m in metas]
        self.years = [shared(tuple(str(y) for y in m.years)) for m in metas]
        self.actors = [shared(m.actors) for m in metas]

    def count(self, hits: Iterable[int], deadline: float) -> Facets:
        """Each facet's (value, count), most frequent first, then by value."""
        counts: dict[str, Counter[str | None]] = {name: Counter() for name in FACETS}
        kind, section = self.kind.__getitem__, self.section.__getitem__
        years, actors = self.years.__getitem__, self.actors.__getitem__
        it = iter(hits)
        while chunk := list(islice(it, CHUNK)):
            if time.monotonic() > deadline:
                raise OutOfTime
            counts["type"].update(map(kind, chunk))
            counts["section"].update(map(section, chunk))
            counts["year"].update(chain.from_iterable(map(years, chunk)))  # type: ignore[arg-type]
            counts["actor"].update(chain.from_iterable(map(actors, chunk)))  # type: ignore[arg-type]
        for none in (None, ""):  # entities have no section
            counts["section"].pop(none, None)
        return {
            name: tuple(
                sorted(
                    ((str(v), c) for v, c in counter.items()),
                    key=lambda kv: (-kv[1], kv[0]),
                )
            )
            for name, counter in counts.items()
        }
