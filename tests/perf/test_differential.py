"""The fast executor (schema/execution.py) against graphql-core's own, on the Mali store.

Both schemas are built by build_schema, with the same extensions (error masking, limits,
caches); one runs Strawberry's stock executor. Every generated operation must produce the
same JSON, byte for byte: data, errors, their messages, locations and paths.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from data.loader import load_store
from data.repository import Repository
from index.lifecycle import ensure_index
from index.search import SearchIndex
from resolvers.context import Context
from resolvers.links import links
from schema import build_schema
from schema.admission import RateLimiter
from schema.budget import bounded, json_size_over
from schema.execution import FastExecutionContext
from schema.search import SearchMode
from settings import DEFAULT_DATA_DIR
from tests.perf.querygen import QueryGenerator

STOPPED = 1_800_000_000.0  # seconds since the epoch
CASES = 40  # test cases ...
PER_CASE = 15  # ... of this many operations each


@pytest.fixture(scope="module")
def search_index(repo: Repository, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    index = ensure_index(repo, tmp_path_factory.mktemp("perf-index"))
    yield index
    index.close()


@pytest.fixture(scope="module")
def schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    # Budgets on a stopped clock: `rateLimit` answers the same in both runs of an operation
    # (each schema is charged the same operations in the same order).
    fast = build_schema(rates=RateLimiter(10**12, 60.0, clock=lambda: STOPPED))
    stock = build_schema(rates=RateLimiter(10**12, 60.0, clock=lambda: STOPPED))
    stock.execution_context_class = bounded(
        StrawberryGraphQLCoreExecutionContext, stock.limits.max_cost
    )
    return fast, stock


def run(schema: strawberry.Schema, context: Context, text: str, variables: Any = None) -> str:
    """The response as the server serialises it, with masked request ids made equal."""
    result = asyncio.run(schema.execute(text, variable_values=variables, context_value=context))
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [e.formatted for e in result.errors]
    encoded = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return re.sub(r'(request id |"requestId":")[0-9a-f]{12}', r"\1<id>", encoded)


def test_build_schema_uses_the_fast_executor(
    schemas: tuple[strawberry.Schema, strawberry.Schema],
) -> None:
    assert issubclass(schemas[0].execution_context_class, FastExecutionContext)
    assert not issubclass(schemas[1].execution_context_class, FastExecutionContext)


@pytest.mark.parametrize("case", range(CASES))
def test_generated_operations_agree(
    case: int,
    repo: Repository,
    search_index: SearchIndex,
    schemas: tuple[strawberry.Schema, strawberry.Schema],
) -> None:
    fast, stock = schemas
    context = Context(repo, search_index)
    generator = QueryGenerator(stock._schema, repo, seed=case)
    with_data = 0
    for _ in range(PER_CASE):
        operation = generator.operation()
        expected = run(stock, context, operation.text, operation.variables)
        assert run(fast, context, operation.text, operation.variables) == expected, (
            operation.text,
            operation.variables,
        )
        with_data += '"data":{' in expected
    # Most operations validate and run: the comparison is of execution, not of errors.
    assert with_data >= PER_CASE // 3


BENCH_QUERIES = Path(__file__).resolve().parents[2] / "bench" / "queries.py"


def test_benchmark_operations_agree(
    repo: Repository,
    search_index: SearchIndex,
    schemas: tuple[strawberry.Schema, strawberry.Schema],
) -> None:
    from bench.queries import operations

    context = Context(repo, search_index)
    for name, (text, variables) in operations().items():
        expected = run(schemas[1], context, text, variables)
        assert '"errors"' not in expected, name
        assert run(schemas[0], context, text, variables) == expected, name


class _Failing:
    """A repository whose figures index is broken: a programmer's error, to be masked."""

    def __init__(self, repo: Repository) -> None:
        self._repo = repo

    def __getattr__(self, name: str) -> Any:
        if name == "figures_by_subject":
            raise RuntimeError("secret detail")
        return getattr(self._repo, name)


def test_unexpected_errors_are_masked_alike(
    repo: Repository, schemas: tuple[strawberry.Schema, strawberry.Schema]
) -> None:
    context = Context(_Failing(repo), None)  # type: ignore[arg-type]
    text = "query Q { events(first: 3) { nodes { title figures { value } } } }"
    fast = run(schemas[0], context, text)
    assert fast == run(schemas[1], context, text)
    body = json.loads(fast)
    assert "secret" not in fast
    assert {e["extensions"]["code"] for e in body["errors"]} == {"INTERNAL_SERVER_ERROR"}
    assert body["errors"][0]["path"] == ["events", "nodes", 0, "figures"]


def test_limits_still_apply(
    repo: Repository, schemas: tuple[strawberry.Schema, strawberry.Schema]
) -> None:
    context = Context(repo, None)
    inner = "events(first: 100) { nodes { title } }"
    for _ in range(2):
        inner = f"events(first: 100) {{ nodes {{ participants {{ actor {{ {inner} }} }} }} }}"
    nested = inner
    body = json.loads(run(schemas[0], context, "query Big { " + nested + " }"))
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def test_parsing_and_validation_are_cached(
    repo: Repository, schemas: tuple[strawberry.Schema, strawberry.Schema]
) -> None:
    fast: Any = schemas[0]
    context = Context(repo, None)
    text = "query Cached { crises { slug name } }"
    expected = run(fast, context, text)
    assert fast.documents.get(text) is not None
    refuse = AssertionError("a cached document was parsed or validated again")
    with (
        mock.patch("strawberry.schema.schema.parse", side_effect=refuse),
        mock.patch("strawberry.schema.schema.validate_document", side_effect=refuse),
        mock.patch("schema.document_cache.parse", side_effect=refuse),
        mock.patch("schema.document_cache.validate", side_effect=refuse),
    ):
        assert run(fast, context, text) == expected


