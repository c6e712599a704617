"""Fields of actors and the relations between them (Actor, Role, Relation)."""

from __future__ import annotations

from collections.abc import Sequence

from data import records
from resolvers.context import Info
from resolvers.relations import in_force


def actor(info: Info, crisis: str, slug: str) -> records.Actor:
    """An actor another record names (a participant, an author, a relation's end)."""
    return info.context.repository.actors[(crisis, slug)]


def optional_actor(info: Info, crisis: str, slug: str | None) -> records.Actor | None:
    """The actor an optional reference names (a role's office, a publisher), if any."""
    return info.context.repository.actors.get((crisis, slug or ""))


def actors(info: Info, crisis: str, slugs: Sequence[str]) -> list[records.Actor]:
    found = info.context.repository.actors
    return [found[(crisis, slug)] for slug in slugs]


def relations(
    info: Info, of: records.Actor, at: str | None, include_undated: bool
) -> list[records.Relation]:
    found = info.context.repository.relations_by_actor.get(of.key, ())
    return in_force(found, at, include_undated)


def events(info: Info, of: records.Actor) -> Sequence[records.Event]:
    return info.context.repository.events_by_actor.get(of.key, ())


def mentions(info: Info, of: records.Actor) -> Sequence[records.Passage]:
    return info.context.repository.passages_by_entity.get(("actor", of.key), ())
