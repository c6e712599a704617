"""Which relations are in force on a date: the one rule `Actor.relations` and the root
`relations` connection share."""

from __future__ import annotations

from collections.abc import Iterable

from data import records
from data.dates import DateRange
from resolvers.dates import parse_date_argument


def in_force(
    relations: Iterable[records.Relation], at: str | None = None, include_undated: bool = True
) -> list[records.Relation]:
    """The relations in force on the date `at` (any day of it, for a month or a year), or all
    of them without `at`. A missing start or end means the source does not say, not
    "always": a relation with no end is counted from its start on, one with no start up to
    its end, and one with neither on every date, unless `include_undated` is false, which
    leaves out every relation with neither bound, with or without `at`."""
    when = parse_date_argument(at, "at")
    on = DateRange.between(when, when) if when is not None else None
    return [
        r
        for r in relations
        if (include_undated or r.start is not None or r.end is not None)
        and (on is None or r.span.overlaps(on))
    ]