# Broken records: what a curation mistake or a bad migration could put in front of the
# executor. The fast path must hand each of these to graphql-core, which reports them.
def _breaking(attribute: str, value: Any, every: int = 3) -> Any:
    from schema.events import Event

    original = Event.from_record.__func__  # type: ignore[attr-defined]
    seen = [0]

    def from_record(cls: Any, rec: Any) -> Any:
        event = original(cls, rec)
        seen[0] += 1
        if seen[0] % every != 1:
            return event
        # Copies all the way down: converted objects may be cached and shared.
        top = target = copy.copy(event)
        *path, last = attribute.split(".")
        for step in path:
            inner = getattr(target, step)
            if inner is None:
                return top
            inner = copy.copy(inner)
            object.__setattr__(target, step, inner)
            target = inner
        object.__setattr__(target, last, value)
        return top

    return mock.patch.object(Event, "from_record", classmethod(from_record))


BROKEN = {
    "null title": ("title", None),
    "null year": ("date.year", None),
    "year past 32 bits": ("date.year", 2**40),
    "float for an int": ("date.year", 2013.5),
    "unknown enum value": ("kind", "NOT_A_KIND"),
    "null for a non-null enum": ("date.precision", None),
    "another enum's member": ("kind", SearchMode.ANY),
    "string for an enum": ("kind", "MASSACRE"),
    "null in a non-null list": ("participants", [None]),
    "a string for a list": ("participants", "abc"),
    "the wrong object": ("date", "2013"),
    "nan for a string": ("title", float("nan")),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_records_fail_alike(
    case: str, repo: Repository, schemas: tuple[strawberry.Schema, strawberry.Schema]
) -> None:
    attribute, value = BROKEN[case]
    context = Context(repo, None)
    text = (
        "query Broken { events(first: 7) { totalCount nodes { title kind "
        "date { iso year precision } participants { role actor { name } } } } }"
    )
    with _breaking(attribute, value):  # each run breaks the same events
        expected = run(schemas[1], context, text)
    with _breaking(attribute, value):
        fast = run(schemas[0], context, text)
    assert fast == expected
    assert '"errors"' in expected, case  # the breakage was reached and reported


def test_the_response_size_limit_decides_alike(
    repo: Repository,
    search_index: SearchIndex,
    schemas: tuple[strawberry.Schema, strawberry.Schema],
) -> None:
    """The fast executor counts the JSON it builds and walks the data only when its count
    is over the limit: for every generated operation, a limit one byte under the walk's
    measure of the data refuses it, and the measure itself lets it through, as the walk of
    graphql-core's data decides."""
    fast, stock = schemas
    context = Context(repo, search_index)
    generator = QueryGenerator(stock._schema, repo, seed=1_000)
    checked = 0
    for _ in range(3 * PER_CASE):
        operation = generator.operation()
        body = json.loads(run(stock, context, operation.text, operation.variables))
        if not body.get("data"):
            continue
        measure = _measure(body["data"])
        for limit, refused in ((measure - 1, True), (measure, False)):
            with mock.patch.object(fast.execution_context_class, "max_bytes", limit):
                answer = json.loads(run(fast, context, operation.text, operation.variables))
            codes = [e["extensions"].get("maxResponseBytes") for e in answer.get("errors", ())]
            assert (limit in codes) is refused, (operation.text, limit)
        checked += 1
    assert checked >= PER_CASE


def _measure(data: Any) -> int:
    """The least limit json_size_over lets `data` through."""
    low, high = 0, 10**8
    while low < high:
        middle = (low + high) // 2
        if json_size_over(data, middle):
            low = middle + 1
        else:
            high = middle
    return low


def test_a_broken_link_fails_alike(schemas: tuple[strawberry.Schema, strawberry.Schema]) -> None:
    """A link that cannot be read (an event whose places are missing from the store's
    links) is an error of that field, at its path, in both executors."""
    store = Repository(load_store(DEFAULT_DATA_DIR))
    first = store.event_list[1]
    del links(store).event_places[first.key]
    context = Context(store, None)
    text = "query Q { events(first: 3) { nodes { title places { name } } } }"
    fast = run(schemas[0], context, text)
    assert fast == run(schemas[1], context, text)
    body = json.loads(fast)
    assert [e["path"] for e in body["errors"]] == [["events", "nodes", 1, "places"]]
    assert body["data"] == {"events": None}  # places and nodes are non-null: up to the page


def test_plans_shared_across_requests_follow_the_variables(
    repo: Repository, schemas: tuple[strawberry.Schema, strawberry.Schema]
) -> None:
    """An operation's plan is kept for its next requests unless a variable decides which
    fields are collected: then each request collects and plans its own."""
    context = Context(repo, None)
    text = (
        "query Page($places: Boolean!, $first: Int!) { events(first: $first) { nodes { "
        "title places @include(if: $places) { name } ...Dates } } } "
        "fragment Dates on Event { date { iso } endDate @skip(if: $places) { iso } }"
    )
    for places in (True, False, True, False):
        variables = {"places": places, "first": 3}
        fast = run(schemas[0], context, text, variables)
        assert fast == run(schemas[1], context, text, variables)
        node = json.loads(fast)["data"]["events"]["nodes"][0]
        assert ("places" in node) is places and ("endDate" in node) is not places
    shared = "query Shared($first: Int!) { events(first: $first) { nodes { title } } }"
    for first in (1, 3, 2):
        fast = run(schemas[0], context, shared, {"first": first})
        assert fast == run(schemas[1], context, shared, {"first": first})
        assert len(json.loads(fast)["data"]["events"]["nodes"]) == first
