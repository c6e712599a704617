"""The store's records: frozen, typed, loaded once.

Every record knows its crisis and its id within that crisis; `key` is the
pair, unique per record type across the whole store. Offsets in evidence
are computed by the loader from the quote, never typed by a curator.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import msgspec

from data.dates import DateRange, PartialDate

Key = tuple[str, str]  # (crisis slug, record id)


@dataclass(frozen=True, slots=True)
class Evidence:
    passage_id: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Passage:
    crisis: str
    id: str
    seq: int
    section: str | None
    text: str
    source_id: str
    source_start: int  # where the passage begins in its source file

    @property
    def key(self) -> Key:
        return (self.crisis, self.id)


@dataclass(frozen=True, slots=True)
class Role:
    title: str
    of: str | None
    start: PartialDate | None
    end: PartialDate | None
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Actor:
    crisis: str
    id: str
    kind: str
    name: str
    aliases: tuple[str, ...]
    description: str
    roles: tuple[Role, ...]
    evidence: tuple[Evidence, ...]
    note: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def key(self) -> Key:
        return (self.crisis, self.id)


@dataclass(frozen=True, slots=True)
class Place:
    crisis: str
    id: str
    kind: str
    name: str
    aliases: tuple[str, ...]
    country: str | None
    latitude: float | None
    longitude: float | None
    evidence: tuple[Evidence, ...]
    note: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def key(self) -> Key:
        return (self.crisis, self.id)


@dataclass(frozen=True, slots=True)
class Participant:
    actor: str
    role: str


@dataclass(frozen=True, slots=True)
class Event:
    crisis: str
    id: str
    kind: str
    title: str
    description: str
    date: PartialDate
    end_date: PartialDate | None
    participants: tuple[Participant, ...]
    places: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    note: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def key(self) -> Key:
        return (self.crisis, self.id)

    @property
    def span(self) -> DateRange:
        return DateRange.between(self.date, self.end_date or self.date)


@dataclass(frozen=True, slots=True)
class Relation:
    crisis: str
    id: str
    kind: str
    subject: str
    object: str
    start: PartialDate | None
    end: PartialDate | None
    description: str | None
    evidence: tuple[Evidence, ...]
    note: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def key(self) -> Key:
        return (self.crisis, self.id)

    @property
    def span(self) -> DateRange:
        return DateRange.between(self.start, self.end)


@dataclass(frozen=True, slots=True)
class Resolution:
    crisis: str
    id: str  # the resolution number as text, e.g. "2100"
    number: int
    year: int
    adopted: PartialDate | None
    unanimous: bool | None
    summary: str
    concerns: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    note: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def key(self) -> Key:
        return (self.crisis, self.id)


@dataclass(frozen=True, slots=True)
class Document:
    crisis: str
    id: str
    kind: str
    title: str
    publisher: str | None
    authors: tuple[str, ...]
    date: PartialDate | None
    url: str | None
    evidence: tuple[Evidence, ...]
    file: str | None = None
    covers_until: PartialDate | None = None
    note: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def key(self) -> Key:
        return (self.crisis, self.id)


@dataclass(frozen=True, slots=True)
class Figure:
    crisis: str
    id: str
    value: float
    qualifier: str
    measure: str
    as_of: PartialDate | None
    subject: tuple[str, str] | None  # (record type, id), e.g. ("event", "coup-2012")
    source: str | None
    evidence: tuple[Evidence, ...]
    note: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def key(self) -> Key:
        return (self.crisis, self.id)


@dataclass(frozen=True, slots=True)
class Crisis:
    id: str
    name: str
    country: str | None
    summary: str
    source: str
    start: PartialDate | None
    end: PartialDate | None
    licence: str  # SPDX id of the curated records' licence (data/terms.py)
    evidence: tuple[Evidence, ...] = field(default=())

    @property
    def crisis(self) -> str:
        return self.id

    @property
    def key(self) -> Key:
        return (self.id, self.id)


class Mention(msgspec.Struct, frozen=True, gc=False):
    """A stretch of a passage that names or evidences a record.

    A msgspec Struct, not a dataclass: the store holds some 90,000 of them at 100 crises,
    made anew at every start, and a Struct is built in C, without the collector's header
    (it holds no container that could form a cycle).
    """

    kind: str  # record type: "actor", "place", "event", ...
    key: Key
    start: int
    end: int


Record = Actor | Place | Event | Relation | Resolution | Document | Figure | Passage | Crisis
