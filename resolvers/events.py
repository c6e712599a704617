"""Fields of events (Event, Participant): reads of the store's links (resolvers.links)."""

from __future__ import annotations

from data import records
from resolvers.links import Links


def places(links: Links, event: records.Event) -> tuple[records.Place, ...]:
    return links.event_places[event.key]


def figures(links: Links, event: records.Event) -> tuple[records.Figure, ...]:
    return links.figures_by_subject.get(("event", event.key), ())


def actor(links: Links, crisis: str, slug: str) -> records.Actor:
    """The actor a participant names."""
    return links.actors[(crisis, slug)]
