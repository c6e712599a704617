"""Bulk exports: one crisis's records of one type as CSV, NDJSON or GeoJSON.

Research tools (pandas, R, QGIS) want whole tables, not pages of a GraphQL
connection. Each record type is a list of fields; a field gives both the
record's NDJSON keys (nested, JSON-ready) and the flat CSV cells they become, so
the two views cannot drift apart. Column names and order are a published
contract, documented for researchers in web/EXPORTS.md: add columns at the end,
never rename one, and bump EXPORT_VERSION whenever the output changes for the
same store.

Writers are generators of text chunks, so a caller can stream them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Generic, Protocol, TypeVar

from data.dates import PartialDate
from data.records import Actor, Document, Event, Evidence, Figure, Passage, Place, Relation
from data.records import Resolution as UNResolution
from data.repository import Repository

# Part of every ETag: changed columns must not be served from a cache.
EXPORT_VERSION = "2"  # 2: `slug` in every table, first and last days of every date

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "ndjson": "application/x-ndjson",
    "geojson": "application/geo+json",
}
TABLE_FORMATS = ("csv", "ndjson")
GEO_TYPES = ("events", "places")

LIST_SEPARATOR = ";"
QUOTE_SEPARATOR = " | "  # quotes are prose, full of ";": a rarer separator keeps them legible

Cell = str | int | float | bool | None
R = TypeVar("R", contravariant=True)  # a field of any record with the attributes it reads
T = TypeVar("T")


class ExportNotFound(LookupError):
    """An export that does not exist; the message says which ones do."""


class Curated(Protocol):
    """What every curated record has (all but passages)."""

    @property
    def note(self) -> str | None: ...
    @property
    def sources(self) -> tuple[str, ...]: ...
    @property
    def evidence(self) -> tuple[Evidence, ...]: ...


class InCrisis(Protocol):
    @property
    def crisis(self) -> str: ...


C = TypeVar("C", bound=InCrisis)


@dataclass(frozen=True)
class Column:
    name: str
    doc: str
    type: str = "string"  # its Frictionless Table Schema type: string, integer, number, boolean


@dataclass(frozen=True)
class Field(Generic[R]):
    """Part of a record: its NDJSON keys and the CSV cells they flatten to, in column order."""

    columns: tuple[Column, ...]
    value: Callable[[R], dict[str, Any]]
    flatten: Callable[[dict[str, Any]], tuple[Cell, ...]] = lambda v: tuple(v.values())


@dataclass(frozen=True)
class RecordType(Generic[T]):
    name: str  # plural, as in the URL: "events"
    records: Callable[[Repository, str], tuple[T, ...]]  # one crisis's, in a stable order
    fields: tuple[Field[T], ...]
    key: str = "id"  # the column that identifies a record within its crisis

    @property
    def columns(self) -> tuple[Column, ...]:
        return tuple(c for f in self.fields for c in f.columns)

    def nested(self, record: T) -> dict[str, Any]:
        return {k: v for f in self.fields for k, v in f.value(record).items()}

    def flat(self, record: T) -> dict[str, Cell]:
        cells = [cell for f in self.fields for cell in f.flatten(f.value(record))]
        return dict(zip((c.name for c in self.columns), cells, strict=True))


# -- flattening rules ----------------------------------------------------------


def join_list(items: Iterable[str], separator: str = LIST_SEPARATOR) -> str:
    """Join items; a backslash escapes itself and the separator's mark inside an item."""
    mark = separator.strip()
    return separator.join(item.replace("\\", "\\\\").replace(mark, "\\" + mark) for item in items)


def split_list(cell: str, separator: str = LIST_SEPARATOR) -> list[str]:
    """The inverse of join_list: a reference implementation for readers of the CSV."""
    if not cell:
        return []
    items: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(cell):
        if cell[i] == "\\" and i + 1 < len(cell):
            current.append(cell[i + 1])
            i += 2
        elif cell.startswith(separator, i):
            items.append("".join(current))
            current, i = [], i + len(separator)
        else:
            current.append(cell[i])
            i += 1
    items.append("".join(current))
    return items


def scalar(name: str, doc: str, get: Callable[[R], Cell], type: str = "string") -> Field[R]:
    return Field((Column(name, doc, type),), lambda r: {name: get(r)})


