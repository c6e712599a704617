"""Whether and where an operation may run, decided after it is validated and before any
resolver runs: not too costly, within its client's budget, and on a lane of worker
threads that fits what it costs.

- **Cost.** schema.cost prices the operation; above `max_cost` it is refused with
  QUERY_TOO_COMPLEX, saying the cost and the limit.
- **Budget.** Each client (an address: see web.clients) may spend `rate_limit` points per
  window, as GitHub's API does. An operation that would overdraw it is refused with
  RATE_LIMITED and the time to come back (the view answers 429 with Retry-After).
- **Lanes.** Python runs one thread at a time, so running more heavy work at once does
  not finish it sooner: it only makes every request wait. Heavy work is queued on two
  lanes of worker threads: documents not seen before (parsing and validating take up to
  tens of milliseconds; one at a time) and operations costing `cheap_cost` or more
  (`expensive_slots` at a time). A request that finds its lane full waits a moment and
  is then refused with OVERLOADED (503 with Retry-After), not queued for seconds. Cheap
  operations of known documents, a couple of milliseconds each, run on the event loop
  itself, ahead of any queue: a flood of new or expensive requests never holds them up.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import anyio.to_thread
from graphql import DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode

from resolvers.context import Context, RateStatus
from schema.cost import CostCache
from schema.limits import check_variables, too_complex
from settings import (
    EXPENSIVE_WAIT,
    MAX_CLIENTS,
    NEW_DOCUMENT_WAIT,
    OVERLOADED_RETRY,
    Limits,
)

NEW_DOCUMENTS = (1, NEW_DOCUMENT_WAIT)  # a lane: (threads, seconds to wait for one)

T = TypeVar("T")


class RateLimiter:
    """Points per client per fixed window; a window starts at a client's first request.

    Thread-safe: operations are charged from worker threads. Bounded: past MAX_CLIENTS,
    the least recently seen client's window is forgotten (it starts afresh)."""

    def __init__(
        self, limit: int, window: float, max_clients: int = MAX_CLIENTS, clock: Any = time.time
    ) -> None:
        self.limit = limit
        self.window = window
        self.max_clients = max_clients
        self.clock = clock
        self._lock = threading.Lock()
        self._spent: OrderedDict[str, tuple[float, int]] = OrderedDict()  # client: (start, spent)

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def charge(self, client: str, cost: int) -> tuple[bool, RateStatus]:
        """Charge `cost` to `client` if the budget allows it: (charged, the budget after)."""
        now = self.clock()
        if not self.enabled:
            return True, RateStatus(cost, 0, 0, now)
        with self._lock:
            start, spent = self._window(client, now)
            charged = spent + cost <= self.limit
            if charged:
                spent += cost
                self._spent[client] = (start, spent)
        return charged, RateStatus(cost, self.limit, self.limit - spent, start + self.window)

    def wait(self, client: str) -> float | None:
        """Seconds until `client` may spend again, if its budget is spent; else None."""
        if not self.enabled:
            return None
        now = self.clock()
        with self._lock:
            start, spent = self._window(client, now)
        return start + self.window - now if spent >= self.limit else None

    def _window(self, client: str, now: float) -> tuple[float, int]:
        """The client's current window (start, points spent), made current; lock held."""
        start, spent = self._spent.get(client, (now, 0))
        if now >= start + self.window:
            start, spent = now, 0
        self._spent[client] = (start, spent)
        self._spent.move_to_end(client)
        while len(self._spent) > self.max_clients:
            self._spent.popitem(last=False)
        return start, spent


class Overloaded(Exception):
    """A lane stayed full for as long as a request may wait for it."""

    def __init__(self, lane: str) -> None:
        super().__init__(lane)
        self.lane = lane


