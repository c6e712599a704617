"""Persisted queries: the operator's saved operations (by the SHA-256 of their normalised
text) and Apollo's automatic persisted queries, over GET and POST."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from graphql import strip_ignored_characters
from starlette.routing import Route
from starlette.testclient import TestClient

from settings import DEFAULT_QUERIES_DIR
from tests.live import ROOT
from tests.web.conftest import OpenApp
from web.persisted import MAX_BYTES, MAX_ENTRIES, AutomaticStore, PersistedGraphQL, SavedOperations

SAVED = SavedOperations.load(DEFAULT_QUERIES_DIR)
JSON = {"Accept": "application/json"}
GRAPHQL_RESPONSE = {"Accept": "application/graphql-response+json"}
ACTOR = """# An actor and its relations on a date, by name or acronym.
query ActorOnDate($name: String!, $at: String) {
  actor(name: $name) { name relations(at: $at) { kind object { name } } }
}
"""


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def extensions(key: str, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": key}}


def get_hashed(client: TestClient, key: str, **params: Any) -> Any:
    """A GET as Apollo's link sends it with useGETForHashedQueries: no query, the hash."""
    query = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
    return client.get(
        "/graphql", params={"extensions": json.dumps(extensions(key)), **query}, headers=JSON
    )


def post_hashed(client: TestClient, key: str, query: str | None = None, **body: Any) -> Any:
    payload = {"extensions": extensions(key), **body}
    if query is not None:
        payload["query"] = query
    return client.post("/graphql", json=payload, headers=JSON)


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body["errors"]
    return body


