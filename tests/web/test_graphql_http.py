"""GraphQL over HTTP: content negotiation and the status codes of the specification.
(tools/http_audit.py runs graphql-http's audit suite against a live server.)"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from web.graphql_http import GRAPHQL_RESPONSE, JSON, negotiate


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, JSON),
        ("", JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        (JSON, JSON),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, {JSON}", GRAPHQL_RESPONSE),
        (f"{JSON}, {GRAPHQL_RESPONSE}", JSON),
        (f"{JSON};q=0.5, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"{JSON};q=0, */*", GRAPHQL_RESPONSE),
        ("text/html,application/xhtml+xml,*/*;q=0.8", JSON),
        ("text/html", None),
        (f"{JSON};q=0", None),
        ("APPLICATION/JSON; charset=utf-8", JSON),
    ],
)
def test_negotiation(accept: str | None, chosen: str | None) -> None:
    assert negotiate(accept) == chosen


def post(client: TestClient, query: str, accept: str, **extra: Any) -> Any:
    return client.post("/graphql", json={"query": query, **extra}, headers={"accept": accept})


def test_a_graphql_response_client_gets_its_media_type(client: TestClient) -> None:
    response = post(client, "query Q { crises { slug } }", GRAPHQL_RESPONSE)
    assert response.status_code == 200
    assert response.headers["content-type"] == GRAPHQL_RESPONSE
    assert response.json() == {"data": {"crises": [{"slug": "mali"}]}}


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("query Q { crises { slug }", {}, "GRAPHQL_PARSE_FAILED"),
        ("query Q { nope }", {}, "GRAPHQL_VALIDATION_FAILED"),
        ("query Q($n: Int!) { actors(first: $n) { totalCount } }", {"n": "ten"}, "BAD_USER_INPUT"),
        (
            "query Q { events(first: 100) { nodes { places { events(first: 100) {"
            " nodes { places { events(first: 100) { totalCount } } } } } } } }",
            {},
            "QUERY_TOO_COMPLEX",
        ),
    ],
    ids=["parse", "validation", "variables", "too large"],
)
def test_a_request_error_is_400_without_data_for_graphql_response_clients(
    client: TestClient, query: str, variables: dict[str, Any], code: str
) -> None:
    response = post(client, query, GRAPHQL_RESPONSE, variables=variables)
    assert response.status_code == 400
    assert response.headers["content-type"] == GRAPHQL_RESPONSE
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == code
    # application/json clients keep 200, with `data: null` beside the errors.
    response = post(client, query, JSON, variables=variables)
    assert response.status_code == 200
    assert response.json()["data"] is None
    assert response.json()["errors"][0]["extensions"]["code"] == code


def test_a_field_error_is_200_with_data_for_graphql_response_clients(client: TestClient) -> None:
    response = post(client, 'query Q { node(id: "x") { id } crises { slug } }', GRAPHQL_RESPONSE)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"node": None, "crises": [{"slug": "mali"}]}
    assert body["errors"][0]["path"] == ["node"]


def errors_of(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(JSON)
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == code
    message: str = error["message"]
    return message


def test_a_client_that_accepts_neither_media_type_gets_406(client: TestClient) -> None:
    response = client.get(
        "/graphql", params={"query": "{ crises { slug } }"}, headers={"accept": "text/plain"}
    )
    assert GRAPHQL_RESPONSE in errors_of(response, 406, "NOT_ACCEPTABLE")


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/graphql", "application/json; charset=latin-1"]
)
def test_a_body_that_is_not_json_gets_415(client: TestClient, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/graphql", content=b'{"query": "{ crises { slug } }"}', headers=headers)
    errors_of(response, 415, "UNSUPPORTED_MEDIA_TYPE")


def test_utf8_json_with_a_charset_is_accepted(client: TestClient) -> None:
    response = client.post(
        "/graphql",
        content='{"query": "{ actor(name: \\"Ançar Dine\\") { slug } }"}'.encode(),
        headers={"content-type": "application/json; charset=UTF-8"},
    )
    assert response.status_code == 200
    assert "errors" not in response.json()


def test_a_mutation_over_get_gets_405(client: TestClient) -> None:
    response = client.get("/graphql", params={"query": "mutation M { x }"})
    errors_of(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "POST"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"{}",
        b'{"query": 5}',
        b'{"query": "{ crises { slug } }", "variables": []}',
        b'[{"query": "{ crises { slug } }"}]',
        b'{"query": "{ crises { slug } }", "operationName": {"obj": "ect"}}',
        b'{"query": "{ crises { slug } }", "operationName": ["array"]}',
        b'{"query": "{ crises { slug } }", "operationName": 0}',
        b'{"query": "{ crises { slug } }", "operationName": false}',
    ],
    ids=[
        "not json",
        "no query",
        "query not a string",
        "variables not a map",
        "a batch",
        "operationName an object",
        "operationName an array",
        "operationName a number",
        "operationName a boolean",
    ],
)
def test_a_malformed_request_is_400_with_a_graphql_error(client: TestClient, body: bytes) -> None:
    response = client.post("/graphql", content=body, headers={"content-type": JSON})
    assert errors_of(response, 400, "BAD_REQUEST")