class Lanes:
    """Worker threads in two lanes: "new" documents and "expensive" operations.

    Each lane is a semaphore of the event loop (one set per loop: tests run several), so a
    request waits for its lane without holding a thread."""

    def __init__(self, expensive_slots: int) -> None:
        self.sizes = {
            "new": NEW_DOCUMENTS,
            "expensive": (expensive_slots, EXPENSIVE_WAIT),
        }
        self._loops: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[str, asyncio.Semaphore]
        ] = weakref.WeakKeyDictionary()

    async def run(self, lane: str, function: Callable[[], T]) -> T:
        """`function()` on a worker thread once `lane` has room; Overloaded if it has none
        within the lane's wait."""
        loop = asyncio.get_running_loop()
        semaphores = self._loops.get(loop)
        if semaphores is None:
            semaphores = self._loops[loop] = {
                name: asyncio.Semaphore(size) for name, (size, _) in self.sizes.items()
            }
        semaphore, wait = semaphores[lane], self.sizes[lane][1]
        try:
            await asyncio.wait_for(semaphore.acquire(), wait)
        except TimeoutError:
            raise Overloaded(lane) from None
        try:
            return await anyio.to_thread.run_sync(function)
        finally:
            semaphore.release()


class Admission:
    """The checks an operation passes before it is scheduled, made on the event loop from
    its parsed document alone (microseconds): a refusal never waits for a lane."""

    def __init__(self, limits: Limits, rates: RateLimiter) -> None:
        self.limits = limits
        self.rates = rates
        self.prices = CostCache()

    def refusal(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        context: Context,
    ) -> GraphQLError | None:
        """Why the operation may not run, or None; prices it (`context.cost`) and charges
        its client (`context.rate`, for the `rateLimit` field) on the way."""
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        # Strawberry would run the first one, where the specification asks for an error.
        if len(operations) > 1 and operation_name is None:
            names = ", ".join(o.name.value for o in operations if o.name) or "unnamed ones"
            return GraphQLError(
                f"this document has {len(operations)} operations ({names}): "
                "give the operation name to run as `operationName`",
                extensions={"code": "BAD_USER_INPUT"},
            )
        oversized = check_variables(document, variables)
        if oversized is not None:
            return oversized
        context.cost = cost = self.prices.cost(schema, document, operation_name, variables)
        if cost > self.limits.max_cost:
            return too_complex(
                f"this query costs {cost:,} points; the limit is {self.limits.max_cost:,}. "
                "Ask for smaller pages (`first`), fewer nested lists and aliases, and follow "
                "`pageInfo.endCursor` for more (`rateLimit { cost }` prices a query).",
                cost=cost,
                maxCost=self.limits.max_cost,
            )
        charged, status = self.rates.charge(context.client, cost)
        context.rate = status
        if not charged:
            context.retry_after = max(status.reset_at - self.rates.clock(), 0.0)
            return rate_limited(status, context.retry_after)
        return None

    def is_cheap(self, context: Context) -> bool:
        return context.cost is not None and context.cost < self.limits.cheap_cost


def rate_limited(status: RateStatus, retry_after: float) -> GraphQLError:
    """The refusal of an operation costing `status.cost` (0: refused before it was priced)."""
    reset = iso_time(status.reset_at)
    costs = f", and this operation costs {status.cost:,}" if status.cost else ""
    return GraphQLError(
        f"this client has {status.remaining:,} of its {status.limit:,} points left until "
        f"{reset}{costs}; come back in {math.ceil(retry_after)} s, or ask for less "
        "(smaller pages, fewer fields: `rateLimit { cost }` prices a query)",
        extensions={
            "code": "RATE_LIMITED",
            "cost": status.cost,
            "limit": status.limit,
            "remaining": status.remaining,
            "resetAt": reset,
            "retryAfterSeconds": math.ceil(retry_after),
        },
    )


def overloaded(lane: str, cost: int | None, cheap: int) -> GraphQLError:
    busy = "reading other new queries" if lane == "new" else "running other expensive operations"
    advice = (
        f" This one costs {cost:,} points; operations under {cheap:,} run on a lane of "
        "their own (ask for smaller pages, or search without facets)."
        if lane == "expensive" and cost is not None
        else ""
    )
    return GraphQLError(
        f"the server is busy {busy}; retry in {OVERLOADED_RETRY:g} s.{advice}",
        extensions={"code": "OVERLOADED", "cost": cost, "cheapCost": cheap},
    )


def iso_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
