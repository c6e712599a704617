"""Where and for how long one operation runs: in a worker thread, within a time budget.

The limits (schema.limits) refuse what is too large before anything runs, but they count
only connections: plain lists (relations, mentions, participants, evidence) multiply the
work too, so a query inside every limit can still take many seconds. The executor checks
a deadline each time it starts on an object (one clock read per object, not per field)
and, once it has passed, abandons the whole operation: one QUERY_TOO_COMPLEX error and no
partial data.

`with_time_budget(executor_class, seconds)` adds the check to any graphql-core executor
class (Strawberry's, or a faster one), as a mixin.

Resolvers are synchronous, so an operation run on the event loop holds it for as long as
it takes: two queries that each use their whole budget would stop every other request,
even /healthz, for twice the budget. `in_worker_thread` runs the operation in one of
anyio's worker threads (each with an event loop of its own, for Strawberry's async hooks);
the event loop keeps accepting and answering requests meanwhile.
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from collections.abc import Awaitable, Callable, Coroutine
from functools import partial
from typing import Any, ClassVar, TypeVar

import anyio
import anyio.to_thread
from graphql import ExecutionResult, GraphQLError
from graphql.execution import Executor

TIME_BUDGET = 5.0  # seconds: a hundred times what the heaviest example query takes


class _OutOfTime(BaseException):
    """Unwinds the executor past graphql-core's per-field `except Exception` handlers,
    which would otherwise turn each abandoned field into an error of its own."""


class TimeBudget(Executor[Any]):
    budget: ClassVar[float] = TIME_BUDGET

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = time.monotonic() + self.budget

    def execute_fields(self, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() > self.deadline:
            raise _OutOfTime
        return super().execute_fields(*args, **kwargs)

    def execute_operation(self, serially: bool | None = None) -> Any:
        try:
            result = super().execute_operation(serially)
        except _OutOfTime:
            return self.out_of_time()
        if self.is_awaitable(result):
            return self._await_within_budget(result)
        return result

    async def _await_within_budget(self, result: Awaitable[Any]) -> Any:
        try:
            return await result
        except _OutOfTime:
            return self.out_of_time()

    def out_of_time(self) -> ExecutionResult:
        return ExecutionResult(
            data=None,
            errors=[
                GraphQLError(
                    f"this query took more than {self.budget:g} s, the time one request may "
                    "take; ask for fewer objects (smaller `first`, fewer nested lists) and "
                    "follow `pageInfo.endCursor` for more",
                    extensions={"code": "QUERY_TOO_COMPLEX", "timeBudgetSeconds": self.budget},
                )
            ],
        )


def with_time_budget(executor_class: type[Executor[Any]], seconds: float) -> type[Executor[Any]]:
    """`executor_class` with a deadline `seconds` after each operation starts."""
    return type(
        f"TimeBudgeted{executor_class.__name__}",
        (TimeBudget, executor_class),
        {"budget": seconds, "__module__": __name__},
    )


T = TypeVar("T")

# Operations running at once. More threads would not run Python faster (one interpreter
# lock), only hold more memory (each thread opens its own search reader); the event loop
# stays free however many wait for a thread.
WORKER_THREADS = 8

_thread_state = threading.local()
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


async def in_worker_thread(
    operation: Callable[..., Coroutine[Any, Any, T]], *args: Any, **kwargs: Any
) -> T:
    """Await `operation(*args, **kwargs)` on a worker thread's own event loop."""
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:  # a limiter belongs to one event loop (tests run several)
        limiter = _limiters[loop] = anyio.CapacityLimiter(WORKER_THREADS)
    return await anyio.to_thread.run_sync(
        _run_here, partial(operation, *args, **kwargs), limiter=limiter
    )


def _run_here(operation: Callable[[], Coroutine[Any, Any, T]]) -> T:
    loop = getattr(_thread_state, "loop", None)
    if loop is None:  # one loop per worker thread, for the thread's life
        loop = _thread_state.loop = _ThreadLoop()
    return loop.run(operation())


class _ThreadLoop:
    """An event loop closed when its thread ends (an unclosed one warns when collected)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coroutine)

    def __del__(self) -> None:
        self.loop.close()
