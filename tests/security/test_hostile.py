"""Hostile queries: each is refused before it costs much, with the code that says why."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from server import create_app
from settings import MAX_ALIASES, MAX_BODY_BYTES, MAX_DEPTH, Limits
from tests.conftest import make_settings

QUICKLY = 3.0  # seconds: generous; each of these is refused in milliseconds


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile") / "index"  # shared by this module's apps


@pytest.fixture(scope="module")
def locked_down(index_dir: Path) -> Iterator[TestClient]:
    app = create_app(make_settings(index_dir.parent, introspection=False))
    with TestClient(app) as client:
        yield client


def refused(client: TestClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    """The first error of a query that must not run, after checking it came back fast and
    that every error has the same code."""
    started = time.monotonic()
    response = client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert time.monotonic() - started < QUICKLY
    assert response.status_code == 200, response.text
    body = response.json()
    # Refused before running (no data), or by its field's resolver: root fields are
    # nullable, so then the field alone is null.
    assert body["data"] is None or set(body["data"].values()) == {None}, body
    errors = body["errors"]
    assert len({e["extensions"]["code"] for e in errors}) == 1, errors
    return errors[0]


def relation_cycle(depth: int) -> str:
    inner = "name"
    for _ in range(depth):
        inner = f"relations {{ subject {{ {inner} }} }}"
    return f'query Cycle {{ actor(name: "MNLA") {{ {inner} }} }}'


def test_a_deep_relation_cycle_is_refused(client: TestClient) -> None:
    error = refused(client, relation_cycle(50))
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["maxDepth"] == MAX_DEPTH


def test_a_relation_cycle_within_the_depth_limit_runs(gql: Any) -> None:
    data = gql.data(relation_cycle((MAX_DEPTH - 2) // 2))
    assert data["actor"]["relations"]


def test_a_thousand_aliases_are_refused(client: TestClient) -> None:
    aliases = " ".join(f"a{i}: __typename" for i in range(1000))
    error = refused(client, f"query Aliases {{ {aliases} }}")
    assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX", "maxAliases": MAX_ALIASES}


def test_a_megabyte_body_is_refused(client: TestClient) -> None:
    padding = " " * 1_000_000
    for body in (
        f'{{"query": "{{ crises {{ slug }} }}{padding}"}}'.encode(),
        iter([b'{"query": "{ crises { slug } }'] + [b" " * 10_000] * 100 + [b'"}']),  # chunked
    ):
        response = client.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 413
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "REQUEST_TOO_LARGE"
        assert f"{MAX_BODY_BYTES:,}" in error["message"]


def test_a_fragment_cycle_is_refused(client: TestClient) -> None:
    error = refused(
        client,
        "query Loop { ...A } fragment A on Query { crises { slug } ...B }"
        " fragment B on Query { ...A }",
    )
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "Cannot spread fragment 'A' within itself" in error["message"]


def test_a_fragment_bomb_is_answered_quickly(client: TestClient) -> None:
    # Each fragment spreads the one before twice: 2**40 spreads if walked naively.
    fragments = ["fragment F0 on Query { crises { slug } }"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 41)]
    started = time.monotonic()
    response = client.post(
        "/graphql", json={"query": "query Bomb { ...F40 } " + " ".join(fragments)}
    )
    assert time.monotonic() - started < QUICKLY
    assert response.json() == {"data": {"crises": [{"slug": "mali"}]}}


def test_first_100_nested_five_deep_is_refused(client: TestClient) -> None:
    inner = "name"
    for _ in range(5):
        inner = f"events(first: 100) {{ nodes {{ participants {{ actor {{ {inner} }} }} }} }}"
    error = refused(client, f"query Nested {{ {inner} }}")
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def test_first_100_nested_within_the_depth_limit_is_refused(client: TestClient) -> None:
    # Three pages of 100 inside each other: a million events, in 8 levels.
    query = (
        "query Nested { actors(first: 100) { nodes { events(first: 100) { nodes {"
        " places { events(first: 100) { nodes { title } } } } } } } }"
    )
    error = refused(client, query)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["cost"] > Limits().max_cost


def test_a_huge_page_through_a_variable_is_refused(client: TestClient) -> None:
    query = (
        "query Page($n: Int) { actors(first: $n) { nodes { events(first: $n) { totalCount } } } }"
    )
    error = refused(client, query, {"n": 1_000_000})
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def test_a_search_for_everything_is_refused(client: TestClient) -> None:
    error = refused(
        client, "query Star($q: String!) { search(query: $q) { totalCount } }", {"q": "*"}
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


def test_too_many_tokens_are_refused(client: TestClient) -> None:
    error = refused(client, "query Long { " + "__typename " * 6000 + "}")
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def test_introspection_is_refused_when_turned_off(locked_down: TestClient) -> None:
    for query in (
        "query Schema { __schema { types { name } } }",
        'query T { __type(name: "Actor") { name } }',
    ):
        error = refused(locked_down, query)
        assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "introspection has been disabled" in error["message"]
    response = locked_down.post(
        "/graphql", json={"query": "query Name { __typename crises { slug } }"}
    )
    assert response.json() == {"data": {"__typename": "Query", "crises": [{"slug": "mali"}]}}


def test_an_operation_over_its_time_budget_is_abandoned(index_dir: Path) -> None:
    app = create_app(make_settings(index_dir.parent, limits=Limits(time_budget=0.0)))
    with TestClient(app) as client:
        error = refused(
            client, "query Actors { actors(first: 100) { nodes { name relations { kind } } } }"
        )
    assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX", "timeBudgetSeconds": 0.0}
    assert "path" not in error  # the whole operation is abandoned, not one field
