"""Records -> Whoosh documents: what each hit is found by, filtered by, faceted by.

A passage carries the records that cite it: their dates (for the date filter)
and their actors (for the actor facet). An entity carries its own dates, or
for an actor or place those of the events it takes part in or lies under.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from data.dates import DateRange, PartialDate
from data.kinds import BY_NAME
from data.records import Actor, Document, Event, Figure, Key, Passage, Place, Resolution
from data.repository import Repository
from index.analysis import spelling_words
from index.schema import KINDS, DocMeta, actor_ref, uid

MAX_YEARS_PER_RANGE = 50  # a "1960-2013" span should not flood the year facet

Fields = dict[str, Any]


def document_counts(repo: Repository) -> dict[str, int]:
    """How many documents of each kind `documents(repo)` yields, in KINDS order."""
    return {kind: len(getattr(repo, BY_NAME[kind].listing or "")) for kind in KINDS}


def documents(repo: Repository) -> Iterator[Fields]:
    """The fields of a Whoosh document for every passage and every searchable record."""
    citing = _citing_records(repo)
    for passage in repo.passage_list:
        yield _passage(repo, passage, citing.get(passage.key, ()))
    for actor in repo.actor_list:
        yield _actor(repo, actor)
    for event in repo.event_list:
        yield _event(event)
    for place in repo.place_list:
        yield _place(repo, place)
    for document in repo.document_list:
        yield _document(document)
    for resolution in repo.resolution_list:
        yield _resolution(resolution)
    for figure in repo.figure_list:
        yield _figure(figure)


# -- one function per kind ---------------------------------------------------


def _passage(repo: Repository, passage: Passage, citing: Iterable[tuple[str, Any]]) -> Fields:
    mentioned = [
        (m.kind, m.key)
        for m in repo.mentions_by_passage.get(passage.key, ())
        if m.kind in ("actor", "place")
    ]
    actors = [key for kind, key in mentioned if kind == "actor"]
    ranges: list[DateRange] = []
    for kind, record in citing:
        actors.extend(_actors_of(kind, record))
        ranges.extend(_own_dates(kind, record))
    return _fields(
        "passage",
        passage.key,
        body=passage.text,
        entities=mentioned,
        section=passage.section,
        ranges=ranges,
        actors=actors,
    )


def _actor(repo: Repository, actor: Actor) -> Fields:
    roles = [role.title for role in actor.roles]
    roles += [repo.get("actor", (actor.crisis, r.of)).name for r in actor.roles if r.of]
    return _fields(
        "actor",
        actor.key,
        title=actor.name,
        aliases=actor.aliases,
        body=[actor.description, *roles, actor.note],
        ranges=[e.span for e in repo.events_by_actor.get(actor.key, ())],
        actors=[actor.key],
        names=(actor.name, *actor.aliases),
    )


def _place(repo: Repository, place: Place) -> Fields:
    return _fields(
        "place",
        place.key,
        title=place.name,
        aliases=place.aliases,
        body=[place.note],
        ranges=[e.span for e in repo.events_by_place.get(place.key, ())],
        names=(place.name, *place.aliases),
    )


def _event(event: Event) -> Fields:
    return _fields(
        "event",
        event.key,
        title=event.title,
        body=[event.description, event.note],
        entities=[("actor", (event.crisis, p.actor)) for p in event.participants]
        + [("place", (event.crisis, p)) for p in event.places],
        ranges=_own_dates("event", event),
        actors=_actors_of("event", event),
    )


def _document(document: Document) -> Fields:
    return _fields(
        "document",
        document.key,
        title=document.title,
        # The kind in words, so "Oxfam report" finds Oxfam's report.
        body=[document.kind.lower().replace("_", " "), document.note],
        entities=[("actor", (document.crisis, a)) for a in _refs_of("document", document)],
        ranges=_own_dates("document", document),
        actors=_actors_of("document", document),
    )


def _resolution(resolution: Resolution) -> Fields:
    return _fields(
        "resolution",
        resolution.key,
        title=f"Resolution {resolution.number} ({resolution.year})",
        body=[resolution.summary, resolution.note],
        entities=[("actor", (resolution.crisis, a)) for a in resolution.concerns],
        ranges=_own_dates("resolution", resolution),
        actors=_actors_of("resolution", resolution),
    )


def _figure(figure: Figure) -> Fields:
    value = f"{figure.value:,.0f}" if figure.value.is_integer() else f"{figure.value:,}"
    subject = [figure.subject] if figure.subject and figure.subject[0] in ("actor", "place") else []
    return _fields(
        "figure",
        figure.key,
        title=figure.measure,
        # A figure has no prose of its own: the quotes it rests on say what it counts.
        body=[value, *(e.quote for e in figure.evidence), figure.note],
        entities=[(kind, (figure.crisis, ident)) for kind, ident in subject],
        ranges=_own_dates("figure", figure),
        actors=_actors_of("figure", figure),
    )


# -- shared pieces -----------------------------------------------------------


def _fields(
    kind: str,
    key: Key,
    *,
    title: str = "",
    aliases: Iterable[str] = (),
    body: str | Iterable[str | None] = "",
    entities: Iterable[tuple[str, Key]] = (),
    section: str | None = None,
    ranges: Iterable[DateRange] = (),
    actors: Iterable[Key] = (),
    names: tuple[str, ...] | None = None,
) -> Fields:
    text = body if isinstance(body, str) else "\n".join(b for b in body if b)
    alias_text = "; ".join(aliases)
    spans = tuple(
        sorted({(r.first.toordinal(), r.last.toordinal()) for r in ranges if r.first and r.last})
    )
    fields: Fields = {
        "uid": uid(kind, key),
        "kind": kind,
        "crisis": key[0],
        "spelling": spelling_words((title, alias_text, text)),
        "meta": DocMeta(
            kind,
            key[0],
            key[1],
            section,
            spans,
            _years(spans),
            tuple(dict.fromkeys(actor_ref(a) for a in actors)),
        ).encode(),
    }
    for name, value in (
        ("title", title),
        ("aliases", alias_text),
        ("body", text),
        ("section", section),
    ):
        if value:
            fields[name] = value
    refs = " ".join(dict.fromkeys(uid(k, ref) for k, ref in entities))
    if refs:
        fields["entities"] = refs
    if names is not None:
        fields["names"] = names
    return fields


def _years(spans: Iterable[tuple[int, int]]) -> tuple[int, ...]:
    years: set[int] = set()
    for first, last in spans:
        start, end = date.fromordinal(first).year, date.fromordinal(last).year
        years.update(range(start, min(end, start + MAX_YEARS_PER_RANGE - 1) + 1))
    return tuple(sorted(years))


def _citing_records(repo: Repository) -> dict[Key, list[tuple[str, Any]]]:
    """passage key -> (kind, record) of every record whose evidence quotes it."""
    citing: dict[Key, list[tuple[str, Any]]] = defaultdict(list)
    groups: list[tuple[str, Iterable[Any]]] = [
        ("actor", repo.actor_list),
        ("place", repo.place_list),
        ("event", repo.event_list),
        ("relation", repo.relation_list),
        ("resolution", repo.resolution_list),
        ("document", repo.document_list),
        ("figure", repo.figure_list),
    ]
    for kind, records in groups:
        for record in records:
            evidence = list(record.evidence)
            if kind == "actor":
                evidence += [e for role in record.roles for e in role.evidence]
            for passage_id in dict.fromkeys(e.passage_id for e in evidence):
                citing[(record.crisis, passage_id)].append((kind, record))
    return citing


def _own_dates(kind: str, record: Any) -> list[DateRange]:
    """The dates a record states itself; undated kinds (actors, places, relations) have none."""
    day: PartialDate | None = None
    if kind == "event":
        return [record.span]
    if kind == "document":
        day = record.date
    elif kind == "resolution":
        day = record.adopted or PartialDate(record.year)
    elif kind == "figure":
        day = record.as_of
    return [DateRange.between(day, day)] if day else []


def _refs_of(kind: str, record: Any) -> list[str]:
    """Slugs of the actors a record names in its own fields."""
    if kind == "actor":
        return [record.id]
    if kind == "event":
        return [p.actor for p in record.participants]
    if kind == "relation":
        return [record.subject, record.object]
    if kind == "resolution":
        return list(record.concerns)
    if kind == "document":
        return [a for a in (record.publisher, *record.authors) if a]
    if kind == "figure":
        subject = [record.subject[1]] if record.subject and record.subject[0] == "actor" else []
        return [a for a in (record.source, *subject) if a]
    return []


def _actors_of(kind: str, record: Any) -> list[Key]:
    return [(record.crisis, slug) for slug in _refs_of(kind, record)]
