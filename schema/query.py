"""The root Query type: each field unpacks its arguments, asks its resolver, and wraps
the records it gets back in GraphQL types."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from data import order as orders
from resolvers import lists, lookups, releases
from resolvers import rate_limit as rate_limit_resolver
from resolvers import search as search_resolver
from resolvers.context import Info
from resolvers.errors import BadUserInput
from resolvers.pages import PageArgs
from schema.actors import Actor, ActorFilter, Relation, RelationFilter
from schema.common import AFTER, BEFORE, FIRST, LAST, Connection, Node, paginate
from schema.crisis import Crisis
from schema.documents import Document, DocumentFilter
from schema.enums import OrderDirection
from schema.events import Event, EventFilter, EventOrder
from schema.figures import Figure, FigureFilter
from schema.nodes import as_node
from schema.passages import Passage, PassageFilter
from schema.places import Place, PlaceFilter
from schema.rate_limit import RateLimit
from schema.releases import Change
from schema.resolutions import Resolution, ResolutionFilter
from schema.search import SYNTAX, SearchConnection, SearchFilter

CRISIS_ARG = strawberry.argument(
    description="Look only in this crisis (its slug); by default, in every crisis."
)


def _node(found: tuple[str, Any] | None) -> Node | None:
    return as_node(*found) if found else None


# Root lists are nullable (GitHub's convention): a field that fails is null with its error,
# and the other fields of the query still answer.
FILTER = strawberry.argument(description="Narrow the list.")


def _values(kinds: list[Any] | None) -> list[str] | None:
    return [k.name for k in kinds] if kinds else None


@strawberry.type(description="Everything crisisgraph can answer. Start here.")
class Query:
    @strawberry.field(description="Fetch any object by its global ID; null if there is none.")
    def node(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="An ID.")]
    ) -> Node | None:
        return _node(lookups.node(info, id))

    @strawberry.field(
        description="Fetch up to 100 objects by global ID, in order. Where an ID is malformed "
        "or names nothing the item is null, with an error whose path points at it; the "
        "other items are kept."
    )
    def nodes(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="The IDs.")],
    ) -> list[Node | None]:
        # graphql-core completes an exception in a list as null, with its error located at
        # that item: one error per bad ID, and the good ones kept.
        items: list[Any] = [
            found if isinstance(found, Exception) else _node(found)
            for found in lookups.nodes(info, list(ids))
        ]
        return items

    @strawberry.field(description="Every crisis in the knowledge base.")
    def crises(self, info: Info) -> list[Crisis]:
        return [Crisis.from_record(c) for c in lookups.crises(info)]

    @strawberry.field(description='One crisis by its slug, e.g. "mali"; null if unknown.')
    def crisis(
        self,
        info: Info,
        slug: Annotated[str, strawberry.argument(description="The crisis's slug.")],
    ) -> Crisis | None:
        rec = lookups.crisis(info, slug)
        return Crisis.from_record(rec) if rec else None

    @strawberry.field(
        description="One actor by exact name, alias or acronym, ignoring case and accents "
        '("IBK", "Commission Verite, Justice et Reconciliation"); null if none matches.'
    )
    def actor(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description="A name, alias or acronym.")],
        crisis: Annotated[str | None, CRISIS_ARG] = None,
    ) -> Actor | None:
        rec = lookups.actor(info, name, crisis)
        return Actor.from_record(rec) if rec else None

    @strawberry.field(
        description='One place by exact name or alias, ignoring case and accents ("tombouctou"); '
        "null if none matches."
    )
    def place(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description="A name or alias.")],
        crisis: Annotated[str | None, CRISIS_ARG] = None,
    ) -> Place | None:
        rec = lookups.place(info, name, crisis)
        return Place.from_record(rec) if rec else None

    @strawberry.field(description="One UN Security Council resolution by number; null if unknown.")
    def resolution(
        self,
        info: Info,
        number: Annotated[int, strawberry.argument(description="E.g. 2100.")],
        crisis: Annotated[str | None, CRISIS_ARG] = None,
    ) -> Resolution | None:
        rec = lookups.resolution(info, number, crisis)
        return Resolution.from_record(rec) if rec else None

    @strawberry.field(description="Actors, by name.")
    def actors(
        self,
        info: Info,
        filter: Annotated[ActorFilter | None, FILTER] = None,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
    ) -> Connection[Actor] | None:
        f = filter or ActorFilter()
        found = lists.actors(info, f.crisis, _values(f.kinds), f.name)
        args = PageArgs(first, after, last, before)
        return paginate(info, found, orders.ACTORS, Actor.from_record, args)

    @strawberry.field(
        description="Events, oldest first unless `orderBy` says otherwise. Date filters compare "
        "by overlap at the precision recorded."
    )
    def events(
        self,
        info: Info,
        filter: Annotated[EventFilter | None, FILTER] = None,
        order_by: Annotated[
            EventOrder | None, strawberry.argument(description="Sort order; by date by default.")
        ] = None,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
    ) -> Connection[Event] | None:
        f = filter or EventFilter()
        order = order_by or EventOrder()
        by = orders.EVENT_ORDERS[order.field.name]
        descending = order.direction == OrderDirection.DESC
        found = lists.events(
            info,
            crisis=f.crisis,
            date_from=f.from_,
            date_to=f.to,
            actor=f.actor,
            place=f.place,
            kinds=_values(f.kinds),
            by=by,
            descending=descending,
        )
        args = PageArgs(first, after, last, before)
        return paginate(info, found, by, Event.from_record, args, descending=descending)

    @strawberry.field(description="Places, by name.")
    def places(
        self,
        info: Info,
        filter: Annotated[PlaceFilter | None, FILTER] = None,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
    ) -> Connection[Place] | None:
        f = filter or PlaceFilter()
        found = lists.places(info, f.crisis, _values(f.kinds), f.name)
        args = PageArgs(first, after, last, before)
        return paginate(info, found, orders.PLACES, Place.from_record, args)

    @strawberry.field(description="UN Security Council resolutions, by number.")
    def resolutions(
        self,
        info: Info,
        filter: Annotated[ResolutionFilter | None, FILTER] = None,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
        crisis: Annotated[
            str | None,
            strawberry.argument(
                description="Only this crisis (its slug); the same as `filter: {crisis}`.",
                deprecation_reason="Every root list takes its crisis in `filter`: use "
                "`filter: {crisis: ...}`. This argument goes in the release after contract "
                "version 2.",
            ),
        ] = None,
    ) -> Connection[Resolution] | None:
        f = filter or ResolutionFilter()
        if crisis is not None and f.crisis is not None and crisis != f.crisis:
            raise BadUserInput(
                f"crisis: {crisis!r} and filter.crisis: {f.crisis!r} disagree; give the crisis "
                "in `filter` only"
            )
        found = lists.resolutions(info, f.crisis or crisis, f.from_, f.to)
        args = PageArgs(first, after, last, before)
        return paginate(info, found, orders.RESOLUTIONS, Resolution.from_record, args)

    @strawberry.field(
        description="The source pages and the documents they cite, by date (undated ones "
        "first), then slug."
    )
    def documents(
        self,
        info: Info,
        filter: Annotated[DocumentFilter | None, FILTER] = None,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
    ) -> Connection[Document] | None:
        f = filter or DocumentFilter()
        found = lists.documents(info, f.crisis, f.from_, f.to, f.publisher)
        args = PageArgs(first, after, last, before)
        return paginate(info, found, orders.DOCUMENTS, Document.from_record, args)

    @strawberry.field(
        description="Numbers the sources state, by the date they refer to (undated ones "
        "first), then slug."
    )
    def figures(
        self,
        info: Info,
        filter: Annotated[FigureFilter | None, FILTER] = None,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
    ) -> Connection[Figure] | None:
        f = filter or FigureFilter()
        found = lists.figures(info, f.crisis, f.measure, f.subject)
        args = PageArgs(first, after, last, before)
        return paginate(info, found, orders.FIGURES, Figure.from_record, args)

    @strawberry.field(description="The passages of the source pages, in page order.")
    def passages(
        self,
        info: Info,
        filter: Annotated[PassageFilter | None, FILTER] = None,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
    ) -> Connection[Passage] | None:
        f = filter or PassageFilter()
        found = lists.passages(info, f.crisis, f.section)
        args = PageArgs(first, after, last, before)
        return paginate(info, found, orders.PASSAGES, Passage.from_record, args)

    @strawberry.field(
        description="Every relation between actors, paged: the network whole, for tools that "
        "export it. By start date (unknown first), then slug. `Actor.relations` gives one "
        "actor's as a plain list."
    )
    def relations(
        self,
        info: Info,
        filter: Annotated[RelationFilter | None, FILTER] = None,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
    ) -> Connection[Relation] | None:
        f = filter or RelationFilter()
        found = lists.relations(
            info,
            crisis=f.crisis,
            actor=f.actor,
            kinds=_values(f.kinds),
            at=f.at,
            include_undated=f.include_undated is not False,
        )
        args = PageArgs(first, after, last, before)
        return paginate(info, found, orders.RELATIONS, Relation.from_record, args)

    @strawberry.field(
        description="What changed in a crisis's records from one release to its latest "
        "(`Crisis.releases`): every record added, changed or removed, by type then slug. A "
        "research tool that synced at release `since` applies these and stores "
        "`Crisis.version` for its next sync."
    )
    def changes(
        self,
        info: Info,
        crisis: Annotated[str, strawberry.argument(description='The crisis\'s slug, e.g. "mali".')],
        since: Annotated[
            str,
            strawberry.argument(
                description='The release to compare the latest with, e.g. "1.0": the version '
                "the tool last synced."
            ),
        ],
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
    ) -> Connection[Change] | None:
        found = releases.changes(info, crisis, since)
        args = PageArgs(first, after, last, before)
        return paginate(info, found, orders.CHANGES, Change.from_record, args)

    @strawberry.field(description=SYNTAX)
    def search(
        self,
        info: Info,
        query: Annotated[str, strawberry.argument(description="What to look for (syntax above).")],
        filter: Annotated[
            SearchFilter | None, strawberry.argument(description="Narrow the hits.")
        ] = None,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
    ) -> SearchConnection | None:
        f = filter or SearchFilter()
        offset, page = search_resolver.search(
            info,
            query,
            PageArgs(first, after, last, before),
            crisis=f.crisis,
            types=_values(f.types),
            date_from=f.from_,
            date_to=f.to,
        )
        return SearchConnection.of(offset, page, info)

    @strawberry.field(
        description="What this operation costs and what the caller's budget has left "
        "(GitHub's rateLimit): ask for it beside a query to price the query."
    )
    def rate_limit(self, info: Info) -> RateLimit:
        return RateLimit.of(rate_limit_resolver.rate_limit(info))
