"""Refusals a client acts on: 429 past its budget, 503 when the expensive slots are taken,
and operations that would build too large a response; in-process, with small limits."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from graphql import parse
from starlette.testclient import TestClient

from resolvers.deadline import Deadline, OutOfTime
from schema.cost import operation_cost
from server import create_app
from settings import Limits
from tests.conftest import make_settings, wait_until_ready

PRICED = "query Priced { crises { slug } rateLimit { cost limit remaining resetAt } }"
SEARCH = 'query Search { search(query: "Gao") { totalCount } }'


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("refusals") / "index"


def serve(index_dir: Path, **limits: Any) -> TestClient:
    return TestClient(create_app(make_settings(index_dir.parent, limits=Limits(**limits))))


def graphql_schema(client: TestClient) -> Any:
    """The schema the app's GraphQL route serves."""
    route = next(r for r in client.app.app.routes if getattr(r, "path", "") == "/graphql")  # type: ignore[attr-defined]
    return route.endpoint.schema_


def test_past_its_budget_a_client_gets_429_until_the_window_ends(index_dir: Path) -> None:
    with serve(index_dir, rate_limit=30, rate_window=3600) as client:
        first = client.post("/graphql", json={"query": PRICED}).json()["data"]["rateLimit"]
        cost = first["cost"]
        assert (first["limit"], first["remaining"]) == (30, 30 - cost)
        spent = cost
        while spent + cost <= 30:
            assert client.post("/graphql", json={"query": PRICED}).status_code == 200
            spent += cost
        refused = client.post("/graphql", json={"query": PRICED})
        assert refused.status_code == 429
        assert refused.headers["cache-control"] == "no-store"
        retry = int(refused.headers["retry-after"])
        assert 3500 < retry <= 3600
        [error] = refused.json()["errors"]
        assert error["extensions"]["code"] == "RATE_LIMITED"
        assert error["extensions"]["remaining"] == 30 - spent
        assert error["extensions"]["resetAt"] == first["resetAt"]
        assert f"{retry} s" in error["message"]
        # Spent down to nothing: refused before the document is even parsed.
        while (
            client.post("/graphql", json={"query": "query One { __typename }"}).status_code == 200
        ):
            pass
        unparsed = client.post("/graphql", json={"query": "{ not a document"})
        assert unparsed.status_code == 429
        assert unparsed.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        # The GraphiQL page is not an operation: it is still served.
        assert client.get("/graphql", headers={"accept": "text/html"}).status_code == 200


def test_expensive_operations_get_503_when_no_slot_is_free(index_dir: Path) -> None:
    # No slot at all: every expensive operation waits its moment, then is refused.
    with serve(index_dir, expensive_slots=0, cheap_cost=100) as client:
        wait_until_ready(client)
        busy = client.post("/graphql", json={"query": SEARCH})
        cheap = client.post("/graphql", json={"query": "query Cheap { crises { slug } }"})
    assert busy.status_code == 503
    assert busy.headers["retry-after"] == "1"
    assert busy.headers["cache-control"] == "no-store"
    [error] = busy.json()["errors"]
    assert error["extensions"]["code"] == "OVERLOADED"
    assert error["extensions"]["cheapCost"] == 100
    assert error["extensions"]["cost"] > 100
    assert cheap.json() == {"data": {"crises": [{"slug": "mali"}]}}  # its own lane


def test_a_response_over_the_byte_ceiling_is_refused(index_dir: Path) -> None:
    query = "query Texts { passages(first: 100) { nodes { text } } }"
    with serve(index_dir, max_response_bytes=20_000) as client:
        body = client.post("/graphql", json={"query": query}).json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX", "maxResponseBytes": 20_000}


def test_a_response_over_its_priced_size_is_abandoned(index_dir: Path) -> None:
    """Plain lists are priced at LIST_FANOUT items each, and an actor may have more
    relations: the values actually built are counted too, and past max_cost of them the
    operation stops."""
    query = 'query Relations { actor(name: "MNLA") { relations { kind subject { name } } } }'
    with serve(index_dir) as client:
        schema = graphql_schema(client)
        cost = operation_cost(schema._schema, parse(query), None, None)
        full = client.post("/graphql", json={"query": query}).json()["data"]
    assert 3 * len(full["actor"]["relations"]) > cost  # the price is below what is built
    with serve(index_dir, max_cost=cost) as client:
        body = client.post("/graphql", json={"query": query}).json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert f"more than {cost:,} values" in error["message"]


def test_loops_over_records_stop_at_the_deadline(repo: Any) -> None:
    from resolvers import lists
    from resolvers.context import Context

    class Info:
        context = Context(repo, deadline=Deadline(-1.0))

    with pytest.raises(OutOfTime):
        lists.actors(Info(), name="mali")  # type: ignore[arg-type]
    deadline = Deadline(0.0)
    assert math.isclose(deadline.budget, 0.0)
    with pytest.raises(OutOfTime):
        list(deadline.checked(range(10)))


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    import resolvers.lists

    calls: list[str] = []
    real = resolvers.lists.normalize_name  # type: ignore[attr-defined]

    def counting(name: str) -> str:
        calls.append(name)
        return real(name)

    monkeypatch.setattr(resolvers.lists, "normalize_name", counting)
    yield calls


def test_a_filter_folds_what_the_client_sent_once_per_request(gql: Any, counted: list[str]) -> None:
    for field in ("actors", "places"):
        counted.clear()
        query = f"query Named($n: String) {{ {field}(filter: {{name: $n}}) {{ totalCount }} }}"
        gql.data(query, {"n": "ma"})
        assert counted == ["ma"], field
    counted.clear()
    gql.data('query M { figures(filter: {measure: "displaced"}) { totalCount } }')
    assert counted == ["displaced"]


def test_a_cheap_operation_longer_than_its_price_moves_to_a_worker_thread(
    gql: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cheap operations run on the event loop, within INLINE_VALUES values; one whose lists
    outgrow its price is run again on a worker thread, and answered in full."""
    import schema

    query = 'query Relations { actor(name: "MNLA") { relations { kind subject { name } } } }'
    expected = gql.data(query)
    assert len(expected["actor"]["relations"]) * 3 > 12
    monkeypatch.setattr(schema, "INLINE_VALUES", 12)
    assert gql.data(query) == expected
