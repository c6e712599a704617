"""Pages of a connection: page sizes, keyset cursors, and the slice they ask for.

A cursor holds the sort key of the item it points at and that item's record key
(data/order.py), never a position. Reading `after: c` means "the items that sort after
c", found by bisection, so a cursor taken before a redeploy continues after the same
record however many records were added or removed before it. When the record itself is
gone the cursor is refused with a sentence, rather than continuing from a guess.

Search results are the exception: their order is a ranking that can change with the index,
so their cursors are positions (`position_cursor`).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from data.order import ORDERS, Order, Value
from data.repository import Repository
from resolvers.context import Info
from resolvers.errors import BadUserInput
from settings import DEFAULT_PAGE, MAX_CURSOR, MAX_PAGE

R = TypeVar("R", bound=Any)
DESCRIBED = {o.name: o.described for o in ORDERS}


@dataclass(frozen=True)
class PageArgs:
    """What a client asks of a connection: `first`/`after` forwards, `last`/`before` back."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


@dataclass(frozen=True)
class Page(Generic[R]):
    records: Sequence[R]
    cursors: list[str]
    has_next: bool
    has_previous: bool
    total: int


def page_of(
    info: Info,
    items: Sequence[R],
    order: Order[R],
    args: PageArgs,
    *,
    descending: bool = False,
) -> Page[R]:
    """The page of a nested connection (`Actor.events`, ...): `page` on the request's store."""
    return page(info.context.repository, items, order, args, descending=descending)


def check_sizes(args: PageArgs) -> None:
    if args.first is not None and args.last is not None:
        raise BadUserInput(
            "give `first` (to page forwards) or `last` (to page backwards), not both"
        )
    for name, size in (("first", args.first), ("last", args.last)):
        if size is not None and not 1 <= size <= MAX_PAGE:
            raise BadUserInput(
                f"{name}: {size} is out of range: ask for 1 to {MAX_PAGE} items a page "
                "and follow `pageInfo.endCursor` for more",
                argument=name,
            )


def check_facet_size(first: int) -> None:
    """A facet lists at most a page's worth of values; 0 asks only for the counts."""
    if not 0 <= first <= MAX_PAGE:
        raise BadUserInput(
            f"first: {first} is out of range: a facet lists 0 to {MAX_PAGE} values, the "
            "most frequent first",
            argument="first",
        )


def page(
    repo: Repository,
    items: Sequence[R],
    order: Order[R],
    args: PageArgs,
    *,
    descending: bool = False,
) -> Page[R]:
    """The page of `items` (sorted by `order`, reversed if `descending`) that `args` ask for."""
    check_sizes(args)
    # Bisection needs ascending keys: a descending list compares them reversed.
    mark: Callable[[tuple[Value, ...]], Any] = _Reversed if descending else tuple
    key: Callable[[Any], Any] = (lambda item: mark(order.key(item))) if descending else order.key
    start, stop = 0, len(items)
    if args.after is not None:
        after = mark(read_cursor(repo, args.after, "after", order))
        start = bisect.bisect_right(items, after, key=key)
    if args.before is not None:
        before = mark(read_cursor(repo, args.before, "before", order))
        stop = max(bisect.bisect_left(items, before, key=key), start)
    if args.last is not None:
        start = max(start, stop - args.last)
    else:
        stop = min(stop, start + (args.first or DEFAULT_PAGE))
    found = items[start:stop]
    return Page(
        records=found,
        cursors=[write_cursor(order, r) for r in found],
        has_next=stop < len(items),
        has_previous=start > 0,
        total=len(items),
    )


# -- keyset cursors ----------------------------------------------------------------------


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # built once

# A record's cursor in an order never changes (records are immutable and loaded once), and
# encoding it was a third of a 100-item page's time: each is written once per process. At
# most one entry per record and order; an entry keeps its record alive, so its id() cannot
# be reused while the entry exists (as schema.common.per_record does).
_written: dict[tuple[str, int], tuple[Any, str]] = {}


def write_cursor(order: Order[R], record: R) -> str:
    entry = _written.get((order.name, id(record)))
    if entry is not None and entry[0] is record:
        return entry[1]
    raw = _encode([order.name, order.values(record), [record.crisis, record.id]]).encode()
    cursor = base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
    _written[(order.name, id(record))] = (record, cursor)
    return cursor


def read_cursor(
    repo: Repository, value: str, argument: str, order: Order[Any]
) -> tuple[Value, ...]:
    """The sort key a cursor marks; BadUserInput if it is not one of ours, belongs to a list
    in another order, or points at a record that is gone."""
    name, values, (crisis, ident) = _payload(value, argument)
    if name not in DESCRIBED:
        raise _not_a_cursor(value, argument)
    if name != order.name:
        raise BadUserInput(
            f"{argument}: this cursor comes from a list of {DESCRIBED[name]}, and this "
            f"connection lists {order.described}: use a cursor this connection returned",
            argument=argument,
        )
    if len(values) != len(order.shape) or not all(
        type(v) is t for v, t in zip(values, order.shape, strict=False)
    ):
        raise _not_a_cursor(value, argument)
    if order.needs_record and repo.get(order.kind, (crisis, ident)) is None:
        raise BadUserInput(
            f"{argument}: the {order.kind} this cursor points at ({crisis}/{ident[:60]}) is no "
            "longer in crisisgraph, so where to continue is unknown; start again without "
            f"`{argument}`",
            argument=argument,
        )
    return (*values, crisis, ident)


def _payload(value: str, argument: str) -> tuple[str, list[Value], tuple[str, str]]:
    if len(value) > MAX_CURSOR:
        raise _not_a_cursor(value, argument)
    try:
        padded = value + "=" * (-len(value) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode())
    except (ValueError, UnicodeError, binascii.Error, RecursionError):
        raise _not_a_cursor(value, argument) from None
    if not (
        isinstance(payload, list)
        and len(payload) == 3
        and isinstance(payload[0], str)
        and isinstance(payload[1], list)
        and isinstance(payload[2], list)
        and len(payload[2]) == 2
        and all(isinstance(part, str) for part in payload[2])
    ):
        raise _not_a_cursor(value, argument)
    return payload[0], payload[1], (payload[2][0], payload[2][1])


def _not_a_cursor(value: str, argument: str) -> BadUserInput:
    return BadUserInput(
        f"{argument}: {value[:60]!r} is not a cursor; use a `cursor`, `startCursor` or "
        "`endCursor` returned by this connection",
        argument=argument,
    )


class _Reversed:
    """Inverts comparison, so bisection works on a list sorted in descending order."""

    __slots__ = ("key",)

    def __init__(self, key: tuple[Value, ...]) -> None:
        self.key = key

    def __lt__(self, other: _Reversed) -> bool:
        return other.key < self.key


# -- position cursors (search) -----------------------------------------------------------


def position_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"cursor:{position}".encode()).decode().rstrip("=")


def read_position(value: str, argument: str) -> int:
    try:
        padded = value + "=" * (-len(value) % 4)
        prefix, _, number = base64.urlsafe_b64decode(padded.encode("ascii")).decode().partition(":")
        if prefix != "cursor" or not (number.isascii() and number.isdigit()) or len(number) > 9:
            raise ValueError(value)
        return int(number)
    except (ValueError, UnicodeError, binascii.Error):
        raise _not_a_cursor(value, argument) from None
