"""Dated events and the actors that took part in them."""

from __future__ import annotations

import strawberry

from data import records
from resolvers import events as resolve
from resolvers.context import Info
from resolvers.links import Links, links_of
from schema.actors import Actor
from schema.common import Node, PartialDate, linked, node_id, per_record
from schema.enums import EventKind, EventOrderField, OrderDirection, ParticipantRole
from schema.figures import Figure
from schema.passages import Evidence
from schema.places import Place
from schema.releases import Released


@strawberry.type(description="An actor's part in an event.")
class Participant:
    role: ParticipantRole = strawberry.field(description="The part the actor played.")
    _crisis: strawberry.Private[str]
    _actor: strawberry.Private[str]

    @strawberry.field(description="The actor.")
    @linked(lambda links, self: self.linked_actor(links))
    def actor(self, info: Info) -> Actor:
        return self.linked_actor(links_of(info))

    def linked_actor(self, links: Links) -> Actor:
        return Actor.from_record(resolve.actor(links, self._crisis, self._actor))


@strawberry.type(
    description="Something the source dates, at the precision it gives: a day, a month, a year, "
    "or a span from `date` to `endDate`."
)
class Event(Node, Released):
    slug: str = strawberry.field(
        description='Stable short name within its crisis, e.g. "coup-2012": the `slug` column '
        "of the events export."
    )
    title: str = strawberry.field(description="A short title, in the curators' words.")
    description: str = strawberry.field(description="What happened, in the curators' words.")
    kind: EventKind = strawberry.field(description="What sort of event this is.")
    date: PartialDate = strawberry.field(description="When it happened, or when a span began.")
    end_date: PartialDate | None = strawberry.field(
        description="When a span ended; null otherwise."
    )
    note: str | None = strawberry.field(
        description="A curator's remark: how a date was read, or where the source errs."
    )
    participants: list[Participant] = strawberry.field(description="Who took part, and how.")
    evidence: list[Evidence] = strawberry.field(description="Quotes that date and describe it.")
    _record: strawberry.Private[records.Event]

    @classmethod
    @per_record
    def from_record(cls, rec: records.Event) -> Event:
        return cls(
            id=node_id("event", rec.crisis, rec.id),
            slug=rec.id,
            title=rec.title,
            description=rec.description,
            kind=EventKind(rec.kind),
            date=PartialDate.of(rec.date),  # type: ignore[arg-type]
            end_date=PartialDate.of(rec.end_date),
            note=rec.note,
            participants=[
                Participant(role=ParticipantRole(p.role), _crisis=rec.crisis, _actor=p.actor)
                for p in rec.participants
            ],
            evidence=Evidence.all_of(rec.crisis, rec.evidence),
            _record=rec,
        )

    @strawberry.field(description="Where it happened.")
    @linked(lambda links, self: self.linked_places(links))
    def places(self, info: Info) -> list[Place]:
        return self.linked_places(links_of(info))

    @strawberry.field(description="Numbers the source states about this event.")
    @linked(lambda links, self: self.linked_figures(links))
    def figures(self, info: Info) -> list[Figure]:
        return self.linked_figures(links_of(info))

    def linked_places(self, links: Links) -> list[Place]:
        return [Place.from_record(p) for p in resolve.places(links, self._record)]

    def linked_figures(self, links: Links) -> list[Figure]:
        return [Figure.from_record(f) for f in resolve.figures(links, self._record)]


@strawberry.input(description="Narrow the events listed.")
class EventFilter:
    crisis: str | None = strawberry.field(default=None, description="Only this crisis (its slug).")
    from_: str | None = strawberry.field(
        default=None,
        name="from",
        description='Only events that overlap this date or later: "2012", "2012-03" or '
        '"2012-03-22", inclusive. An event dated 2013-03 is inside from: "2013-03-15".',
    )
    to: str | None = strawberry.field(
        default=None, description="Only events that overlap this date or earlier, inclusive."
    )
    actor: strawberry.ID | None = strawberry.field(
        default=None, description="Only events this actor (its ID) took part in."
    )
    place: strawberry.ID | None = strawberry.field(
        default=None, description="Only events at this place (its ID), or within this country."
    )
    kinds: list[EventKind] | None = strawberry.field(
        default=None, description="Only events of these kinds."
    )


@strawberry.input(description="How to sort events.")
class EventOrder:
    field: EventOrderField = strawberry.field(
        default=EventOrderField.DATE, description="What to sort by."
    )
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending or descending."
    )
