"""Persisted queries: `GET /graphql?id=<sha256>` runs a document from the queries folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from settings import DEFAULT_QUERIES_DIR
from tests.web.conftest import OpenApp
from web.persisted import document_id, load_documents

SAVED = load_documents(DEFAULT_QUERIES_DIR)
JSON = {"Accept": "application/json"}
ACTOR = """# An actor and its relations on a date, by name or acronym.
query ActorOnDate($name: String!, $at: String) {
  actor(name: $name) { name relations(at: $at) { kind object { name } } }
}
"""


def by_id(client: TestClient, document_id: str, **params: str) -> dict[str, Any]:
    response = client.get("/graphql", params={"id": document_id, **params}, headers=JSON)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body["errors"]
    return body


def test_every_saved_query_is_registered() -> None:
    files = sorted(DEFAULT_QUERIES_DIR.glob("*.graphql"))
    assert files and sorted(name for name, _ in SAVED.values()) == [f.name for f in files]
    for path in files:
        assert document_id(path.read_text(encoding="utf-8")) in SAVED


@pytest.mark.parametrize("saved_id", sorted(SAVED), ids=lambda i: SAVED[i][0])
def test_each_saved_query_runs_by_id(client: TestClient, saved_id: str) -> None:
    data = by_id(client, saved_id)["data"]
    assert data and all(value not in (None, [], {}) for value in data.values())


def test_the_id_is_the_sha256_of_the_file_and_ignores_case(client: TestClient) -> None:
    saved_id = next(iter(SAVED))
    assert by_id(client, saved_id.upper()) == by_id(client, saved_id)


def test_a_persisted_query_is_cacheable(client: TestClient) -> None:
    url = f"/graphql?id={next(iter(SAVED))}"
    first = client.get(url, headers=JSON)
    assert first.status_code == 200 and first.headers["etag"]
    again = client.get(url, headers={**JSON, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_an_unknown_id_is_a_404_that_says_what_to_do(client: TestClient) -> None:
    unknown = "0" * 64
    response = client.get("/graphql", params={"id": unknown}, headers=JSON)
    assert response.status_code == 404
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "PERSISTED_QUERY_NOT_FOUND"}
    assert unknown in error["message"] and "SHA-256" in error["message"]
    assert f"({len(SAVED)} registered)" in error["message"]


def test_a_query_sent_with_an_id_is_run_as_sent(client: TestClient) -> None:
    response = client.get(
        "/graphql", params={"id": "0" * 64, "query": "{ __typename }"}, headers=JSON
    )
    assert response.json() == {"data": {"__typename": "Query"}}


def test_a_persisted_query_takes_variables(open_app: OpenApp, tmp_path: Path) -> None:
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "actor-on-date.graphql").write_text(ACTOR, encoding="utf-8")
    client = open_app(queries_dir=queries)

    body = by_id(
        client,
        document_id(ACTOR),
        variables='{"name": "MNLA", "at": "2012-05-01"}',
        operationName="ActorOnDate",
    )
    actor = body["data"]["actor"]
    assert actor["name"] == "National Movement for the Liberation of Azawad"
    assert {"kind": "ALLIANCE", "object": {"name": "Ansar Dine"}} in actor["relations"]
    # A variable the document needs and the request lacks is the usual GraphQL error.
    response = client.get("/graphql", params={"id": document_id(ACTOR)}, headers=JSON)
    assert "$name" in response.json()["errors"][0]["message"]


def test_no_queries_folder_means_no_persisted_queries(open_app: OpenApp, tmp_path: Path) -> None:
    client = open_app(queries_dir=tmp_path / "missing")
    response = client.get("/graphql", params={"id": next(iter(SAVED))}, headers=JSON)
    assert response.status_code == 404
    assert "(0 registered)" in response.json()["errors"][0]["message"]
