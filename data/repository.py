"""The loaded store with its in-memory indexes.

Built once at start-up; afterwards every lookup the API makes is a dictionary
read or a slice of a pre-sorted tuple, never a scan of the records.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from data import order
from data.kinds import BY_NAME
from data.loader import CrisisData, load_store, store_digest
from data.names import normalize_name
from data.records import (
    Actor,
    Crisis,
    Document,
    Event,
    Figure,
    Key,
    Mention,
    Passage,
    Place,
    Relation,
    Resolution,
)
from data.releases import History, histories
from settings import DEFAULT_DATA_DIR

T = TypeVar("T")

# The order of each kind's list in the repository (`actor_list`, ...), for its cursors.
LISTS: dict[str, order.Order[Any]] = {
    "passage": order.PASSAGES,
    "actor": order.ACTORS,
    "place": order.PLACES,
    "event": order.EVENTS_BY_DATE,
    "relation": order.RELATIONS,
    "resolution": order.RESOLUTIONS,
    "document": order.DOCUMENTS,
    "figure": order.FIGURES,
}
TITLE_ORDER = "events_by_title"  # Derived.orders' name for the events sorted by title
# The kinds of record a passage can mention or be cited by, as Derived.mentions numbers them.
MENTIONED = ("actor", "place", "event", "resolution", "document", "figure")


@dataclass(frozen=True)
class Derived:
    """What the repository's indexes cost to compute (sorting, folding names, finding the
    names in every passage), as plain numbers and strings: the store's snapshot
    (data/snapshot.py) keeps it, so a start from the snapshot does none of that work.

    A position counts a table's records in the order they were loaded (its dict's order).
    """

    # each kind of LISTS, and TITLE_ORDER -> the positions of its records in that order
    orders: dict[str, tuple[int, ...]]
    # the folded names of each actor of actor_list, then of each place of place_list
    folded_names: tuple[tuple[str, ...], ...]
    # mentions_by_passage, in its order: (passage position, MENTIONED index, position of the
    # record in its table, start, end)
    mentions: tuple[tuple[int, int, int, int, int], ...]


class Repository:
    def __init__(
        self,
        crises: Iterable[CrisisData],
        digest: str = "",
        releases: Mapping[str, History] | None = None,
        derived: Derived | None = None,
    ) -> None:
        """Index the crises' records; `derived` (Repository.derived() of a repository of the
        same records) saves computing the costly part again."""
        crises = list(crises)
        self.digest = digest
        # Each crisis's releases (data/releases.py), by slug; none for a store never released.
        self.histories = {c.crisis.id: History(c.crisis.id, ()) for c in crises}
        self.histories.update(
            (slug, h) for slug, h in (releases or {}).items() if slug in self.histories
        )
        self.crises: tuple[Crisis, ...] = tuple(c.crisis for c in crises)
        self.crisis_by_slug = {c.id: c for c in self.crises}
        self.passages: dict[Key, Passage] = _by_key(p for c in crises for p in c.passages)
        self.actors: dict[Key, Actor] = _by_key(a for c in crises for a in c.actors)
        self.places: dict[Key, Place] = _by_key(p for c in crises for p in c.places)
        self.events: dict[Key, Event] = _by_key(e for c in crises for e in c.events)
        self.relations: dict[Key, Relation] = _by_key(r for c in crises for r in c.relations)
        self.resolutions: dict[Key, Resolution] = _by_key(r for c in crises for r in c.resolutions)
        self.documents: dict[Key, Document] = _by_key(d for c in crises for d in c.documents)
        self.figures: dict[Key, Figure] = _by_key(f for c in crises for f in c.figures)

        # Stable orders for connections (data/order.py), which their cursors rely on.
        self.passage_list: tuple[Passage, ...] = self._ordered("passage", derived)
        self.actor_list: tuple[Actor, ...] = self._ordered("actor", derived)
        self.place_list: tuple[Place, ...] = self._ordered("place", derived)
        self.event_list: tuple[Event, ...] = self._ordered("event", derived)
        self.relation_list: tuple[Relation, ...] = self._ordered("relation", derived)
        self.resolution_list: tuple[Resolution, ...] = self._ordered("resolution", derived)
        self.document_list: tuple[Document, ...] = self._ordered("document", derived)
        self.figure_list: tuple[Figure, ...] = self._ordered("figure", derived)

        # Every name folded once, here: a filter then folds only what the client sent, once
        # per request, and matches it against these.
        self.folded_names: dict[tuple[str, Key], tuple[str, ...]] = {}
        self._names: dict[str, dict[str, list[Key]]] = {"actor": {}, "place": {}}
        named = [("actor", a) for a in self.actor_list] + [("place", p) for p in self.place_list]
        for i, (kind, rec) in enumerate(named):
            if derived is None:
                folded = tuple(dict.fromkeys(normalize_name(n) for n in (rec.name, *rec.aliases)))
            else:
                folded = derived.folded_names[i]
            self.folded_names[(kind, rec.key)] = folded
            for name in folded:
                self._names[kind].setdefault(name, []).append(rec.key)
        self.folded_measures = {f.key: normalize_name(f.measure) for f in self.figure_list}
        self.folded_sections = {
            p.key: normalize_name(p.section) for p in self.passage_list if p.section
        }
        if derived is None:
            by_title = sorted(self.event_list, key=order.EVENTS_BY_TITLE.key)
        else:
            events = tuple(self.events.values())
            by_title = [events[i] for i in derived.orders[TITLE_ORDER]]
        self.event_title_rank = {e.key: rank for rank, e in enumerate(by_title)}
        self.resolution_by_number: dict[int, list[Key]] = defaultdict(list)
        for res in self.resolution_list:
            self.resolution_by_number[res.number].append(res.key)

        events_by_actor: dict[Key, list[Event]] = defaultdict(list)
        events_by_place: dict[Key, list[Event]] = defaultdict(list)
        for event in self.event_list:
            for actor in dict.fromkeys(p.actor for p in event.participants):
                events_by_actor[(event.crisis, actor)].append(event)
            for place in self._with_countries(event.crisis, event.places):
                events_by_place[(event.crisis, place)].append(event)
        self.events_by_actor = _freeze(events_by_actor)
        self.events_by_place = _freeze(events_by_place)

        relations_by_actor: dict[Key, list[Relation]] = defaultdict(list)
        for rel in self.relation_list:
            relations_by_actor[(rel.crisis, rel.subject)].append(rel)
            if rel.object != rel.subject:
                relations_by_actor[(rel.crisis, rel.object)].append(rel)
        self.relations_by_actor = _freeze(relations_by_actor)

        figures_by_subject: dict[tuple[str, Key], list[Figure]] = defaultdict(list)
        for fig in self.figure_list:
            if fig.subject:
                figures_by_subject[(fig.subject[0], (fig.crisis, fig.subject[1]))].append(fig)
        self.figures_by_subject = _freeze(figures_by_subject)

        self.mentions_by_passage = (
            self._find_mentions() if derived is None else self._restore_mentions(derived)
        )
        self.passages_by_entity = self._passages_by_entity()

    @classmethod
    def load(cls, data_dir: Path = DEFAULT_DATA_DIR, digest: str | None = None) -> Repository:
        """Load and validate the store; raise data.loader.StoreError if it is broken.
        `digest`, if given, is store_digest(data_dir), already computed."""
        with collector_paused():
            served = [c for c in load_store(data_dir) if not c.draft]  # drafts: data/drafts.py
            return cls(served, digest or store_digest(data_dir), histories(data_dir))

    def derived(self) -> Derived:
        """The costly part of the indexes, for Repository(..., derived=) to reuse."""
        position = {kind: {key: i for i, key in enumerate(self._table(kind))} for kind in LISTS}
        orders = {
            kind: tuple(position[kind][rec.key] for rec in getattr(self, _listing(kind)))
            for kind in LISTS
        }
        by_title = sorted(self.event_title_rank, key=self.event_title_rank.__getitem__)
        orders[TITLE_ORDER] = tuple(position["event"][key] for key in by_title)
        named = [("actor", a.key) for a in self.actor_list]
        named += [("place", p.key) for p in self.place_list]
        passage_at = position["passage"]
        mentions = tuple(
            (passage_at[at], MENTIONED.index(m.kind), position[m.kind][m.key], m.start, m.end)
            for at, found in self.mentions_by_passage.items()
            for m in found
        )
        return Derived(orders, tuple(self.folded_names[n] for n in named), mentions)

    @property
    def versions(self) -> str:
        """Every crisis's version, e.g. "mali@1.1": what a response's validators include."""
        return ",".join(f"{slug}@{h.version or '-'}" for slug, h in sorted(self.histories.items()))

    # -- lookups -------------------------------------------------------------

    def get(self, kind: str, key: Key) -> Any:
        """The record of type `kind` ("actor", "event", ...) with that key, or None."""
        table_name = BY_NAME[kind].table
        if table_name is None:  # a crisis: its key is (slug, slug)
            return self.crisis_by_slug.get(key[1]) if key[0] == key[1] else None
        table: Mapping[Key, Any] = getattr(self, table_name)
        return table.get(key)

    def find_by_name(self, kind: str, name: str, crisis: str | None = None) -> Any:
        """The actor or place whose name or alias matches, ignoring case and accents."""
        for key in self._names[kind].get(normalize_name(name), ()):
            if crisis is None or key[0] == crisis:
                return self.get(kind, key)
        return None

    def find_resolution(self, number: int, crisis: str | None = None) -> Resolution | None:
        for key in self.resolution_by_number.get(number, ()):
            if crisis is None or key[0] == crisis:
                return self.resolutions[key]
        return None

    def passage_of(self, crisis: str, passage_id: str) -> Passage:
        return self.passages[(crisis, passage_id)]

    def sections(self, crisis: str | None = None) -> list[str]:
        return list(
            dict.fromkeys(
                p.section for p in self.passage_list if p.section and crisis in (None, p.crisis)
            )
        )

    # -- derived indexes -----------------------------------------------------

    def _with_countries(self, crisis: str, places: Iterable[str]) -> list[str]:
        """The places, then the countries they lie in: an event in Gao is an event in Mali."""
        out = dict.fromkeys(places)
        for slug in list(out):
            place = self.places.get((crisis, slug))
            if place and place.country:
                out.setdefault(place.country)
        return list(out)

    def _find_mentions(self) -> dict[Key, tuple[Mention, ...]]:
        """Where each passage names an actor or place, or is cited as evidence."""
        found: dict[Key, dict[tuple[str, Key, int, int], Mention]] = defaultdict(dict)
        names_in: dict[str, dict[str, list[tuple[str, Key]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for kind, records in (("actor", self.actor_list), ("place", self.place_list)):
            for rec in records:
                for name in (rec.name, *rec.aliases):
                    if len(name) > 2:
                        names_in[rec.crisis][name].append((kind, rec.key))
        passages_in: dict[str, list[Passage]] = defaultdict(list)
        for passage in self.passage_list:
            passages_in[passage.crisis].append(passage)
        for crisis in self.crises:
            names = names_in.get(crisis.id)
            if not names:
                continue
            pattern = re.compile(
                r"(?<![\w-])(?:"
                + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                + r")(?![\w-])"
            )
            for passage in passages_in[crisis.id]:
                for match in pattern.finditer(passage.text):
                    for kind, key in names[match.group()]:
                        m = Mention(kind, key, match.start(), match.end())
                        found[passage.key][(kind, key, m.start, m.end)] = m
        re.purge()  # one pattern per crisis, of no use again: not for re's cache to keep
        for kind in MENTIONED:
            for rec in getattr(self, _listing(kind)):
                for ev in rec.evidence:
                    m = Mention(kind, rec.key, ev.start, ev.end)
                    found[(rec.crisis, ev.passage_id)][(kind, rec.key, ev.start, ev.end)] = m
        return {
            key: tuple(sorted(ms.values(), key=lambda m: (m.start, -m.end, m.kind, m.key)))
            for key, ms in found.items()
        }

    def _restore_mentions(self, derived: Derived) -> dict[Key, tuple[Mention, ...]]:
        """mentions_by_passage from Derived.mentions."""
        keys = {kind: [rec.key for rec in self._table(kind).values()] for kind in MENTIONED}
        passages = list(self.passages)
        found: dict[Key, list[Mention]] = defaultdict(list)
        for at, kind, position, start, end in derived.mentions:
            name = MENTIONED[kind]
            found[passages[at]].append(Mention(name, keys[name][position], start, end))
        return _freeze(found)

    def _passages_by_entity(self) -> dict[tuple[str, Key], tuple[Passage, ...]]:
        by_entity: dict[tuple[str, Key], list[Passage]] = defaultdict(list)
        for passage in self.passage_list:
            mentions = self.mentions_by_passage.get(passage.key, ())
            for kind, key in dict.fromkeys((m.kind, m.key) for m in mentions):
                by_entity[(kind, key)].append(passage)
        return _freeze(by_entity)

    def _ordered(self, kind: str, derived: Derived | None) -> tuple[Any, ...]:
        records = tuple(self._table(kind).values())
        if derived is None:
            return _sorted(records, LISTS[kind])
        return tuple(records[i] for i in derived.orders[kind])

    def _table(self, kind: str) -> dict[Key, Any]:
        table: dict[Key, Any] = getattr(self, BY_NAME[kind].table or "")
        return table


def _listing(kind: str) -> str:
    return BY_NAME[kind].listing or ""


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Load without the cyclic garbage collector: a store is some half a million objects
    and no garbage cycles, and the collections its allocations would set off took a third
    of the time of a load at 100 crises."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _by_key(records: Iterable[T]) -> dict[Key, T]:
    return {rec.key: rec for rec in records}  # type: ignore[attr-defined]


def _sorted(records: Iterable[T], by: order.Order[Any]) -> tuple[T, ...]:
    return tuple(sorted(records, key=by.key))


def _freeze(index: Mapping[Any, list[T]]) -> dict[Any, tuple[T, ...]]:
    return {k: tuple(v) for k, v in index.items()}
