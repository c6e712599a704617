"""Releases over GraphQL and HTTP, on a copy of the tiny fixture store released three times:
`Crisis.version`, `releasedAt`, `releases`, `changes(crisis:, since:)`, each record's
`since`, `revision` and `cite`, and the version in export names, headers and ETags."""

from __future__ import annotations

import datetime
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from starlette.testclient import TestClient

from data.releases import release
from data.repository import Repository
from resolvers.ids import encode_id
from tests.conftest import GraphQLClient, make_settings, wait_until_ready
from web.exports import etag

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "store"
DAY = datetime.date(2026, 11, 30)


def edit(path: Path, change: Any) -> None:
    records = json.loads(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Path]]:
    """testland released as 1.0; an actor's note changed in 1.1; an event added and another
    removed in 1.2."""
    from server import create_app

    tmp = tmp_path_factory.mktemp("released")
    store = tmp / "store"
    shutil.copytree(FIXTURE, store)
    folder = store / "testland"
    release(folder, "1.0", "First.", DAY)
    edit(folder / "actors.json", lambda recs: recs[0].update(note="A new note."))
    release(folder, "1.1", "A note.", DAY)

    def swap(records: list[dict[str, Any]]) -> None:
        records.append(dict(records[0], id="added-event"))
        del records[0]

    edit(folder / "events.json", swap)
    release(folder, "1.2", "One in, one out.", DAY + datetime.timedelta(days=1))
    with TestClient(create_app(make_settings(tmp, data_dir=store))) as client:
        wait_until_ready(client)
        yield client, folder


@pytest.fixture(scope="module")
def gql(released: tuple[TestClient, Path]) -> GraphQLClient:
    return GraphQLClient(released[0])


def raw(folder: Path, name: str) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads((folder / name).read_text(encoding="utf-8"))
    return loaded


CRISIS = """
query Crisis($slug: String!) {
  crisis(slug: $slug) { version releasedAt { iso } releases { version date { iso } notes } }
}
"""

CHANGES = """
query Changes($crisis: String!, $since: String!, $first: Int, $after: String) {
  changes(crisis: $crisis, since: $since, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      type slug kind release { version }
      record { __typename ... on Event { slug } ... on Actor { slug } }
    }
  }
}
"""


def test_the_crisis_names_its_version_and_releases(gql: GraphQLClient) -> None:
    assert gql.data(CRISIS, {"slug": "testland"}) == {
        "crisis": {
            "version": "1.2",
            "releasedAt": {"iso": "2026-12-01"},
            "releases": [
                {"version": "1.2", "date": {"iso": "2026-12-01"}, "notes": "One in, one out."},
                {"version": "1.1", "date": {"iso": "2026-11-30"}, "notes": "A note."},
                {"version": "1.0", "date": {"iso": "2026-11-30"}, "notes": "First."},
            ],
        }
    }
    # A crisis never released has no version.
    assert gql.data(CRISIS, {"slug": "mali"}) == {
        "crisis": {"version": None, "releasedAt": None, "releases": []}
    }


def test_changes_since_a_release(gql: GraphQLClient, released: tuple[TestClient, Path]) -> None:
    folder = released[1]
    actor = raw(folder, "actors.json")[0]["slug"]
    manifest = json.loads((folder / "releases" / "1.1.json").read_text(encoding="utf-8"))
    removed = manifest["records"].keys() - {f"event:{e['id']}" for e in raw(folder, "events.json")}
    [removed_event] = [k.partition(":")[2] for k in removed if k.startswith("event:")]
    data = gql.data(CHANGES, {"crisis": "testland", "since": "1.0"})["changes"]
    assert data["totalCount"] == 3
    assert data["nodes"] == [
        {
            "type": "actor",
            "slug": actor,
            "kind": "CHANGED",
            "release": {"version": "1.1"},
            "record": {"__typename": "Actor", "slug": actor},
        },
        {
            "type": "event",
            "slug": "added-event",
            "kind": "ADDED",
            "release": {"version": "1.2"},
            "record": {"__typename": "Event", "slug": "added-event"},
        },
        {
            "type": "event",
            "slug": removed_event,
            "kind": "REMOVED",
            "release": {"version": "1.2"},
            "record": None,
        },
    ]
    assert gql.data(CHANGES, {"crisis": "testland", "since": "1.2"})["changes"]["nodes"] == []


