"""Whether an operation may run, decided after it is validated and before any resolver
runs: not too costly, within its client's budget, and, when it is expensive, with a free
slot to run in.

- **Cost.** schema.cost prices the operation; above `max_cost` it is refused with
  QUERY_TOO_COMPLEX, saying the cost and the limit.
- **Budget.** Each client (an address: see web.clients) may spend `rate_limit` points per
  window, as GitHub's API does. An operation that would overdraw it is refused with
  RATE_LIMITED and the time to come back (the view answers 429 with Retry-After).
- **Slots.** Python runs one thread at a time, so running more expensive operations at
  once does not finish them sooner: it only makes every request wait. At most
  `expensive_slots` operations costing `cheap_cost` or more run at once; another one waits
  a moment for a slot and is then refused with OVERLOADED (503 with Retry-After). Cheap
  operations take no slot: they keep a lane of their own however busy the slots are.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from graphql import ExecutionResult, GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from resolvers.context import Context, RateStatus
from schema.cost import operation_cost
from schema.limits import check_variables, too_complex
from settings import Limits

SLOT_WAIT = 0.05  # seconds an expensive operation waits for a slot before it is refused
OVERLOADED_RETRY = 1.0  # seconds: about how long the operations holding the slots take
MAX_CLIENTS = 50_000  # budgets remembered at once: ~200 bytes each, about 10 MB in all


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


class Slots:
    """Places for expensive operations to run; taken and given back on worker threads."""

    def __init__(self, count: int, wait: float = SLOT_WAIT) -> None:
        self.count = count
        self.wait = wait
        self._free = threading.BoundedSemaphore(max(count, 1))

    def take(self) -> bool:
        return self._free.acquire(timeout=self.wait)

    def give_back(self) -> None:
        self._free.release()


class OperationLimits(SchemaExtension):
    """Refuse an operation before it runs when it costs too much, overdraws its client's
    budget or finds no slot; otherwise record its cost and budget on the context (for
    the `rateLimit` field) and hold a slot while it runs, if it needs one."""

    def __init__(self, limits: Limits, rates: RateLimiter, slots: Slots) -> None:
        self.limits = limits
        self.rates = rates
        self.slots = slots

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        context = ctx.context
        holding = False
        if ctx.result is None and ctx.graphql_document is not None:
            refusal = self.refusal(ctx, context)
            if refusal is None and context.rate.cost >= self.limits.cheap_cost:
                holding = self.slots.take()
                if not holding:
                    context.retry_after = OVERLOADED_RETRY
                    refusal = _overloaded(context.rate.cost, self.limits.cheap_cost)
            if refusal is not None:
                ctx.result = ExecutionResult(data=None, errors=[refusal])
        try:
            yield
        finally:
            if holding:
                self.slots.give_back()

    def refusal(self, ctx: Any, context: Context) -> GraphQLError | None:
        operations = [
            d for d in ctx.graphql_document.definitions if isinstance(d, OperationDefinitionNode)
        ]
        # `operation_name` falls back to the first operation's name: ask what was sent.
        if len(operations) > 1 and not ctx._provided_operation_name:
            names = ", ".join(o.name.value for o in operations if o.name) or "unnamed ones"
            return GraphQLError(
                f"this document has {len(operations)} operations ({names}): "
                "give the operation name to run as `operationName`",
                extensions={"code": "BAD_USER_INPUT"},
            )
        oversized = check_variables(ctx.graphql_document, ctx.variables)
        if oversized is not None:
            return oversized
        cost = operation_cost(
            ctx.schema._schema, ctx.graphql_document, ctx.operation_name, ctx.variables
        )
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


def _overloaded(cost: int, cheap: int) -> GraphQLError:
    return GraphQLError(
        f"the server is busy with other expensive operations; retry in "
        f"{OVERLOADED_RETRY:g} s. This one costs {cost:,} points: operations under "
        f"{cheap:,} never wait (ask for smaller pages, or search without highlights and facets)",
        extensions={"code": "OVERLOADED", "cost": cost, "cheapCost": cheap},
    )


def iso_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
