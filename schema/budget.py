"""Where and for how long one operation runs: on a worker thread, within its deadline, and
within a bound on the values it builds.

The limits (schema.limits, schema.cost) refuse what is too large before anything runs, but
a cost is an estimate: plain lists (relations, mentions, evidence) hold more or fewer than
it assumes. So the executor also checks the request's deadline (resolvers.deadline, which
loops over records check as well) and the number of values completed so far, as it starts
on each object graphql-core completes and once before each list the fast executor
completes inline (schema.execution_compile). Past either, it abandons the whole operation:
one QUERY_TOO_COMPLEX error and no partial data. After execution, a result whose JSON would
be larger than the ceiling is refused the same way, before it is serialised.

Where an operation runs (which lane of worker threads) is schema.admission's.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from graphql import ExecutionResult, GraphQLError
from graphql.execution import Executor

from resolvers.deadline import Deadline, OutOfTime


class _TooManyValues(BaseException):
    """Like OutOfTime: unwinds the executor past its per-field error handlers."""


class Underpriced(BaseException):
    """An operation run on the event loop built more values than it may there; its caller
    runs it again on a worker thread. A BaseException, so that neither graphql-core nor
    Strawberry turns it into an error of the response on the way out."""


class Bounded(Executor[Any]):
    """An executor mixin: the deadline and the value count, checked once per object or
    list, and the size of the result."""

    max_values: ClassVar[int] = 100_000
    max_bytes: ClassVar[int] = 4_000_000  # of the response's JSON (Limits.max_response_bytes)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        deadline = getattr(self.context_value, "deadline", None)
        self.deadline: Deadline = deadline if deadline is not None else Deadline(float("inf"))
        self.values = 0
        inline = getattr(self.context_value, "inline_values", None)
        # On the event loop, the smaller cap; past it, the operation moves (Underpriced).
        self.moves = inline is not None and inline < self.max_values
        self.limit = inline if self.moves and inline is not None else self.max_values

    def execute_fields(
        self,
        parent_type: Any,
        source_value: Any,
        path: Any,
        grouped_field_set: Any,
        *rest: Any,
    ) -> Any:
        self.count(len(grouped_field_set))
        return super().execute_fields(parent_type, source_value, path, grouped_field_set, *rest)

    def count(self, values: int) -> None:
        """`values` more are about to be completed: one object's fields, or a whole list's
        (schema.execution_compile counts a list once, before its items)."""
        self.values += values
        if self.values > self.limit:
            raise _TooManyValues
        if time.monotonic() > self.deadline.at:
            raise OutOfTime

    def execute_operation(self, serially: bool | None = None) -> Any:
        try:
            result = super().execute_operation(serially)
        except OutOfTime:
            return out_of_time(self.deadline.budget)
        except _TooManyValues:
            if self.moves:
                raise Underpriced from None
            return too_large(f"more than {self.max_values:,} values")
        data = getattr(result, "data", None)
        if data is not None and self.response_over(data):
            return too_large(
                f"more than {self.max_bytes:,} bytes of JSON", maxResponseBytes=self.max_bytes
            )
        return result

    def response_over(self, data: Any) -> bool:
        """Whether the data's JSON would be larger than max_bytes. The fast executor counts
        at least that measure as it builds the data (`bytes`): only when its count is over
        does the data have to be walked."""
        counted: int | None = getattr(self, "bytes", None)
        if counted is not None and counted <= self.max_bytes:
            return False
        return json_size_over(data, self.max_bytes)


def out_of_time(budget: float) -> ExecutionResult:
    return ExecutionResult(
        data=None,
        errors=[
            GraphQLError(
                f"this query took more than {budget:g} s, the time one request may take; ask "
                "for fewer objects (smaller `first`, fewer nested lists) and follow "
                "`pageInfo.endCursor` for more",
                extensions={"code": "QUERY_TOO_COMPLEX", "timeBudgetSeconds": budget},
            )
        ],
    )


def too_large(what: str, **extensions: Any) -> ExecutionResult:
    return ExecutionResult(
        data=None,
        errors=[
            GraphQLError(
                f"the response would hold {what}, more than one response may; ask for smaller "
                "pages (`first`) and fewer fields, and follow `pageInfo.endCursor` for more",
                extensions={"code": "QUERY_TOO_COMPLEX", **extensions},
            )
        ],
    )


def bounded(
    executor_class: type[Executor[Any]], max_values: int, max_bytes: int = Bounded.max_bytes
) -> type[Executor[Any]]:
    """`executor_class` with the deadline, value and response size checks."""
    return type(
        f"Bounded{executor_class.__name__}",
        (Bounded, executor_class),
        {"max_values": max_values, "max_bytes": max_bytes, "__module__": __name__},
    )


def json_size(value: Any) -> int:
    """What json_size_over counts for a value stored in an object, leaving out the objects
    inside it: the fast executor (schema.execution) counts those as it builds
    them."""
    if type(value) is str:
        return len(value) + 2
    if isinstance(value, list):
        return 2 + len(value) + sum(json_size(item) for item in value)
    if isinstance(value, dict):
        return 0
    if isinstance(value, str):
        return len(value) + 2
    return 4


def json_size_over(value: Any, limit: int) -> bool:
    """Whether `value` serialised as JSON would take more than `limit` bytes: an estimate
    from below (quotes, commas and escapes are added, never counted twice), which stops
    walking as soon as it has seen enough. Strings and nulls are counted where their dict
    or list holds them, so mostly containers are stacked (a page is mostly strings)."""
    remaining = limit
    stack = [value]
    push, pop = stack.append, stack.pop
    while stack:
        item = pop()
        if type(item) is dict:
            remaining -= 2
            for key, entry in item.items():
                if type(entry) is str:
                    remaining -= len(key) + len(entry) + 6
                elif entry is None:
                    remaining -= len(key) + 8
                else:
                    remaining -= len(key) + 4
                    push(entry)
        elif type(item) is list:
            remaining -= 2 + len(item)
            for entry in item:
                if type(entry) is str:
                    remaining -= len(entry) + 2
                else:
                    push(entry)
        elif isinstance(item, str):
            remaining -= len(item) + 2
        elif isinstance(item, dict):
            remaining -= 2 + sum(len(k) + 4 for k in item)
            stack.extend(item.values())
        elif isinstance(item, list):
            remaining -= 2 + len(item)
            stack.extend(item)
        else:
            remaining -= 4
        if remaining < 0:
            return True
    return False
