"""Places: countries, regions, cities, towns, villages and sites."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from data import order, records
from resolvers import places as resolve
from resolvers.context import Info
from resolvers.pages import PageArgs
from schema.common import (
    AFTER,
    BEFORE,
    FIRST,
    LAST,
    Connection,
    Node,
    node_id,
    paginate,
    per_record,
)
from schema.enums import PlaceKind
from schema.figures import Figure, figures_about
from schema.passages import Evidence
from schema.releases import Released

if TYPE_CHECKING:
    from schema.events import Event


@strawberry.type(description="A country, region, city, town, village or site the source names.")
class Place(Node, Released):
    slug: str = strawberry.field(
        description='Stable short name within its crisis, e.g. "timbuktu": the `slug` column '
        "of the places export."
    )
    name: str = strawberry.field(description="The usual English name.")
    aliases: list[str] = strawberry.field(
        description="Other names and spellings (e.g. Tombouctou), including the source's own."
    )
    kind: PlaceKind = strawberry.field(description="What sort of place this is.")
    latitude: float | None = strawberry.field(
        description="Latitude in decimal degrees (WGS 84), from the gazetteer in `sources`."
    )
    longitude: float | None = strawberry.field(
        description="Longitude in decimal degrees (WGS 84), from the gazetteer in `sources`."
    )
    sources: list[str] = strawberry.field(
        description="Where facts not from the source page (the coordinates) come from."
    )
    note: str | None = strawberry.field(description="A curator's remark, e.g. on a misspelling.")
    evidence: list[Evidence] = strawberry.field(description="Quotes naming the place.")
    _record: strawberry.Private[records.Place]

    @classmethod
    @per_record
    def from_record(cls, rec: records.Place) -> Place:
        return cls(
            id=node_id("place", rec.crisis, rec.id),
            slug=rec.id,
            name=rec.name,
            aliases=list(rec.aliases),
            kind=PlaceKind(rec.kind),
            latitude=rec.latitude,
            longitude=rec.longitude,
            sources=list(rec.sources),
            note=rec.note,
            evidence=Evidence.all_of(rec.crisis, rec.evidence),
            _record=rec,
        )

    @strawberry.field(description="Numbers the source states about this place.")
    def figures(self, info: Info) -> list[Figure]:
        return figures_about(info, "place", self._record.key)

    @strawberry.field(description="The country the place lies in; null for a country or region.")
    def country(self, info: Info) -> Place | None:
        rec = resolve.country(info, self._record)
        return Place.from_record(rec) if rec else None

    @strawberry.field(
        description="Events at this place, or (for a country) anywhere in it, oldest first."
    )
    def events(
        self,
        info: Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
    ) -> Connection[Annotated[Event, strawberry.lazy("schema.events")]]:
        from schema.events import Event

        found = resolve.events(info, self._record)
        args = PageArgs(first, after, last, before)
        return paginate(info, found, order.EVENTS_BY_DATE, Event.from_record, args)


@strawberry.input(description="Narrow the places listed.")
class PlaceFilter:
    crisis: str | None = strawberry.field(default=None, description="Only this crisis (its slug).")
    kinds: list[PlaceKind] | None = strawberry.field(
        default=None, description="Only places of these kinds."
    )
    name: str | None = strawberry.field(
        default=None,
        description="Only places whose name or an alias contains this text "
        "(case- and accent-insensitive).",
    )
