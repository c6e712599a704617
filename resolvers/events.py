"""Fields of events (Event, Participant)."""

from __future__ import annotations

from data import records
from resolvers.context import Info


def places(info: Info, event: records.Event) -> list[records.Place]:
    found = info.context.repository.places
    return [found[(event.crisis, slug)] for slug in event.places]
