"""Record links, resolved once per store: the records an event names (its places, its
participants' actors, the figures about it), found when the store is first served, so
that a page of events reads them from tuples instead of looking each one up per request.

`links(repository)` builds them on first use and keeps them as long as the repository
lives; a store that is replaced (a new release, a test's own store) gets its own.
"""

from __future__ import annotations

import threading
from typing import Any
from weakref import WeakKeyDictionary

from data import records
from data.repository import Repository
from resolvers.context import Info


class Links:
    """What the records of one store name, as records."""

    __slots__ = ("actors", "derived", "event_places", "figures_by_subject")

    def __init__(self, repository: Repository) -> None:
        places, actors = repository.places, repository.actors
        self.actors = actors
        # What the schema derives from these links (the objects a link field gives, by
        # the link and the object asking), kept as long as the store is: see
        # schema.execution, which bounds it.
        self.derived: dict[Any, dict[int, tuple[Any, Any]]] = {}
        self.figures_by_subject = repository.figures_by_subject
        self.event_places: dict[records.Key, tuple[records.Place, ...]] = {
            event.key: tuple(places[(event.crisis, slug)] for slug in event.places)
            for event in repository.event_list
        }


_BY_STORE: WeakKeyDictionary[Repository, Links] = WeakKeyDictionary()
_LOCK = threading.Lock()


def links(repository: Repository) -> Links:
    """The links of this store, built on first use."""
    found = _BY_STORE.get(repository)
    if found is None:
        with _LOCK:
            found = _BY_STORE.get(repository)
            if found is None:
                found = _BY_STORE[repository] = Links(repository)
    return found


def links_of(info: Info) -> Links:
    return links(info.context.repository)
