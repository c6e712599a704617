"""The loaded store with its in-memory indexes.

Built once at start-up; afterwards every lookup the API makes is a dictionary
read or a slice of a pre-sorted tuple, never a scan of the records.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
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


class Repository:
    def __init__(
        self,
        crises: Iterable[CrisisData],
        digest: str = "",
        releases: Mapping[str, History] | None = None,
    ) -> None:
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
        self.passage_list = _sorted(self.passages.values(), order.PASSAGES)
        self.actor_list = _sorted(self.actors.values(), order.ACTORS)
        self.place_list = _sorted(self.places.values(), order.PLACES)
        self.event_list = _sorted(self.events.values(), order.EVENTS_BY_DATE)
        self.relation_list = _sorted(self.relations.values(), order.RELATIONS)
        self.resolution_list = _sorted(self.resolutions.values(), order.RESOLUTIONS)
        self.document_list = _sorted(self.documents.values(), order.DOCUMENTS)
        self.figure_list = _sorted(self.figures.values(), order.FIGURES)

        # Every name folded once, here: a filter then folds only what the client sent, once
        # per request, and matches it against these.
        self.folded_names: dict[tuple[str, Key], tuple[str, ...]] = {}
        self._names: dict[str, dict[str, list[Key]]] = {"actor": {}, "place": {}}
        for kind, records in (("actor", self.actor_list), ("place", self.place_list)):
            for rec in records:
                folded = tuple(dict.fromkeys(normalize_name(n) for n in (rec.name, *rec.aliases)))
                self.folded_names[(kind, rec.key)] = folded
                for name in folded:
                    self._names[kind].setdefault(name, []).append(rec.key)
        self.folded_measures = {f.key: normalize_name(f.measure) for f in self.figure_list}
        self.folded_sections = {
            p.key: normalize_name(p.section) for p in self.passage_list if p.section
        }
        by_title = sorted(self.event_list, key=order.EVENTS_BY_TITLE.key)
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

        self.mentions_by_passage, self.passages_by_entity = self._mentions()

    @classmethod
    def load(cls, data_dir: Path = DEFAULT_DATA_DIR) -> Repository:
        """Load and validate the store; raise data.loader.StoreError if it is broken."""
        served = [c for c in load_store(data_dir) if not c.draft]  # drafts: data/drafts.py
        return cls(served, store_digest(data_dir), histories(data_dir))

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

    def _mentions(
        self,
    ) -> tuple[dict[Key, tuple[Mention, ...]], dict[tuple[str, Key], tuple[Passage, ...]]]:
        """Where each passage names an actor or place, or is cited as evidence."""
        found: dict[Key, dict[tuple[str, Key, int, int], Mention]] = defaultdict(dict)
        for crisis in self.crises:
            names: dict[str, list[tuple[str, Key]]] = defaultdict(list)
            for kind, records in (("actor", self.actor_list), ("place", self.place_list)):
                for rec in records:
                    if rec.crisis == crisis.id:
                        for name in (rec.name, *rec.aliases):
                            if len(name) > 2:
                                names[name].append((kind, rec.key))
            if not names:
                continue
            pattern = re.compile(
                r"(?<![\w-])(?:"
                + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                + r")(?![\w-])"
            )
            for passage in self.passage_list:
                if passage.crisis != crisis.id:
                    continue
                for match in pattern.finditer(passage.text):
                    for kind, key in names[match.group()]:
                        m = Mention(kind, key, match.start(), match.end())
                        found[passage.key][(kind, key, m.start, m.end)] = m
        evidenced: list[tuple[str, Iterable[Any]]] = [
            ("actor", self.actor_list),
            ("place", self.place_list),
            ("event", self.event_list),
            ("resolution", self.resolution_list),
            ("document", self.document_list),
            ("figure", self.figure_list),
        ]
        for kind, group in evidenced:
            for rec in group:
                for ev in rec.evidence:
                    m = Mention(kind, rec.key, ev.start, ev.end)
                    found[(rec.crisis, ev.passage_id)][(kind, rec.key, ev.start, ev.end)] = m
        by_passage = {
            key: tuple(sorted(ms.values(), key=lambda m: (m.start, -m.end, m.kind, m.key)))
            for key, ms in found.items()
        }
        by_entity: dict[tuple[str, Key], list[Passage]] = defaultdict(list)
        for passage in self.passage_list:
            for kind, key in dict.fromkeys(
                (m.kind, m.key) for m in by_passage.get(passage.key, ())
            ):
                by_entity[(kind, key)].append(passage)
        return by_passage, _freeze(by_entity)


def _by_key(records: Iterable[T]) -> dict[Key, T]:
    return {rec.key: rec for rec in records}  # type: ignore[attr-defined]


def _sorted(records: Iterable[T], by: order.Order[Any]) -> tuple[T, ...]:
    return tuple(sorted(records, key=by.key))


def _freeze(index: Mapping[Any, list[T]]) -> dict[Any, tuple[T, ...]]:
    return {k: tuple(v) for k, v in index.items()}