def listing(name: str, doc: str, get: Callable[[R], Iterable[str]]) -> Field[R]:
    return Field(
        (Column(name, f"{doc}, `;`-separated"),),
        lambda r: {name: list(get(r))},
        lambda v: (join_list(v[name]),),
    )


def nested(
    name: str, doc: str, get: Callable[[R], list[dict[str, Any]]], item: Callable[[Any], str]
) -> Field[R]:
    """A list of objects: whole in NDJSON, one `item(...)` string each in CSV."""
    return Field(
        (Column(name, f"{doc}, `;`-separated"),),
        lambda r: {name: get(r)},
        lambda v: (join_list(item(x) for x in v[name]),),
    )


def _date(name: str, date: PartialDate | None) -> dict[str, str | None]:
    return {
        name: date.iso if date else None,
        f"{name}_precision": date.precision.value if date else None,
    }


def _days(name: str, date: PartialDate | None) -> dict[str, str | None]:
    return {
        f"{name}_start": date.first_day.isoformat() if date else None,
        f"{name}_end": date.last_day.isoformat() if date else None,
    }


def days(name: str, get: Callable[[R], PartialDate | None]) -> Field[R]:
    """The first and last day a partial date covers, as full ISO dates that pandas, R and
    spreadsheets read: "2013-03" covers 2013-03-01 to 2013-03-31. Separate from `dated`
    because they were added after its columns, and columns are only ever added at the end."""
    return Field(
        (
            Column(f"{name}_start", f"first day `{name}` covers, YYYY-MM-DD; empty with `{name}`"),
            Column(f"{name}_end", f"last day `{name}` covers, YYYY-MM-DD; empty with `{name}`"),
        ),
        lambda r: _days(name, get(r)),
    )


def dated(name: str, doc: str, get: Callable[[R], PartialDate | None]) -> Field[R]:
    """A partial date and its precision, so "2013-03" is never mistaken for 1 March."""
    return Field(
        (
            Column(name, f"{doc} (ISO partial date: YYYY, YYYY-MM or YYYY-MM-DD)"),
            Column(f"{name}_precision", f"precision of `{name}`: YEAR, MONTH or DAY"),
        ),
        lambda r: _date(name, get(r)),
    )


def _evidence(items: tuple[Evidence, ...]) -> list[dict[str, Any]]:
    return [
        {"passage": e.passage_id, "quote": e.quote, "start": e.start, "end": e.end} for e in items
    ]


def _number(value: float) -> int | float:
    # 107000, not 107000.0: the source's counts are whole numbers.
    return int(value) if value.is_integer() else value


CRISIS: Field[InCrisis] = scalar("crisis", "slug of the crisis", lambda r: r.crisis)
# The key every table shares with the API's `slug` field (actors and places had it first).
SLUG: Field[Any] = scalar(
    "slug", "the record's stable key within its crisis, as `slug` in the API", lambda r: r.id
)
NOTE: Field[Curated] = scalar("note", "curator's remark for researchers", lambda r: r.note)
SOURCES: Field[Curated] = listing(
    "sources", "citations for facts not taken from the page", lambda r: r.sources
)
EVIDENCE: Field[Curated] = Field(
    (
        Column("evidence_passages", "ids of the passages the record rests on, `;`-separated"),
        Column(
            "evidence_quotes",
            "the verbatim quote from each of those passages, same order, ` | `-separated",
        ),
    ),
    lambda r: {"evidence": _evidence(r.evidence)},
    lambda v: (
        join_list(e["passage"] for e in v["evidence"]),
        join_list((e["quote"] for e in v["evidence"]), QUOTE_SEPARATOR),
    ),
)


def _in(crisis: str, records: Iterable[C]) -> tuple[C, ...]:
    """One crisis's records, in the repository's order (the API's)."""
    return tuple(r for r in records if r.crisis == crisis)


# -- the record types ----------------------------------------------------------


def _roles(actor: Actor) -> list[dict[str, Any]]:
    return [
        {
            "title": role.title,
            "of": role.of,
            **_date("start", role.start),
            **_date("end", role.end),
            "evidence": _evidence(role.evidence),
            **_days("start", role.start),
            **_days("end", role.end),
        }
        for role in actor.roles
    ]


