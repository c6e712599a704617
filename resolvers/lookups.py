"""Root fields that fetch one record: node, nodes, crisis, actor, place, resolution."""

from __future__ import annotations

from typing import Any

from data import records
from resolvers.context import Info
from resolvers.errors import BadUserInput
from resolvers.ids import MAX_PAGE, decode_id

Found = tuple[str, Any]  # (record type, record)


def node(info: Info, id: str) -> Found | None:
    kind, key = decode_id(id)
    record = info.context.repository.get(kind, key)
    return (kind, record) if record is not None else None


def nodes(info: Info, ids: list[str]) -> list[Found | None]:
    if len(ids) > MAX_PAGE:
        raise BadUserInput(f"ids: ask for at most {MAX_PAGE} IDs at a time, not {len(ids)}")
    return [node(info, i) for i in ids]


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
