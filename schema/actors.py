"""Actors (organisations, armed groups, states, people, ...) and the relations between them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from data import order, records
from resolvers import actors as resolve
from resolvers.context import Info
from resolvers.pages import PageArgs
from schema.common import (
    AFTER,
    BEFORE,
    FIRST,
    LAST,
    Connection,
    Node,
    PartialDate,
    node_id,
    paginate,
    per_record,
)
from schema.enums import ActorKind, RelationKind
from schema.figures import Figure, figures_about
from schema.passages import Evidence, Passage
from schema.releases import Released

if TYPE_CHECKING:
    from schema.events import Event


@strawberry.type(description="An office or position a person held, as the source gives it.")
class Role:
    title: str = strawberry.field(description='The title, e.g. "interim president".')
    start: PartialDate | None = strawberry.field(description="When they took it, if given.")
    end: PartialDate | None = strawberry.field(description="When they left it, if given.")
    evidence: list[Evidence] = strawberry.field(description="Quotes that give the role.")
    _crisis: strawberry.Private[str]
    _of: strawberry.Private[str | None]

    @strawberry.field(description="The organisation or state the office belongs to, if any.")
    def of(self, info: Info) -> Actor | None:
        rec = resolve.optional_actor(info, self._crisis, self._of)
        return Actor.from_record(rec) if rec else None


@strawberry.type(
    description="An organisation, armed group, state, government, mission, operation, court, "
    "NGO or person that the source names."
)
class Actor(Node, Released):
    slug: str = strawberry.field(
        description='Stable short name within its crisis, e.g. "mnla": the `slug` column of '
        "the actors export."
    )
    name: str = strawberry.field(description="Full name.")
    aliases: list[str] = strawberry.field(
        description="Other names: acronyms, names in other languages, the source's own spellings."
    )
    kind: ActorKind = strawberry.field(description="What sort of actor this is.")
    description: str = strawberry.field(description="A short description, in the curators' words.")
    note: str | None = strawberry.field(
        description="A curator's remark, e.g. where the source contradicts itself or the record."
    )
    roles: list[Role] = strawberry.field(description="For a person: the offices the source gives.")
    evidence: list[Evidence] = strawberry.field(description="Quotes naming the actor.")
    _record: strawberry.Private[records.Actor]

    @classmethod
    @per_record
    def from_record(cls, rec: records.Actor) -> Actor:
        return cls(
            id=node_id("actor", rec.crisis, rec.id),
            slug=rec.id,
            name=rec.name,
            aliases=list(rec.aliases),
            kind=ActorKind(rec.kind),
            description=rec.description,
            note=rec.note,
            roles=[
                Role(
                    title=r.title,
                    start=PartialDate.of(r.start),
                    end=PartialDate.of(r.end),
                    evidence=Evidence.all_of(rec.crisis, r.evidence),
                    _crisis=rec.crisis,
                    _of=r.of,
                )
                for r in rec.roles
            ],
            evidence=Evidence.all_of(rec.crisis, rec.evidence),
            _record=rec,
        )

    @strawberry.field(description="Numbers the source states about this actor.")
    def figures(self, info: Info) -> list[Figure]:
        return figures_about(info, "actor", self._record.key)

    @strawberry.field(
        description="Relations this actor is the subject or object of. With `at`, only those "
        "in force on that date, judged by the dates the source gives: a relation with a start "
        "and no end is in force from its start on, one with an end and no start up to its end. "
        "A relation with neither is undated (its dates are unknown, not 'always'): it is "
        "listed unless `includeUndated` is false."
    )
    def relations(
        self,
        info: Info,
        at: Annotated[
            str | None,
            strawberry.argument(description='A date: "2012", "2012-05" or "2012-05-01".'),
        ] = None,
        include_undated: Annotated[
            bool | None,
            strawberry.argument(
                description="Whether to list relations the source gives no start or end for. "
                "True (the default; null counts as true) keeps them, since they may have held "
                "on `at`; false is the strict reading: only relations whose recorded dates "
                "place them on `at`."
            ),
        ] = True,
    ) -> list[Relation]:
        found = resolve.relations(info, self._record, at, include_undated is not False)
        return [Relation.from_record(r) for r in found]

    @strawberry.field(description="Events the actor took part in, oldest first.")
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

    @strawberry.field(
        description="Passages that name the actor (by name or alias) or cite it as evidence, "
        "in page order."
    )
    def mentions(
        self,
        info: Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
    ) -> Connection[Passage]:
        found = resolve.mentions(info, self._record)
        args = PageArgs(first, after, last, before)
        return paginate(info, found, order.PASSAGES, Passage.from_record, args)


@strawberry.type(description="A tie between two actors, read as `subject KIND object`.")
class Relation(Node, Released):
    slug: str = strawberry.field(
        description='Stable short name within its crisis, e.g. "mnla-ansar-dine-alliance": '
        "the `slug` column of the relations export."
    )
    kind: RelationKind = strawberry.field(description="What the tie is.")
    start: PartialDate | None = strawberry.field(
        description="When it began, at the precision the source allows. Null means the source "
        "gives no start (unknown), not that the tie always held."
    )
    end: PartialDate | None = strawberry.field(
        description="When it ended, at the precision the source allows. Null means the source "
        "gives no end (unknown or still in force as of the source), not that it never ended."
    )
    description: str | None = strawberry.field(description="The tie in the curators' words.")
    note: str | None = strawberry.field(description="A curator's remark on how it was recorded.")
    evidence: list[Evidence] = strawberry.field(description="Quotes that establish the tie.")
    _record: strawberry.Private[records.Relation]

    @classmethod
    @per_record
    def from_record(cls, rec: records.Relation) -> Relation:
        return cls(
            id=node_id("relation", rec.crisis, rec.id),
            slug=rec.id,
            kind=RelationKind(rec.kind),
            start=PartialDate.of(rec.start),
            end=PartialDate.of(rec.end),
            description=rec.description,
            note=rec.note,
            evidence=Evidence.all_of(rec.crisis, rec.evidence),
            _record=rec,
        )

    @strawberry.field(description="The actor the relation is about.")
    def subject(self, info: Info) -> Actor:
        return Actor.from_record(resolve.actor(info, self._record.crisis, self._record.subject))

    @strawberry.field(description="The other actor.")
    def object(self, info: Info) -> Actor:
        return Actor.from_record(resolve.actor(info, self._record.crisis, self._record.object))


@strawberry.input(description="Narrow the relations listed.")
class RelationFilter:
    crisis: str | None = strawberry.field(default=None, description="Only this crisis (its slug).")
    actor: strawberry.ID | None = strawberry.field(
        default=None, description="Only relations this actor (its ID) is the subject or object of."
    )
    kinds: list[RelationKind] | None = strawberry.field(
        default=None, description="Only relations of these kinds."
    )
    at: str | None = strawberry.field(
        default=None,
        description='Only relations in force on this date ("2012", "2012-05" or "2012-05-01"): '
        "one with no end is in force from its start on, one with no start up to its end, and "
        "one with neither on every date unless `includeUndated` is false.",
    )
    include_undated: bool | None = strawberry.field(
        default=True,
        description="Whether to keep relations whose start and end are both unknown (null "
        'means the source does not say, not "always"). False leaves them out, with or without '
        "`at`: the strict reading. Null counts as true.",
    )


@strawberry.input(description="Narrow the actors listed.")
class ActorFilter:
    crisis: str | None = strawberry.field(default=None, description="Only this crisis (its slug).")
    kinds: list[ActorKind] | None = strawberry.field(
        default=None, description="Only actors of these kinds."
    )
    name: str | None = strawberry.field(
        default=None,
        description="Only actors whose name or an alias contains this text "
        "(case- and accent-insensitive).",
    )
