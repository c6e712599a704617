"""Bad input is a clean GraphQL error with a code (or a null), never a 500 or a traceback;
an unexpected exception is masked."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from starlette.testclient import TestClient

import resolvers.lookups
from data.dates import ACCEPTED_FORMS
from tests.conftest import GraphQLClient

LEAKS = re.compile(r"Traceback|File \"|\.py\b|/work/|/tmp/|site-packages")


def global_id(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def clean(body: str) -> None:
    assert not LEAKS.search(body), body


def error_of(client: TestClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    clean(response.text)
    body: dict[str, Any] = response.json()
    errors: list[dict[str, Any]] = body["errors"]
    [error] = errors
    assert error["message"]
    assert error["extensions"]["code"]  # every error a client can cause says which it is
    return error


def test_an_unknown_id_is_null(gql: GraphQLClient) -> None:
    data = gql.data(
        "query Unknown($id: ID!) { node(id: $id) { id } }", {"id": global_id("Actor:mali:nope")}
    )
    assert data == {"node": None}


def test_nodes_nulls_each_bad_or_unknown_id_with_its_own_error(gql: GraphQLClient) -> None:
    mnla, gao = global_id("Actor:mali:mnla"), global_id("Place:mali:gao")
    body = gql.run(
        "query Nodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
        {"ids": [mnla, "!!!", global_id("Event:atlantis:nope"), gao]},
    )
    assert body["data"] == {
        "nodes": [
            {"__typename": "Actor", "id": mnla},
            None,
            None,
            {"__typename": "Place", "id": gao},
        ]
    }
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["nodes", 1], "BAD_USER_INPUT"),
        (["nodes", 2], "NOT_FOUND"),
    ]
    assert body["errors"][0]["message"].startswith("ids: '!!!' is not a crisisgraph ID")
    assert body["errors"][1]["message"] == (
        f"ids: nothing has the ID {global_id('Event:atlantis:nope')!r}"
    )


def test_a_failing_root_list_nulls_only_itself(gql: GraphQLClient) -> None:
    body = gql.run(
        "query Partly($bad: Int, $good: Int) {"
        " ok: crises { slug } bad: events(first: $bad) { totalCount }"
        " good: resolutions(first: $good) { totalCount } }",
        {"bad": 0, "good": 1},
    )
    assert body["data"] == {"ok": [{"slug": "mali"}], "bad": None, "good": {"totalCount": 3}}
    [error] = body["errors"]
    assert (error["path"], error["extensions"]["code"]) == (["bad"], "BAD_USER_INPUT")


def test_unknown_lookups_are_null(gql: GraphQLClient) -> None:
    data = gql.data(
        "query Unknown($slug: String!, $name: String!, $number: Int!) {"
        " crisis(slug: $slug) { name } actor(name: $name) { slug }"
        " place(name: $name) { slug } resolution(number: $number) { number }"
        ' elsewhere: actor(name: "MNLA", crisis: $slug) { slug } }',
        {"slug": "atlantis", "name": "Nobody", "number": 9999},
    )
    assert data == {
        "crisis": None,
        "actor": None,
        "place": None,
        "resolution": None,
        "elsewhere": None,
    }


NODE = "query Node($id: ID!) { node(id: $id) { id } }"
EVENTS = (
    "query Events($filter: EventFilter, $first: Int, $after: String, $last: Int,"
    " $before: String) { events(filter: $filter, first: $first, after: $after, last: $last,"
    " before: $before) { totalCount } }"
)
RELATIONS = 'query Relations($at: String) { actor(name: "MNLA") { relations(at: $at) { kind } } }'
DOCUMENTS = "query Documents($filter: DocumentFilter) { documents(filter: $filter) { totalCount } }"
NESTED = (
    'query Nested($first: Int) { actor(name: "MNLA") { events(first: $first) { totalCount } } }'
)

BAD_INPUT: list[tuple[str, str, dict[str, Any], str, str]] = [
    # (case, query, variables, code, words the message must contain)
    ("malformed id", NODE, {"id": "!!!"}, "BAD_USER_INPUT", "is not a crisisgraph ID"),
    ("empty id", NODE, {"id": ""}, "BAD_USER_INPUT", "is not a crisisgraph ID"),
    ("non-ascii id", NODE, {"id": "é"}, "BAD_USER_INPUT", "is not a crisisgraph ID"),
    ("unknown type", NODE, {"id": global_id("Bogus:mali:x")}, "BAD_USER_INPUT", "use the `id`"),
    ("two parts", NODE, {"id": global_id("Actor:mali")}, "BAD_USER_INPUT", "crisisgraph ID"),
    (
        "unknown actor filter",
        EVENTS,
        {"filter": {"actor": global_id("Actor:mali:nope")}},
        "NOT_FOUND",
        "no actor with ID",
    ),
    (
        "a place where an actor goes",
        EVENTS,
        {"filter": {"actor": global_id("Place:mali:gao")}},
        "BAD_USER_INPUT",
        "got a Place",
    ),
    ("month 13", EVENTS, {"filter": {"from": "2013-13"}}, "BAD_USER_INPUT", ACCEPTED_FORMS),
    ("a month name", EVENTS, {"filter": {"to": "March"}}, "BAD_USER_INPUT", ACCEPTED_FORMS),
    ("not a leap year", EVENTS, {"filter": {"from": "2013-02-29"}}, "BAD_USER_INPUT", "no day"),
    ("relations at", RELATIONS, {"at": "March"}, "BAD_USER_INPUT", ACCEPTED_FORMS),
    ("document dates", DOCUMENTS, {"filter": {"from": "2013-13"}}, "BAD_USER_INPUT", "no month"),
    (
        "from after to",
        EVENTS,
        {"filter": {"from": "2014", "to": "2013"}},
        "BAD_USER_INPUT",
        "after to",
    ),
    ("first 0", EVENTS, {"first": 0}, "BAD_USER_INPUT", "ask for 1 to 100"),
    ("first -1", EVENTS, {"first": -1}, "BAD_USER_INPUT", "ask for 1 to 100"),
    ("first 101", EVENTS, {"first": 101}, "BAD_USER_INPUT", "ask for 1 to 100"),
    ("last 0", EVENTS, {"last": 0}, "BAD_USER_INPUT", "ask for 1 to 100"),
    ("last 101", EVENTS, {"last": 101}, "BAD_USER_INPUT", "ask for 1 to 100"),
    ("nested first 101", NESTED, {"first": 101}, "BAD_USER_INPUT", "ask for 1 to 100"),
    ("nested first 0", NESTED, {"first": 0}, "BAD_USER_INPUT", "ask for 1 to 100"),
    ("first and last", EVENTS, {"first": 5, "last": 5}, "BAD_USER_INPUT", "not both"),
    ("bad after", EVENTS, {"after": "zzz"}, "BAD_USER_INPUT", "is not a cursor"),
    ("bad before", EVENTS, {"before": "zzz"}, "BAD_USER_INPUT", "is not a cursor"),
    (
        "cursor-shaped",
        EVENTS,
        {"after": global_id("cursor:abc")},
        "BAD_USER_INPUT",
        "is not a cursor",
    ),
    (
        "an id as cursor",
        EVENTS,
        {"after": global_id("Actor:mali:mnla")},
        "BAD_USER_INPUT",
        "cursor",
    ),
    (
        "unknown crisis",
        EVENTS,
        {"filter": {"crisis": "atlantis"}},
        "BAD_USER_INPUT",
        "known crises: mali",
    ),
    (
        "too many ids",
        "query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        {"ids": [global_id("Actor:mali:mnla")] * 101},
        "BAD_USER_INPUT",
        "at most 100",
    ),
    (
        "a cursor that is not ours",
        EVENTS,
        {"before": global_id('["events-by-date",[1],["mali","x"]]')},
        "BAD_USER_INPUT",
        "is not a cursor",
    ),
    (
        "an old position cursor",
        EVENTS,
        {"after": global_id("cursor:5")},
        "BAD_USER_INPUT",
        "is not a cursor",
    ),
]


@pytest.mark.parametrize(
    ("query", "variables", "code", "words"),
    [case[1:] for case in BAD_INPUT],
    ids=[case[0] for case in BAD_INPUT],
)
def test_bad_input_is_a_clean_error_with_a_code(
    client: TestClient, query: str, variables: dict[str, Any], code: str, words: str
) -> None:
    error = error_of(client, query, variables)
    assert error["extensions"]["code"] == code
    assert words in error["message"]


REQUEST_ERRORS: list[tuple[str, str, dict[str, Any], str]] = [
    # (case, query, variables, code)
    ("syntax error", "query Broken { actors { ", {}, "GRAPHQL_PARSE_FAILED"),
    ("unknown field", "query Unknown { actors { nope } }", {}, "GRAPHQL_VALIDATION_FAILED"),
    (
        "unknown argument",
        "query Unknown { actors(sort: NAME) { totalCount } }",
        {},
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        "unknown enum value",
        "query Kinds { events(filter: {kinds: [NOPE]}) { totalCount } }",
        {},
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        "wrong argument type",
        'query Wrong { events(first: "ten") { totalCount } }',
        {},
        "GRAPHQL_VALIDATION_FAILED",
    ),
]


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [case[1:] for case in REQUEST_ERRORS],
    ids=[case[0] for case in REQUEST_ERRORS],
)
def test_a_query_that_cannot_run_is_a_clean_error_with_a_code(
    client: TestClient, query: str, variables: dict[str, Any], code: str
) -> None:
    error = error_of(client, query, variables)
    assert error["extensions"]["code"] == code


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (
            "query Kinds($kinds: [EventKind!]) { events(filter: {kinds: $kinds}) { totalCount } }",
            {"kinds": ["NOPE"]},
        ),
        ("query Page($first: Int) { events(first: $first) { totalCount } }", {"first": "ten"}),
        ("query Page($first: Int!) { events(first: $first) { totalCount } }", {}),
    ],
    ids=["unknown enum value", "wrong type", "missing variable"],
)
def test_a_bad_variable_is_a_clean_error_with_a_code(
    client: TestClient, query: str, variables: dict[str, Any]
) -> None:
    error = error_of(client, query, variables)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


def test_the_other_fields_still_answer_when_one_fails(gql: GraphQLClient) -> None:
    body = gql.run("query Partly($id: ID!) { node(id: $id) { id } crises { slug } }", {"id": "!!!"})
    assert body["data"] == {"node": None, "crises": [{"slug": "mali"}]}
    [error] = body["errors"]
    assert (error["path"], error["extensions"]["code"]) == (["node"], "BAD_USER_INPUT")


@pytest.mark.parametrize(
    "content",
    [b"not json", b"{}", b'{"query": 5}', b"[]"],
    ids=["not json", "no query", "query not a string", "a batch"],
)
def test_a_malformed_request_is_a_400_with_a_clean_error(
    client: TestClient, content: bytes
) -> None:
    response = client.post(
        "/graphql", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    clean(response.text)
    [error] = response.json()["errors"]
    assert error["message"] and error["extensions"]["code"]


def test_an_unknown_operation_name_is_a_400_with_a_clean_error(client: TestClient) -> None:
    response = client.post(
        "/graphql", json={"query": "query Crises { crises { slug } }", "operationName": "Nope"}
    )
    assert response.status_code == 400
    clean(response.text)
    [error] = response.json()["errors"]
    assert 'Unknown operation named "Nope"' in error["message"]
    assert error["extensions"]["code"]


TWO_OPERATIONS = "query Slugs { crises { slug } } query Names { crises { name } }"


def test_the_operation_name_picks_the_operation(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": TWO_OPERATIONS, "operationName": "Names"})
    assert response.json() == {"data": {"crises": [{"name": "Crisis in Mali"}]}}


def test_several_operations_without_a_name_is_an_error(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": TWO_OPERATIONS})
    assert response.status_code in (200, 400)
    clean(response.text)
    [error] = response.json()["errors"]
    assert "operation name" in error["message"]
    assert error["extensions"]["code"]


def test_an_unexpected_exception_is_masked(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(info: object) -> None:
        raise RuntimeError("secret /path/to/store")

    monkeypatch.setattr(resolvers.lookups, "crises", broken)
    response = client.post("/graphql", json={"query": "query Crises { crises { slug } }"})
    assert response.status_code == 200
    assert "secret" not in response.text
    clean(response.text)
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    request_id = error["extensions"]["requestId"]
    assert re.fullmatch(r"[0-9a-f]{12}", request_id)
    assert error["message"] == f"Internal server error (request id {request_id})"
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    # The operator can find the real cause in the log by the request id.
    assert any(request_id in r.getMessage() and r.exc_info for r in caplog.records)
