"""Numbered releases of a crisis's records, the change feed between them, and what every
record says about its own release: the one that added it, the one that last changed it,
and how to cite it."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from data import releases as records
from data.dates import PartialDate as PartialDateRecord
from data.kinds import BY_TYPE_NAME
from resolvers import releases as resolve
from resolvers.context import Info
from schema.common import PartialDate, per_record

if TYPE_CHECKING:
    from schema.common import Node


@strawberry.type(description="A numbered release of a crisis's records, which citations name.")
class Release:
    version: str = strawberry.field(
        description='Its version, numbers joined by dots, e.g. "1.1"; later releases have '
        "higher numbers."
    )
    date: PartialDate = strawberry.field(description="The day it was released.")
    notes: str = strawberry.field(description="What it changed, in the curators' words.")

    @classmethod
    @per_record
    def from_record(cls, rec: records.Release) -> Release:
        date = PartialDate.of(PartialDateRecord.parse(rec.date))
        assert date is not None
        return cls(version=rec.version, date=date, notes=rec.notes)

    @classmethod
    def of(cls, rec: records.Release | None) -> Release | None:
        return cls.from_record(rec) if rec is not None else None


@strawberry.enum(description="How a record differs between two releases.")
class ChangeKind(enum.Enum):
    ADDED = strawberry.enum_value(records.ADDED, description="It is new.")
    CHANGED = strawberry.enum_value(
        records.CHANGED, description="Some of its fields (a date, a note, its evidence) changed."
    )
    REMOVED = strawberry.enum_value(
        records.REMOVED, description="It is gone: its `record` is null; drop your copy."
    )


@strawberry.type(
    description="One record's difference between the release a client last synced from and "
    "the latest release."
)
class Change:
    type: str = strawberry.field(
        description='The type of record, in lowercase as typed references spell it: "actor", '
        '"place", "event", "relation", "resolution", "document", "figure", "passage" or '
        '"crisis".'
    )
    slug: str = strawberry.field(
        description="The record's slug (a resolution's number), as the exports' `slug` column "
        "has it."
    )
    kind: ChangeKind = strawberry.field(description="Added, changed or removed.")
    release: Release = strawberry.field(
        description="The release that last made this change (the latest that touched the record)."
    )
    _record: strawberry.Private[records.Change]

    @classmethod
    @per_record
    def from_record(cls, rec: records.Change) -> Change:
        return cls(
            type=rec.type,
            slug=rec.slug,
            kind=ChangeKind(rec.kind),
            release=Release.from_record(rec.release),
            _record=rec,
        )

    @strawberry.field(description="The record as it stands now; null when it was removed.")
    def record(self, info: Info) -> Annotated[Node, strawberry.lazy("schema.common")] | None:
        from schema.nodes import as_node

        found = resolve.changed_record(info, self._record)
        return as_node(*found) if found else None


@strawberry.interface(
    description="A curated record, released in numbered versions of its crisis: the release "
    "that added it, the one that last changed it, and how to cite it."
)
class Released:
    _record: strawberry.Private[Any]

    @strawberry.field(
        description="The release that added this record; null while it is not yet in one."
    )
    def since(self, info: Info) -> Release | None:
        return Release.of(resolve.since(info, _kind(self), self._record))

    @strawberry.field(
        description="The release that last changed this record; null while it has changes not "
        "yet released."
    )
    def revision(self, info: Info) -> Release | None:
        return Release.of(resolve.revision(info, _kind(self), self._record))

    @strawberry.field(
        description="A citation of this record: its quote, where that stands on the source "
        "page (paragraph and passage), the crisis and its version, and the record's permalink "
        '(a GET of `node(id:)`), as README.md\'s "How to cite" describes.'
    )
    def cite(self, info: Info) -> str:
        return resolve.cite(info, _kind(self), self._record)


def _kind(obj: Any) -> str:
    return BY_TYPE_NAME[type(obj).__name__].name
