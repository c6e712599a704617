"""The time one operation may take, checked wherever it loops.

A Deadline is made when a request arrives (parsing and validation count against it) and
travels on the context. The executor checks it once per object; resolvers check it inside
every loop over records, so an operation past its budget stops within a few milliseconds
of the deadline, not when a long loop happens to end.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

CHECK_EVERY = 256  # records between two clock reads: microseconds of work apart


class OutOfTime(BaseException):
    """Unwinds the operation past graphql-core's per-field `except Exception` handlers,
    which would otherwise turn each abandoned field into an error of its own; the
    executor turns it into one QUERY_TOO_COMPLEX error for the whole operation."""


class Deadline:
    __slots__ = ("at", "budget")

    def __init__(self, budget: float, start: float | None = None) -> None:
        self.budget = budget
        self.at = (time.monotonic() if start is None else start) + budget

    @property
    def remaining(self) -> float:
        return self.at - time.monotonic()

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise OutOfTime

    def checked(self, items: Iterable[T]) -> Iterator[T]:
        """`items`, reading the clock every CHECK_EVERY of them."""
        at = self.at
        for count, item in enumerate(items):
            if count % CHECK_EVERY == 0 and time.monotonic() > at:
                raise OutOfTime
            yield item


def unlimited() -> Deadline:
    """For callers outside a request (tests, tools): a deadline that never passes."""
    return Deadline(float("inf"))
