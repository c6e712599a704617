"""Shapes shared by every type family: global IDs, dates, pages of results."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from data.dates import PartialDate as PartialDateRecord
from data.dates import Precision
from resolvers.ids import DEFAULT_PAGE, MAX_PAGE, encode_cursor, encode_id, page_bounds

R = TypeVar("R")
NodeT = TypeVar("NodeT")


@strawberry.interface(
    description="An object with a stable, opaque global ID: fetch it again with `node(id:)`."
)
class Node:
    id: strawberry.ID = strawberry.field(
        description="Opaque global ID; stable across releases as long as the record's slug is."
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
    cursor: str = strawberry.field(description="Opaque position of this item in the list.")
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(
    description="A page of a list. Page with `first`/`after` forwards or `last`/`before` "
    f"backwards; at most {MAX_PAGE} items a page."
)
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The items of this page with cursors.")
    nodes: list[NodeT] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page sits in the whole list.")
    total_count: int = strawberry.field(description="How many items the whole list holds.")


def paginate(
    items: Sequence[R],
    convert: Callable[[R], NodeT],
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[NodeT]:
    start, stop = page_bounds(len(items), first, after, last, before)
    nodes = [convert(item) for item in items[start:stop]]
    edges = [Edge(cursor=encode_cursor(start + i), node=n) for i, n in enumerate(nodes)]
    return Connection(
        edges=edges,
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=stop < len(items),
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=len(items),
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