def not_found(response: Any) -> None:
    """What Apollo's link falls back on: 200, the GraphQL error shape, the code."""
    assert response.status_code == 200, response.text
    assert response.json() == {
        "errors": [
            {
                "message": response.json()["errors"][0]["message"],
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }
    assert response.headers["cache-control"] == "no-store" and "etag" not in response.headers


def view(client: TestClient) -> PersistedGraphQL:
    """The app's GraphQL view, to read or bound its store of automatic persisted queries."""
    [route] = [r for r in client.app.routes if isinstance(r, Route) and r.path == "/graphql"]  # type: ignore[attr-defined]
    endpoint = route.endpoint
    assert isinstance(endpoint, PersistedGraphQL)
    return endpoint


# Saved operations


def test_every_saved_operation_is_addressed_by_its_normalised_text() -> None:
    files = sorted(DEFAULT_QUERIES_DIR.glob("*.graphql"))
    assert files and [op.file for op in SAVED] == [f.name for f in files]
    for path, op in zip(files, SAVED, strict=True):
        source = path.read_text(encoding="utf-8")
        normalised = strip_ignored_characters(source)
        assert "#" not in normalised and "\n" not in normalised  # no comments, no layout
        assert op.text == normalised and op.hash == sha256(normalised)


def test_comments_and_layout_do_not_change_the_hash(tmp_path: Path) -> None:
    (tmp_path / "a.graphql").write_text(ACTOR, encoding="utf-8")
    (tmp_path / "b.graphql").write_text(
        "query ActorOnDate($name:String!,$at:String){actor(name:$name){name "
        "relations(at:$at){kind object{name}}}}",
        encoding="utf-8",
    )
    a, b = SavedOperations.load(tmp_path)
    assert a.hash == b.hash and a.file_hash != b.file_hash


def test_a_saved_operation_that_does_not_parse_stops_the_start_naming_it(
    tmp_path: Path,
) -> None:
    (tmp_path / "broken.graphql").write_text("query Broken { actor(", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.graphql"):
        SavedOperations.load(tmp_path)


def test_the_operations_are_listed_with_name_hash_and_text(client: TestClient) -> None:
    response = client.get("/graphql/operations")
    assert response.status_code == 200
    listed = response.json()["operations"]
    assert listed == [
        {"name": op.name, "file": op.file, "hash": op.hash, "text": op.text, "source": op.source}
        for op in SAVED
    ]
    assert [op["name"] for op in listed] == [
        "Coalitions",
        "CoupLeaders",
        "Displacement",
        "ExploreCrises",
        "ExploreEvents",
        "ExplorePlaces",
        "ExploreRecord",
        "ExploreRelations",
        "ExploreSearch",
        "Timeline2014",
    ]
    assert all(sha256(op["text"]) == op["hash"] for op in listed)


@pytest.mark.parametrize("op", list(SAVED), ids=lambda op: op.file)
def test_each_saved_operation_runs_by_id_and_by_its_hash(client: TestClient, op: Any) -> None:
    by_id = ok(client.get("/graphql", params={"id": op.hash}, headers=JSON))
    data = by_id["data"]
    assert data and all(value not in (None, [], {}) for value in data.values())
    assert ok(get_hashed(client, op.hash)) == by_id
    assert ok(post_hashed(client, op.hash)) == by_id
    # The id before contract version 2, the hash of the file's text, still works.
    assert ok(client.get("/graphql", params={"id": op.file_hash}, headers=JSON)) == by_id


@pytest.mark.parametrize("accept", ["*/*", "", "text/html, */*;q=0.8"])
def test_a_persisted_get_is_data_whatever_the_client_accepts(
    client: TestClient, accept: str
) -> None:
    """curl and fetch send `*/*`, which Strawberry answers with the GraphiQL page."""
    op = next(iter(SAVED))
    key = json.dumps(extensions(op.hash))
    for params in ({"id": op.hash}, {"extensions": key}):
        response = client.get("/graphql", params=params, headers={"Accept": accept})
        assert response.headers["content-type"] == "application/json", accept
        assert ok(response)["data"]


def test_the_id_ignores_case(client: TestClient) -> None:
    op = next(iter(SAVED))
    upper = client.get("/graphql", params={"id": op.hash.upper()}, headers=JSON)
    assert ok(upper) == ok(client.get("/graphql", params={"id": op.hash}, headers=JSON))


def test_a_saved_operation_is_cacheable(client: TestClient) -> None:
    for response in (
        client.get("/graphql", params={"id": next(iter(SAVED)).hash}, headers=JSON),
        get_hashed(client, next(iter(SAVED)).hash),
    ):
        assert response.status_code == 200 and response.headers["etag"]
        again = client.get(
            str(response.url), headers={**JSON, "If-None-Match": response.headers["etag"]}
        )
        assert again.status_code == 304 and again.headers["etag"] == response.headers["etag"]


def test_an_unknown_id_is_a_404_that_says_what_to_do(client: TestClient) -> None:
    unknown = "0" * 64
    response = client.get("/graphql", params={"id": unknown}, headers=JSON)
    assert response.status_code == 404
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "PERSISTED_QUERY_NOT_FOUND"}
    assert unknown in error["message"] and "SHA-256" in error["message"]
    assert f"({len(SAVED)} saved, listed at /graphql/operations)" in error["message"]


def test_a_query_sent_with_an_id_is_run_as_sent(client: TestClient) -> None:
    response = client.get(
        "/graphql", params={"id": "0" * 64, "query": "{ __typename }"}, headers=JSON
    )
    assert response.json() == {"data": {"__typename": "Query"}}


def test_a_saved_operation_takes_variables(open_app: OpenApp, tmp_path: Path) -> None:
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "actor-on-date.graphql").write_text(ACTOR, encoding="utf-8")
    client = open_app(queries_dir=queries)
    [op] = SavedOperations.load(queries)

    params = {"variables": '{"name": "MNLA", "at": "2012-05-01"}', "operationName": "ActorOnDate"}
    body = ok(client.get("/graphql", params={"id": op.hash, **params}, headers=JSON))
    actor = body["data"]["actor"]
    assert actor["name"] == "National Movement for the Liberation of Azawad"
    assert {"kind": "ALLIANCE", "object": {"name": "Ansar Dine"}} in actor["relations"]
    # A variable the document needs and the request lacks is the usual GraphQL error.
    response = client.get("/graphql", params={"id": op.hash}, headers=JSON)
    assert "$name" in response.json()["errors"][0]["message"]


def test_no_queries_folder_means_no_saved_operations(open_app: OpenApp, tmp_path: Path) -> None:
    client = open_app(queries_dir=tmp_path / "missing")
    response = client.get("/graphql", params={"id": next(iter(SAVED)).hash}, headers=JSON)
    assert response.status_code == 404
    assert "(0 saved" in response.json()["errors"][0]["message"]
    assert client.get("/graphql/operations").json() == {"operations": []}


# Automatic persisted queries


def test_apollo_protocol_not_found_then_the_query_then_a_hit(client: TestClient) -> None:
    query = "query ApqFlow($n: String!) { actor(name: $n) { slug name } }"
    key = sha256(query)
    variables = {"n": "MNLA"}
    not_found(get_hashed(client, key, variables=variables))
    not_found(post_hashed(client, key, variables=variables))
    not_found(
        client.post("/graphql", json={"extensions": extensions(key)}, headers=GRAPHQL_RESPONSE)
    )

    sent = ok(post_hashed(client, key, query, variables=variables))
    assert sent == {"data": {"actor": {"slug": "mnla", "name": sent["data"]["actor"]["name"]}}}

    hit = get_hashed(client, key, variables=variables)
    assert ok(hit) == sent
    assert ok(post_hashed(client, key.upper(), variables=variables)) == sent
    again = client.get(str(hit.url), headers={**JSON, "If-None-Match": hit.headers["etag"]})
    assert again.status_code == 304


def test_a_query_with_the_hash_over_get_is_checked_and_kept(client: TestClient) -> None:
    query = "query ApqOverGet { crises { slug } }"
    key = sha256(query)
    assert ok(get_hashed(client, key, query=query)) == {"data": {"crises": [{"slug": "mali"}]}}
    assert ok(get_hashed(client, key))["data"] == {"crises": [{"slug": "mali"}]}


@pytest.mark.parametrize("accept", [JSON, GRAPHQL_RESPONSE])
def test_a_hash_that_does_not_match_the_query_is_refused(
    client: TestClient, accept: dict[str, str]
) -> None:
    query = "query Mismatch { crises { name } }"
    wrong = sha256(query + " ")
    response = client.post(
        "/graphql", json={"query": query, "extensions": extensions(wrong)}, headers=accept
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_REQUEST"}
    assert "is not the SHA-256 of the query sent" in error["message"]
    not_found(post_hashed(client, wrong))  # nothing was kept under either hash
    not_found(post_hashed(client, sha256(query)))


def test_only_queries_that_validate_are_kept(client: TestClient) -> None:
    for query in ("query Invalid { crises { noSuchField } }", "query Unparsed { crises {"):
        key = sha256(query)
        errors = post_hashed(client, key, query).json()["errors"]
        codes = ("GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED")
        assert errors[0]["extensions"]["code"] in codes
        not_found(post_hashed(client, key))


@pytest.mark.parametrize(
    ("persisted", "says"),
    [
        ({"version": 2, "sha256Hash": "0" * 64}, "version 1"),
        ({"sha256Hash": "0" * 64}, "version 1"),
        ("0" * 64, "version 1"),
        ({"version": 1, "sha256Hash": "abc"}, "64 characters"),
        ({"version": 1}, "64 characters"),
    ],
)
def test_a_malformed_persisted_query_extension_is_a_400(
    client: TestClient, persisted: Any, says: str
) -> None:
    response = client.post(
        "/graphql", json={"extensions": {"persistedQuery": persisted}}, headers=JSON
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_REQUEST"} and says in error["message"]


def test_the_store_stays_bounded_in_entries_and_bytes(open_app: OpenApp) -> None:
    client = open_app()
    store = AutomaticStore(max_entries=20, max_bytes=16_000)
    view(client).automatic = store
    first = "query Bounded0 { crises { slug } }"
    ok(post_hashed(client, sha256(first), first))
    assert store.get(sha256(first)) == first

    for n in range(1, 60):  # more entries than it may hold
        query = f"query Bounded{n} {{ crises {{ slug }} }}"
        ok(post_hashed(client, sha256(query), query))
        assert len(store) <= 20 and store.bytes <= 16_000
    not_found(post_hashed(client, sha256(first)))  # the least recently used went first

    # The worst case: each query as large as one entry may be, and valid.
    fields = " ".join(f"a{i}: __typename" for i in range(49))
    for n in range(30):
        query = f"query Big{n} {{ {fields} }}"
        query = "#" * (store.max_bytes // 8 - 64 - len(query) - 1) + "\n" + query
        ok(post_hashed(client, sha256(query), query))
        assert store.get(sha256(query)) == query
        assert len(store) <= 20 and store.bytes <= 16_000
    huge = "#" + "x" * 60_000 + "\nquery Huge { __typename }"
    ok(post_hashed(client, sha256(huge), huge))
    not_found(post_hashed(client, sha256(huge)))  # larger than an eighth: never kept


def test_the_default_store_is_bounded() -> None:
    store = AutomaticStore()
    assert 0 < store.max_entries <= 10_000 and 0 < store.max_bytes <= 16_000_000
    for n in range(store.max_entries + 10):
        store.put(f"{n:064x}", "{ __typename }")
    assert len(store) == store.max_entries


def test_the_readme_gives_the_store_s_bounds() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    said = f"bounded to {MAX_ENTRIES:,} queries and {MAX_BYTES // 1_000_000} MB of text"
    assert said in readme
