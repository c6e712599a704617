"""Root fields that fetch one record: node, nodes, crisis, actor, place, resolution."""

from __future__ import annotations

from typing import Any

from data import records
from resolvers.context import Info
from resolvers.errors import BadUserInput, NotFound, UserError
from resolvers.ids import decode_id
from settings import MAX_PAGE

Found = tuple[str, Any]  # (record type, record)


def node(info: Info, id: str) -> Found | None:
    kind, key = decode_id(id)
    record = info.context.repository.get(kind, key)
    return (kind, record) if record is not None else None


def nodes(info: Info, ids: list[str]) -> list[Found | UserError | None]:
    """What each ID names, in order; an error in place of each malformed or unknown ID, so
    that it alone is null."""
    if len(ids) > MAX_PAGE:  # schema.limits refuses such a list before it gets here
        raise BadUserInput(f"ids: ask for at most {MAX_PAGE} IDs at a time, not {len(ids)}")
    found: list[Found | UserError | None] = []
    for value in ids:
        try:
            kind, key = decode_id(value, argument="ids")
        except BadUserInput as error:
            found.append(error)
            continue
        record = info.context.repository.get(kind, key)
        if record is None:
            found.append(NotFound(f"ids: nothing has the ID {value[:60]!r}", argument="ids"))
        else:
            found.append((kind, record))
    return found


def crises(info: Info) -> tuple[records.Crisis, ...]:
    return info.context.repository.crises


def crisis(info: Info, slug: str) -> records.Crisis | None:
    return info.context.repository.crisis_by_slug.get(slug)


def actor(info: Info, name: str, crisis: str | None = None) -> records.Actor | None:
    found: records.Actor | None = info.context.repository.find_by_name("actor", name, crisis)
    return found


def place(info: Info, name: str, crisis: str | None = None) -> records.Place | None:
    found: records.Place | None = info.context.repository.find_by_name("place", name, crisis)
    return found


def resolution(info: Info, number: int, crisis: str | None = None) -> records.Resolution | None:
    return info.context.repository.find_resolution(number, crisis)
