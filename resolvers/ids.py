"""Opaque global IDs, date arguments and page sizes: reading what a client sends, with an
error a person can act on when it is malformed. Cursors are in resolvers/pages.py."""

from __future__ import annotations

import base64
import binascii

from data.dates import PartialDate
from resolvers.errors import BadUserInput

MAX_PAGE = 100  # items a page of any connection may hold, and IDs one `nodes` call
DEFAULT_PAGE = 20

# GraphQL type name <-> record type, for global IDs.
NODE_KINDS = {
    "Crisis": "crisis",
    "Actor": "actor",
    "Place": "place",
    "Event": "event",
    "Relation": "relation",
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