def test_changes_page_with_keyset_cursors_even_past_a_removed_record(gql: GraphQLClient) -> None:
    seen: list[str] = []
    after = None
    while True:
        page = gql.data(CHANGES, {"crisis": "testland", "since": "1.0", "first": 1, "after": after})
        seen += [n["slug"] for n in page["changes"]["nodes"]]
        if not page["changes"]["pageInfo"]["hasNextPage"]:
            break
        after = page["changes"]["pageInfo"]["endCursor"]
    full = gql.data(CHANGES, {"crisis": "testland", "since": "1.0"})["changes"]["nodes"]
    assert seen == [n["slug"] for n in full]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"crisis": "testland", "since": "0.9"}, "testland has no release '0.9'"),
        ({"crisis": "nowhere", "since": "1.0"}, "there is no crisis 'nowhere'"),
    ],
)
def test_an_unknown_release_or_crisis_is_refused(
    gql: GraphQLClient, variables: dict[str, Any], message: str
) -> None:
    [error] = gql.errors(CHANGES, variables)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith(message)


RECORD = """
query Record($id: ID!) {
  node(id: $id) { ... on Released { since { version } revision { version } cite } }
}
"""


def test_since_and_revision(gql: GraphQLClient, released: tuple[TestClient, Path]) -> None:
    folder = released[1]
    actor = raw(folder, "actors.json")[0]["slug"]
    found = gql.data(RECORD, {"id": encode_id("actor", "testland", actor)})["node"]
    assert (found["since"], found["revision"]) == ({"version": "1.0"}, {"version": "1.1"})
    found = gql.data(RECORD, {"id": encode_id("event", "testland", "added-event")})["node"]
    assert (found["since"], found["revision"]) == ({"version": "1.2"}, {"version": "1.2"})
    found = gql.data(RECORD, {"id": encode_id("passage", "testland", "testland-p01")})["node"]
    assert (found["since"], found["revision"]) == ({"version": "1.0"}, {"version": "1.0"})
    never = raw(folder.parent / "mali", "events.json")[0]["id"]
    found = gql.data(RECORD, {"id": encode_id("event", "mali", never)})["node"]
    assert (found["since"], found["revision"]) == (None, None)  # never released


def test_cite_quotes_the_page_names_the_version_and_its_permalink_works(
    gql: GraphQLClient, released: tuple[TestClient, Path]
) -> None:
    client, folder = released
    event = raw(folder, "events.json")[0]
    ident = encode_id("event", "testland", event["id"])
    cite = gql.data(RECORD, {"id": ident})["node"]["cite"]
    passages = {p["id"]: p for p in raw(folder, "passages.json")}
    evidence = event["evidence"][0]
    passage = passages[evidence["passage"]]
    assert cite.startswith(f'"{evidence["quote"]}" (')
    assert f"paragraph {passage['seq']}, passage {passage['id']})" in cite
    assert f'version 1.2, as the event "{event["title"]}", id {ident}: ' in cite
    permalink = cite.rsplit(": ", 1)[1]
    assert permalink.startswith("http://testserver/graphql?query=")
    assert f'node(id:"{ident}")' in unquote(permalink)
    body = client.get(permalink.removeprefix("http://testserver")).json()
    assert "errors" not in body, body
    node = body["data"]["node"]
    assert node["title"] == event["title"]
    assert {"quote": evidence["quote"], "passage": {"seq": passage["seq"]}} in node["evidence"]


def test_exports_carry_the_version(released: tuple[TestClient, Path]) -> None:
    client = released[0]
    response = client.get("/export/testland/events.csv")
    assert response.status_code == 200
    assert response.headers["x-crisisgraph-version"] == "1.2"
    assert response.headers["content-disposition"] == (
        'attachment; filename="testland-events-1.2.csv"'
    )
    unreleased = client.get("/export/mali/events.csv")
    assert "x-crisisgraph-version" not in unreleased.headers
    assert unreleased.headers["content-disposition"] == 'attachment; filename="mali-events.csv"'
    described = client.get("/export/testland/datapackage.json")
    assert described.headers["x-crisisgraph-version"] == "1.2"
    assert described.json()["version"] == "1.2"


def test_the_etags_follow_the_version() -> None:
    path = "testland/events.csv"
    assert etag("digest", path, "1.1") != etag("digest", path, "1.2") != etag("digest", path)


def test_the_graphql_etag_follows_the_version(released: tuple[TestClient, Path]) -> None:
    from server import State

    state = State()
    state.repository = Repository.load(released[1].parent)
    assert state.repository.versions == "mali@-,testland@1.2"
    assert state.version() == f"{state.repository.digest}:mali@-,testland@1.2:-"
