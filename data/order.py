"""The order of every list of records, as one sort key per list.

The repository sorts its lists with these keys, and a connection's cursor records the key
of the item it points at (resolvers/pages.py), so that a cursor says *where* in the order
it stands, not at which position: records added or removed elsewhere in the list do not
move it. Every key ends with the record's crisis and id, so no two records tie.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from data import records
from data.dates import PartialDate
from data.names import normalize_name
from data.releases import Change

Value = int | str


class Keyed(Protocol):
    @property
    def crisis(self) -> str: ...
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=Keyed)


@dataclass(frozen=True)
class Order(Generic[R]):
    name: str  # written into cursors: a cursor is read only by a list in the same order
    kind: str  # the record type listed ("event"), to tell whether a cursor's record is gone
    values: Callable[[R], tuple[Value, ...]]  # the sort key, before the record's key
    shape: tuple[type, ...]  # the type of each of `values`, to check what a cursor holds
    described: str  # how the order reads, for error messages: "events by date"
    # Whether a cursor whose record is gone is refused; not where an item outlives its record
    # (a change can be a record's removal).
    needs_record: bool = True

    def key(self, record: R) -> tuple[Value, ...]:
        return (*self.values(record), record.crisis, record.id)


def day(date: PartialDate | None) -> tuple[int, int, int]:
    """A date as sortable numbers; a coarser date sorts before the finer dates inside it,
    and no date at all before every date."""
    return date.sort_key if date is not None else (0, 0, 0)


DATE = (int, int, int)

ACTORS: Order[records.Actor] = Order(
    "actors", "actor", lambda a: (a.crisis, a.name), (str, str), "actors by name"
)
PLACES: Order[records.Place] = Order(
    "places", "place", lambda p: (p.crisis, p.name), (str, str), "places by name"
)
EVENTS_BY_DATE: Order[records.Event] = Order(
    "events-by-date",
    "event",
    lambda e: (*day(e.date), *day(e.end_date or e.date)),
    DATE + DATE,
    "events by date",
)
EVENTS_BY_TITLE: Order[records.Event] = Order(
    "events-by-title",
    "event",
    lambda e: (normalize_name(e.title),),
    (str,),
    "events by title",
)
RELATIONS: Order[records.Relation] = Order(
    "relations", "relation", lambda r: day(r.start), DATE, "relations by start"
)
RESOLUTIONS: Order[records.Resolution] = Order(
    "resolutions", "resolution", lambda r: (r.number,), (int,), "resolutions by number"
)
DOCUMENTS: Order[records.Document] = Order(
    "documents", "document", lambda d: day(d.date), DATE, "documents by date"
)
FIGURES: Order[records.Figure] = Order(
    "figures", "figure", lambda f: day(f.as_of), DATE, "figures by date"
)
PASSAGES: Order[records.Passage] = Order(
    "passages", "passage", lambda p: (p.crisis, p.seq), (str, int), "passages in page order"
)

CHANGES: Order[Change] = Order(
    "changes", "change", lambda c: (c.type, c.slug), (str, str), "changes by type", False
)

ORDERS: tuple[Order[Any], ...] = (
    ACTORS,
    PLACES,
    EVENTS_BY_DATE,
    EVENTS_BY_TITLE,
    RELATIONS,
    RESOLUTIONS,
    DOCUMENTS,
    FIGURES,
    PASSAGES,
    CHANGES,
)

# EventOrderField's values.
EVENT_ORDERS: dict[str, Order[records.Event]] = {"DATE": EVENTS_BY_DATE, "TITLE": EVENTS_BY_TITLE}
