"""Opaque global IDs and cursors, date arguments and page bounds: reading what a
client sends, with an error a person can act on when it is malformed."""

from __future__ import annotations

import base64
import binascii

from data.dates import PartialDate
from resolvers.errors import BadUserInput

MAX_PAGE = 100
DEFAULT_PAGE = 20

# GraphQL type name <-> record type, for global IDs.
NODE_KINDS = {
    "Crisis": "crisis",
    "Actor": "actor",
    "Place": "place",
    "Event": "event",
    "Resolution": "resolution",
    "Document": "document",
    "Figure": "figure",
    "Passage": "passage",
}
TYPE_NAMES = {kind: name for name, kind in NODE_KINDS.items()}


def encode_id(kind: str, crisis: str, ident: str) -> str:
    raw = f"{TYPE_NAMES[kind]}:{crisis}:{ident}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_id(value: str, *, argument: str = "id") -> tuple[str, tuple[str, str]]:
    """(record type, key) of a global ID; BadUserInput if it is not one of ours."""
    try:
        padded = value + "=" * (-len(value) % 4)
        type_name, crisis, ident = (
            base64.urlsafe_b64decode(padded.encode("ascii")).decode().split(":", 2)
        )
        kind = NODE_KINDS[type_name]
    except (ValueError, UnicodeError, binascii.Error, KeyError):
        raise BadUserInput(
            f"{argument}: {value[:60]!r} is not a crisisgraph ID; use the `id` field "
            "of an object returned by this API",
            argument=argument,
        ) from None
    return kind, (crisis, ident)


def parse_date_argument(value: str | None, argument: str) -> PartialDate | None:
    if value is None:
        return None
    try:
        return PartialDate.parse(value)
    except ValueError as error:
        raise BadUserInput(f"{argument}: {error}", argument=argument) from None


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"cursor:{position}".encode()).decode().rstrip("=")


def decode_cursor(value: str, argument: str) -> int:
    try:
        padded = value + "=" * (-len(value) % 4)
        prefix, _, number = base64.urlsafe_b64decode(padded.encode("ascii")).decode().partition(":")
        if prefix != "cursor" or not (number.isascii() and number.isdigit()) or len(number) > 9:
            raise ValueError(value)
        return int(number)
    except (ValueError, UnicodeError, binascii.Error):
        raise BadUserInput(
            f"{argument}: {value[:60]!r} is not a cursor; use a `cursor`, `startCursor` or "
            "`endCursor` returned by this connection",
            argument=argument,
        ) from None


def page_bounds(
    total: int,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> tuple[int, int]:
    """The [start, stop) slice of a list of `total` items that the arguments ask for."""
    if first is not None and last is not None:
        raise BadUserInput(
            "give `first` (to page forwards) or `last` (to page backwards), not both"
        )
    for name, size in (("first", first), ("last", last)):
        if size is not None and not 1 <= size <= MAX_PAGE:
            raise BadUserInput(
                f"{name}: {size} is out of range: ask for 1 to {MAX_PAGE} items a page "
                "and follow `pageInfo.endCursor` for more",
                argument=name,
            )
    start, stop = 0, total
    if after is not None:
        start = min(decode_cursor(after, "after") + 1, total)
    if before is not None:
        stop = max(min(decode_cursor(before, "before"), total), start)
    if last is not None:
        start = max(start, stop - last)
    else:
        stop = min(stop, start + (first or DEFAULT_PAGE))
    return start, stop
