"""One reader per record type: a record's fields, checked one by one (data/fields.py), into
its immutable record. Reading files is data/loader.py's; cross-record checks are
data/validate.py's."""

from __future__ import annotations

from data import vocab
from data.dates import PartialDate
from data.fields import RecordFields
from data.records import (
    Actor,
    Document,
    Event,
    Figure,
    Participant,
    Place,
    Relation,
    Resolution,
    Role,
)


def actor(slug: str, f: RecordFields) -> Actor:
    roles = []
    raw_roles = f.raw.get("roles", [])
    if not isinstance(raw_roles, list):
        f.problem("roles", 'must be a list of {"title": ..., "evidence": [...]}')
        raw_roles = []
    for i, raw in enumerate(raw_roles):
        rf = f.nested("roles", i, raw)
        roles.append(
            Role(
                title=rf.text("title") or "",
                of=rf.ref("of", "actor"),
                start=rf.date("start"),
                end=rf.date("end"),
                evidence=rf.evidence(),
            )
        )
    return Actor(
        crisis=slug,
        id=str(f.record),
        kind=f.choice("kind", vocab.ACTOR_KINDS),
        name=f.text("name") or "",
        aliases=f.strings("aliases"),
        description=f.text("description") or "",
        roles=tuple(roles),
        evidence=f.evidence(),
        note=f.text("note", required=False),
        sources=f.strings("sources"),
    )


def place(slug: str, f: RecordFields) -> Place:
    lat, lon = f.number("latitude"), f.number("longitude")
    if (lat is None) != (lon is None):
        f.problem("latitude", "give both latitude and longitude, or neither")
    if lat is not None and not -90 <= lat <= 90:
        f.problem("latitude", f"{lat} is outside -90..90")
    if lon is not None and not -180 <= lon <= 180:
        f.problem("longitude", f"{lon} is outside -180..180")
    if lat is not None and not f.raw.get("sources"):
        f.problem("sources", "name the gazetteer the coordinates come from")
    return Place(
        crisis=slug,
        id=str(f.record),
        kind=f.choice("kind", vocab.PLACE_KINDS),
        name=f.text("name") or "",
        aliases=f.strings("aliases"),
        country=f.ref("country", "place"),
        latitude=lat,
        longitude=lon,
        evidence=f.evidence(),
        note=f.text("note", required=False),
        sources=f.strings("sources"),
    )


def event(slug: str, f: RecordFields) -> Event:
    participants = []
    raw_parts = f.raw.get("participants", [])
    if not isinstance(raw_parts, list):
        f.problem("participants", 'must be a list of {"actor": ..., "role": ...}')
        raw_parts = []
    for i, raw in enumerate(raw_parts):
        pf = f.nested("participants", i, raw)
        actor = pf.ref("actor", "actor", required=True)
        role = pf.choice("role", vocab.PARTICIPANT_ROLES)
        if actor:
            participants.append(Participant(actor, role))
    date = f.date("date", required=True)
    end_date = f.date("end_date")
    if date and end_date and end_date.last_day < date.first_day:
        f.problem("end_date", f"{end_date} is before the date {date}")
    return Event(
        crisis=slug,
        id=str(f.record),
        kind=f.choice("kind", vocab.EVENT_KINDS),
        title=f.text("title") or "",
        description=f.text("description") or "",
        date=date or PartialDate(1),
        end_date=end_date,
        participants=tuple(participants),
        places=f.refs("places", "place"),
        evidence=f.evidence(),
        note=f.text("note", required=False),
        sources=f.strings("sources"),
    )


def relation(slug: str, f: RecordFields) -> Relation:
    start, end = f.date("start"), f.date("end")
    if start and end and end.last_day < start.first_day:
        f.problem("end", f"{end} is before the start {start}")
    return Relation(
        crisis=slug,
        id=str(f.record),
        kind=f.choice("kind", vocab.RELATION_KINDS),
        subject=f.ref("subject", "actor", required=True) or "",
        object=f.ref("object", "actor", required=True) or "",
        start=start,
        end=end,
        description=f.text("description", required=False),
        evidence=f.evidence(),
        note=f.text("note", required=False),
        sources=f.strings("sources"),
    )


def resolution(slug: str, f: RecordFields) -> Resolution:
    number = f.raw.get("number")
    year = f.raw.get("year")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        f.problem("number", "must be the resolution's number, a positive whole number")
        number = 0
    if not isinstance(year, int) or isinstance(year, bool) or not 1946 <= year <= 2100:
        f.problem("year", "must be the year of adoption, e.g. 2013")
        year = 0
    adopted = f.date("adopted")
    if adopted and year and adopted.year != year:
        f.problem("adopted", f"{adopted} is not in the resolution's year {year}")
    return Resolution(
        crisis=slug,
        id=str(number),
        number=number,
        year=year,
        adopted=adopted,
        unanimous=f.boolean("unanimous"),
        summary=f.text("summary") or "",
        concerns=f.refs("concerns", "actor"),
        evidence=f.evidence(),
        note=f.text("note", required=False),
        sources=f.strings("sources"),
    )


def document(slug: str, f: RecordFields) -> Document:
    return Document(
        crisis=slug,
        id=str(f.record),
        kind=f.choice("kind", vocab.DOCUMENT_KINDS),
        title=f.text("title") or "",
        publisher=f.ref("publisher", "actor"),
        authors=f.refs("authors", "actor"),
        date=f.date("date"),
        url=f.text("url", required=False),
        evidence=f.evidence(),
        file=f.text("file", required=False),
        covers_until=f.date("covers_until"),
        note=f.text("note", required=False),
        sources=f.strings("sources"),
    )


def figure(slug: str, f: RecordFields) -> Figure:
    subject = None
    raw_subject = f.raw.get("subject")
    if raw_subject is not None:
        kind, _, ident = str(raw_subject).partition(":")
        if kind not in vocab.SUBJECT_TYPES or not ident:
            f.problem(
                "subject",
                f"{raw_subject!r} must be TYPE:ID with TYPE one of "
                f"{', '.join(vocab.SUBJECT_TYPES)}",
            )
        else:
            f.ref("subject", kind, ident)
            subject = (kind, ident)
    return Figure(
        crisis=slug,
        id=str(f.record),
        value=f.number("value", required=True) or 0.0,
        qualifier=f.choice("qualifier", vocab.FIGURE_QUALIFIERS),
        measure=f.text("measure") or "",
        as_of=f.date("as_of"),
        subject=subject,
        source=f.ref("source", "actor"),
        evidence=f.evidence(),
        note=f.text("note", required=False),
        sources=f.strings("sources"),
    )
