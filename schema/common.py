"""Shapes shared by every type family: global IDs, dates, pages of results."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry

from data.dates import PartialDate as PartialDateRecord
from data.dates import Precision
from data.order import Keyed, Order
from resolvers.context import Info
from resolvers.ids import encode_id
from resolvers.links import Links
from resolvers.pages import PageArgs, page_of
from settings import DEFAULT_PAGE, MAX_PAGE

R = TypeVar("R")
K = TypeVar("K", bound=Keyed)  # a record: it has a crisis and an id
NodeT = TypeVar("NodeT")


@strawberry.interface(
    description="An object with a stable, opaque global ID: fetch it again with `node(id:)`."
)
class Node:
    id: strawberry.ID = strawberry.field(
        description="Opaque global ID: pass it back to `node(id:)` or as a filter, never "
        "decode it. It stays the same for as long as the record's crisis and `slug` do; to "
        "join with the exports, use `slug`."
    )


@strawberry.enum(description="How precisely the source dates something.")
class DatePrecision(enum.Enum):
    DAY = strawberry.enum_value(Precision.DAY.value, description="A day: 2012-03-22.")
    MONTH = strawberry.enum_value(Precision.MONTH.value, description="A month: 2013-03.")
    YEAR = strawberry.enum_value(Precision.YEAR.value, description="A year: 2012.")


@strawberry.type(
    description="A date at the precision the source gives it: a day, a month or a year."
)
class PartialDate:
    iso: str = strawberry.field(description='ISO 8601 form: "2012-03-22", "2013-03" or "2012".')
    year: int = strawberry.field(description="The year.")
    month: int | None = strawberry.field(description="The month (1-12), when the source gives it.")
    day: int | None = strawberry.field(
        description="The day of the month, when the source gives it."
    )
    precision: DatePrecision = strawberry.field(description="DAY, MONTH or YEAR.")

    @classmethod
    def of(cls, date: PartialDateRecord | None) -> PartialDate | None:
        if date is None:
            return None
        return cls(
            iso=date.iso,
            year=date.year,
            month=date.month,
            day=date.day,
            precision=DatePrecision[date.precision.value],
        )


@strawberry.type(description="Where a page of a connection sits in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(description="Items come before this page.")
    start_cursor: str | None = strawberry.field(
        description="Cursor of the first item on this page; pass it as `before` to go back."
    )
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last item on this page; pass it as `after` to go on."
    )


@strawberry.type(description="One item of a connection, with the cursor that marks its place.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(
        description="Opaque keyset cursor: this item's place in the list's order (its sort key "
        "and record key), not a position, so it still works after records are added or "
        "removed elsewhere, across releases; refused with BAD_USER_INPUT once this record is "
        "gone."
    )
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(
    description="A page of a list. Page with `first`/`after` forwards or `last`/`before` "
    f"backwards; at most {MAX_PAGE} items a page. Cursors are keyset cursors: they stay "
    "valid while their record exists."
)
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The items of this page with cursors.")
    nodes: list[NodeT] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page sits in the whole list.")
    total_count: int = strawberry.field(description="How many items the whole list holds.")


def paginate(
    info: Info,
    items: Sequence[K],
    order: Order[K],
    convert: Callable[[K], NodeT],
    args: PageArgs,
    *,
    descending: bool = False,
) -> Connection[NodeT]:
    """The page `args` ask for of `items`, sorted by `order` (reversed if `descending`)."""
    found = page_of(info, items, order, args, descending=descending)
    nodes = [convert(item) for item in found.records]
    edges = [Edge(cursor=c, node=n) for c, n in zip(found.cursors, nodes, strict=True)]
    return Connection(
        edges=edges,
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=found.has_next,
            has_previous_page=found.has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=found.total,
    )


FIRST = strawberry.argument(
    description=f"Return the first N items (1-{MAX_PAGE}; default {DEFAULT_PAGE})."
)
AFTER = strawberry.argument(description="Start after this cursor (from `pageInfo.endCursor`).")
LAST = strawberry.argument(description=f"Return the last N items (1-{MAX_PAGE}).")
BEFORE = strawberry.argument(description="End before this cursor (from `pageInfo.startCursor`).")


def node_id(kind: str, crisis: str, ident: str) -> strawberry.ID:
    return strawberry.ID(encode_id(kind, crisis, ident))


T = TypeVar("T")


def per_record(build: Callable[[type[T], R], T]) -> Callable[[type[T], R], T]:
    """Build a record's GraphQL object once and reuse it: records are immutable and loaded
    once, and rebuilding objects (evidence lists, global IDs) for every appearance in every
    response was most of the cost of a large page. The cache keeps the record alive, so its
    id() cannot be reused while its entry exists."""
    built: dict[int, tuple[R, T]] = {}

    def from_record(cls: type[T], rec: R) -> T:
        entry = built.get(id(rec))
        if entry is not None and entry[0] is rec:
            return entry[1]
        obj = build(cls, rec)
        built[id(rec)] = (rec, obj)
        return obj

    return from_record


Resolver = TypeVar("Resolver", bound=Callable[..., Any])
LINK = "__crisisgraph_link__"  # the attribute `linked` sets, which schema.execution_plan reads


def linked(read: Callable[[Links, Any], Any]) -> Callable[[Resolver], Resolver]:
    """Mark a resolver whose value depends only on its object and the store's links
    (resolvers.links): the fast executor calls `read(links, obj)` without building an Info,
    so the resolver itself must return `read(links_of(info), self)`, nothing else."""

    def mark(resolver: Resolver) -> Resolver:
        setattr(resolver, LINK, read)
        return resolver

    return mark
