"""ISO partial dates ("2012", "2012-03", "2012-03-22") and the overlap test.

The source gives dates at different precisions; a date is kept at the
precision it was given and compared as the whole span of days it covers, so
"2013-03" lies inside a filter starting "2013-03-15".
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
import re
from dataclasses import dataclass

ACCEPTED_FORMS = '"YYYY" (2012), "YYYY-MM" (2012-03) or "YYYY-MM-DD" (2012-03-22)'

_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")  # ASCII digits only


class Precision(enum.Enum):
    DAY = "DAY"
    MONTH = "MONTH"
    YEAR = "YEAR"


@functools.total_ordering
@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __lt__(self, other: object) -> bool:
        """Chronological; a coarser date sorts before the finer dates inside it."""
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key < other.sort_key

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read an ISO partial date; raise ValueError naming the accepted forms."""
        match = _PARTIAL_DATE.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"{text!r} is not a date: use {ACCEPTED_FORMS}")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r} has no month {month}: use {ACCEPTED_FORMS}")
        if month is not None and day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"{text!r} has no day {day}: use {ACCEPTED_FORMS}")
        if year < 1:
            raise ValueError(f"{text!r} has no year 0: use {ACCEPTED_FORMS}")
        return cls(year, month, day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, self.month, self.day)

    def __str__(self) -> str:
        return self.iso


@dataclass(frozen=True, slots=True)
class DateRange:
    """Inclusive range of days; an open side is unbounded."""

    first: dt.date | None = None
    last: dt.date | None = None

    @classmethod
    def between(cls, start: PartialDate | None, end: PartialDate | None) -> DateRange:
        return cls(start.first_day if start else None, end.last_day if end else None)

    def overlaps(self, other: DateRange) -> bool:
        if self.first and other.last and other.last < self.first:
            return False
        return not (self.last and other.first and other.first > self.last)

    def contains_day(self, day: dt.date) -> bool:
        return (self.first is None or self.first <= day) and (self.last is None or day <= self.last)

    @property
    def is_empty(self) -> bool:
        return self.first is not None and self.last is not None and self.first > self.last
