"""The export tables: each record type's columns, in their published order, and the
geometry of what has a place. Column names and order are a contract documented for
researchers in web/EXPORTS.md: add columns at the end, never rename one, and bump
data.export.EXPORT_VERSION whenever the output changes for the same store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from data.columns import (
    CRISIS,
    EVIDENCE,
    NOTE,
    SLUG,
    SOURCES,
    RecordType,
    date_fields,
    dated,
    day_fields,
    days,
    evidence_items,
    in_crisis,
    listing,
    nested,
    plain_number,
    scalar,
)
from data.records import Actor, Document, Event, Figure, Passage, Place, Relation
from data.records import Resolution as UNResolution
from data.repository import Repository

# -- the record types ----------------------------------------------------------


def _roles(actor: Actor) -> list[dict[str, Any]]:
    return [
        {
            "title": role.title,
            "of": role.of,
            **date_fields("start", role.start),
            **date_fields("end", role.end),
            "evidence": evidence_items(role.evidence),
            **day_fields("start", role.start),
            **day_fields("end", role.end),
        }
        for role in actor.roles
    ]


def _role_item(role: dict[str, Any]) -> str:
    # Title first: only it is free text, so `rsplit(":", 3)` recovers the parts.
    return ":".join((role["title"], role["of"] or "", role["start"] or "", role["end"] or ""))


ACTORS: RecordType[Actor] = RecordType(
    "actors",
    lambda repo, crisis: in_crisis(crisis, repo.actor_list),
    (
        CRISIS,
        scalar("slug", "the actor's stable id", lambda a: a.id),
        scalar("kind", "PERSON, ARMED_GROUP, STATE, ... (data/README.md)", lambda a: a.kind),
        scalar("name", "display name", lambda a: a.name),
        listing("aliases", "acronyms, other languages and spellings", lambda a: a.aliases),
        scalar("description", "the curator's summary", lambda a: a.description),
        nested(
            "roles",
            "offices held, each `title:of:start:end` (`of` an actor slug, empty when unknown)",
            _roles,
            _role_item,
        ),
        NOTE,
        SOURCES,
        EVIDENCE,
    ),
    key="slug",
)

PLACES: RecordType[Place] = RecordType(
    "places",
    lambda repo, crisis: in_crisis(crisis, repo.place_list),
    (
        CRISIS,
        scalar("slug", "the place's stable id", lambda p: p.id),
        scalar("kind", "CONTINENT, REGION, COUNTRY, CITY, TOWN, VILLAGE or SITE", lambda p: p.kind),
        scalar("name", "display name", lambda p: p.name),
        listing("aliases", "other names and spellings", lambda p: p.aliases),
        scalar("country", "slug of the country place it lies in", lambda p: p.country),
        scalar(
            "latitude", "decimal degrees, WGS 84; empty for areas", lambda p: p.latitude, "number"
        ),
        scalar(
            "longitude", "decimal degrees, WGS 84; empty for areas", lambda p: p.longitude, "number"
        ),
        NOTE,
        SOURCES,
        EVIDENCE,
    ),
    key="slug",
)

EVENTS: RecordType[Event] = RecordType(
    "events",
    lambda repo, crisis: in_crisis(crisis, repo.event_list),
    (
        CRISIS,
        scalar("id", "the event's stable id", lambda e: e.id),
        scalar("kind", "COUP, ATTACK, AGREEMENT, ... (data/README.md)", lambda e: e.kind),
        scalar("title", "one-line title", lambda e: e.title),
        scalar("description", "the curator's summary", lambda e: e.description),
        dated("date", "when it happened or began", lambda e: e.date),
        dated("end_date", "when a span ended; empty for a single date", lambda e: e.end_date),
        nested(
            "participants",
            "who took part, each `actor_slug:ROLE`",
            lambda e: [{"actor": p.actor, "role": p.role} for p in e.participants],
            lambda p: f"{p['actor']}:{p['role']}",
        ),
        listing("places", "place slugs", lambda e: e.places),
        NOTE,
        SOURCES,
        EVIDENCE,
        SLUG,
        days("date", lambda e: e.date),
        days("end_date", lambda e: e.end_date),
    ),
)

RELATIONS: RecordType[Relation] = RecordType(
    "relations",
    lambda repo, crisis: in_crisis(crisis, repo.relation_list),
    (
        CRISIS,
        scalar("id", "the relation's stable id", lambda r: r.id),
        scalar("kind", "read `subject KIND object`: ALLIANCE, MEMBER_OF, ...", lambda r: r.kind),
        scalar("subject", "actor slug", lambda r: r.subject),
        scalar("object", "actor slug", lambda r: r.object),
        dated("start", "when it began; empty where the page does not say", lambda r: r.start),
        dated("end", "when it ended; empty where the page does not say", lambda r: r.end),
        scalar("description", "the curator's summary", lambda r: r.description),
        NOTE,
        SOURCES,
        EVIDENCE,
        SLUG,
        days("start", lambda r: r.start),
        days("end", lambda r: r.end),
    ),
)

RESOLUTIONS: RecordType[UNResolution] = RecordType(
    "resolutions",
    lambda repo, crisis: in_crisis(crisis, repo.resolution_list),
    (
        CRISIS,
        scalar("number", "UN Security Council resolution number", lambda r: r.number, "integer"),
        scalar("year", "year of adoption", lambda r: r.year, "integer"),
        dated("adopted", "date of adoption", lambda r: r.adopted),
        scalar(
            "unanimous",
            "`true` or `false` where stated, else empty",
            lambda r: r.unanimous,
            "boolean",
        ),
        scalar("summary", "the curator's summary", lambda r: r.summary),
        listing("concerns", "slugs of the actors it concerns", lambda r: r.concerns),
        NOTE,
        SOURCES,
        EVIDENCE,
        SLUG,
        days("adopted", lambda r: r.adopted),
    ),
    key="number",
)

DOCUMENTS: RecordType[Document] = RecordType(
    "documents",
    lambda repo, crisis: in_crisis(crisis, repo.document_list),
    (
        CRISIS,
        scalar("id", "the document's stable id", lambda d: d.id),
        scalar("kind", "WEB_PAGE, REPORT, STATEMENT, ... (data/README.md)", lambda d: d.kind),
        scalar("title", "title as published", lambda d: d.title),
        scalar("publisher", "actor slug", lambda d: d.publisher),
        listing("authors", "actor slugs", lambda d: d.authors),
        dated("date", "publication date", lambda d: d.date),
        scalar("url", "where it was published", lambda d: d.url),
        scalar("file", "a source page's file in the store's `sources/`", lambda d: d.file),
        dated("covers_until", "the last date a source page reports on", lambda d: d.covers_until),
        NOTE,
        SOURCES,
        EVIDENCE,
        SLUG,
        days("date", lambda d: d.date),
        days("covers_until", lambda d: d.covers_until),
    ),
)

FIGURES: RecordType[Figure] = RecordType(
    "figures",
    lambda repo, crisis: in_crisis(crisis, repo.figure_list),
    (
        CRISIS,
        scalar("id", "the figure's stable id", lambda f: f.id),
        scalar(
            "value",
            "the number; the floor of a vague amount",
            lambda f: plain_number(f.value),
            "number",
        ),
        scalar("qualifier", "EXACT, ABOUT, AT_LEAST, MORE_THAN or UP_TO", lambda f: f.qualifier),
        scalar("measure", "what is counted", lambda f: f.measure),
        dated("as_of", "the date the number refers to", lambda f: f.as_of),
        scalar(
            "subject",
            "what it is about, `TYPE:ID` such as `event:coup-2012`",
            lambda f: ":".join(f.subject) if f.subject else None,
        ),
        scalar("source", "slug of the actor who reported it", lambda f: f.source),
        NOTE,
        SOURCES,
        EVIDENCE,
        SLUG,
        days("as_of", lambda f: f.as_of),
    ),
)


def _passages(repo: Repository, crisis: str) -> tuple[Passage, ...]:
    # passages.json names no source: its passages are copied from the crisis's source page.
    source = repo.crisis_by_slug[crisis].source
    return tuple(
        replace(p, source_id=p.source_id or source) for p in in_crisis(crisis, repo.passage_list)
    )


PASSAGES: RecordType[Passage] = RecordType(
    "passages",
    _passages,
    (
        CRISIS,
        scalar("id", "the passage's stable id, as evidence cites it", lambda p: p.id),
        scalar("seq", "position in the page, from 1", lambda p: p.seq, "integer"),
        scalar("section", "part of the page: overview, crisis-2012, ...", lambda p: p.section),
        scalar("text", "the paragraph, verbatim", lambda p: p.text),
        scalar("source", "id of the document it is copied from", lambda p: p.source_id),
        scalar(
            "source_start",
            "offset of its first character in that file",
            lambda p: p.source_start,
            "integer",
        ),
        scalar(
            "source_end",
            "offset just past its last character",
            lambda p: p.source_start + len(p.text),
            "integer",
        ),
        SLUG,
    ),
)

RECORD_TYPES: dict[str, RecordType[Any]] = {
    t.name: t
    for t in (ACTORS, PLACES, EVENTS, RELATIONS, RESOLUTIONS, DOCUMENTS, FIGURES, PASSAGES)
}


# -- geometry ------------------------------------------------------------------


def _position(place: Place) -> list[float] | None:
    if place.latitude is None or place.longitude is None:
        return None
    return [place.longitude, place.latitude]  # RFC 7946: longitude first


def place_geometry(repo: Repository, place: Place) -> dict[str, Any] | None:
    position = _position(place)
    return {"type": "Point", "coordinates": position} if position else None


def event_geometry(repo: Repository, event: Event) -> dict[str, Any] | None:
    """Its places' positions: a Point for one, a MultiPoint for several, null for none."""
    positions: list[list[float]] = []
    for slug in event.places:
        position = _position(repo.places[(event.crisis, slug)])
        if position and position not in positions:
            positions.append(position)
    if not positions:
        return None
    if len(positions) == 1:
        return {"type": "Point", "coordinates": positions[0]}
    return {"type": "MultiPoint", "coordinates": positions}


GEOMETRY: dict[str, Callable[[Repository, Any], dict[str, Any] | None]] = {
    "places": place_geometry,
    "events": event_geometry,
}
