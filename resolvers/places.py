"""Fields of places (Place)."""

from __future__ import annotations

from collections.abc import Sequence

from data import records
from resolvers.context import Info


def country(info: Info, place: records.Place) -> records.Place | None:
    return info.context.repository.places.get((place.crisis, place.country or ""))


def events(info: Info, place: records.Place) -> Sequence[records.Event]:
    """Events at the place, or (for a country) anywhere in it."""
    return info.context.repository.events_by_place.get(place.key, ())