def _role_item(role: dict[str, Any]) -> str:
    # Title first: only it is free text, so `rsplit(":", 3)` recovers the parts.
    return ":".join((role["title"], role["of"] or "", role["start"] or "", role["end"] or ""))


ACTORS: RecordType[Actor] = RecordType(
    "actors",
    lambda repo, crisis: _in(crisis, repo.actor_list),
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
    lambda repo, crisis: _in(crisis, repo.place_list),
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
    lambda repo, crisis: _in(crisis, repo.event_list),
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
    lambda repo, crisis: _in(crisis, repo.relation_list),
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
    lambda repo, crisis: _in(crisis, repo.resolution_list),
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
    lambda repo, crisis: _in(crisis, repo.document_list),
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
    lambda repo, crisis: _in(crisis, repo.figure_list),
    (
        CRISIS,
        scalar("id", "the figure's stable id", lambda f: f.id),
        scalar(
            "value", "the number; the floor of a vague amount", lambda f: _number(f.value), "number"
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
        replace(p, source_id=p.source_id or source) for p in _in(crisis, repo.passage_list)
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


# -- writers -------------------------------------------------------------------


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return str(cell)


def write_csv(kind: RecordType[Any], records: Iterable[Any]) -> Iterator[str]:
    """A header row, then one row per record; the csv module's default dialect is RFC 4180."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(c.name for c in kind.columns)
    for record in records:
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(_text(cell) for cell in kind.flat(record).values())
    yield buffer.getvalue()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def write_ndjson(kind: RecordType[Any], records: Iterable[Any]) -> Iterator[str]:
    for record in records:
        yield _json(kind.nested(record)) + "\n"


def write_geojson(
    kind: RecordType[Any],
    records: Iterable[Any],
    geometry: Callable[[Any], dict[str, Any] | None],
) -> Iterator[str]:
    """An RFC 7946 FeatureCollection; properties are the CSV's columns, typed."""
    yield '{"type": "FeatureCollection", "features": [\n'
    for i, record in enumerate(records):
        feature = {
            "type": "Feature",
            "id": record.id,
            "geometry": geometry(record),
            "properties": kind.flat(record),
        }
        yield ("," if i else "") + _json(feature) + "\n"
    yield "]}\n"


# -- what exists ---------------------------------------------------------------


def formats_for(type_name: str) -> tuple[str, ...]:
    return TABLE_FORMATS + (("geojson",) if type_name in GEO_TYPES else ())


@dataclass(frozen=True)
class Export:
    repo: Repository
    crisis: str
    kind: RecordType[Any]
    format: str

    @property
    def filename(self) -> str:
        return f"{self.crisis}-{self.kind.name}.{self.format}"

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    def chunks(self) -> Iterator[str]:
        records = self.kind.records(self.repo, self.crisis)
        if self.format == "csv":
            return write_csv(self.kind, records)
        if self.format == "ndjson":
            return write_ndjson(self.kind, records)
        locate = GEOMETRY[self.kind.name]
        return write_geojson(self.kind, records, lambda r: locate(self.repo, r))


def check_crisis(repo: Repository, crisis: str) -> None:
    """ExportNotFound, naming the crises that exist, if `crisis` is not one of them."""
    if crisis not in repo.crisis_by_slug:
        raise ExportNotFound(
            f"There is no crisis {crisis!r}: exports exist for {', '.join(repo.crisis_by_slug)}."
        )


def find_export(repo: Repository, crisis: str, type_name: str, fmt: str) -> Export:
    """The export asked for; ExportNotFound, naming what exists, if there is none."""
    check_crisis(repo, crisis)
    if type_name not in RECORD_TYPES:
        raise ExportNotFound(
            f"There is no record type {type_name!r}: choose one of {', '.join(RECORD_TYPES)}."
        )
    formats = formats_for(type_name)
    if fmt not in formats:
        raise ExportNotFound(
            f"There is no {type_name} export in format {fmt!r}: "
            f"choose {' or '.join(f'{type_name}.{f}' for f in formats)}."
        )
    return Export(repo, crisis, RECORD_TYPES[type_name], fmt)
