"""Every error has a code, and no exception reaches a client unmasked: not from a resolver
(tests/api/test_errors.py), nor from the steps around execution."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

import schema.cost


def only_error(client: TestClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    response = client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200
    [error] = response.json()["errors"]
    return error


def test_an_exception_before_execution_is_masked(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any) -> int:
        raise RuntimeError("secret detail from /srv/crisisgraph/schema/limits.py")

    monkeypatch.setattr(schema.cost.CostCache, "cost", broken)
    error = only_error(client, "query Q { crises { slug } }")
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "secret" not in str(error) and "limits.py" not in str(error)
    request_id = error["extensions"]["requestId"]
    assert request_id in error["message"]
    assert any(request_id in r.getMessage() and r.exc_info for r in caplog.records)


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("query Q { crises { slug }", {}, "GRAPHQL_PARSE_FAILED"),
        ("query Q($n: Int!) { actors(first: $n) { totalCount } }", {}, "BAD_USER_INPUT"),
        ("query Q($n: Int!) { resolution(number: $n) { year } }", {"n": 2**40}, "BAD_USER_INPUT"),
        ("query Q { " + "__typename " * 6000 + "}", {}, "QUERY_TOO_COMPLEX"),
    ],
    ids=["syntax", "missing variable", "variable out of range", "too many tokens"],
)
def test_errors_before_execution_have_a_code(
    client: TestClient, query: str, variables: dict[str, Any], code: str
) -> None:
    assert only_error(client, query, variables)["extensions"]["code"] == code
