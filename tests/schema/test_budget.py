"""The executor's bounds (schema/budget.py) on operations that would run far past them:
the fast executor counts and reads the clock once per list, and that is enough to stop
them."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from data.repository import Repository
from resolvers.context import Context
from resolvers.deadline import Deadline
from schema import build_schema
from settings import Limits

# A page of events, four pages of events of each participant's actor, and five of each of
# theirs: about half a million events, seconds of work, with nothing that prices it
# (the cost limit is off).
_INNER = " ".join(
    f"b{i}: events(first: 100) {{ nodes {{ title description evidence {{ quote }} }} }}"
    for i in range(5)
)
_MIDDLE = " ".join(
    f"a{i}: events(first: 100) {{ nodes {{ participants {{ actor {{ {_INNER} }} }} }} }}"
    for i in range(4)
)
RUNAWAY = (
    "query Runaway { events(first: 100) { nodes { participants { actor { "
    f"{_MIDDLE} }} }} }} }} }}"
)


def run(repo: Repository, budget: float) -> tuple[dict[str, Any], float]:
    schema = build_schema(Limits(max_cost=10**12, rate_limit=0, time_budget=budget))
    context = Context(repo, deadline=Deadline(budget))
    started = time.monotonic()
    result = asyncio.run(schema.execute(RUNAWAY, context_value=context))
    elapsed = time.monotonic() - started
    assert result.data is None and result.errors
    [error] = result.errors
    return dict(error.formatted), elapsed


def test_a_runaway_operation_stops_at_its_deadline(repo: Repository) -> None:
    error, elapsed = run(repo, 0.2)
    assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX", "timeBudgetSeconds": 0.2}
    assert "path" not in error  # the whole operation, not one field
    # Minutes of work without the deadline; a generous bound, for a busy machine.
    assert elapsed < 3.0, elapsed
