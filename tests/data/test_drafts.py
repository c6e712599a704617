"""Drafts are read and checked like records but never served: not by the repository, the
API or the search index; the validator counts them and keeps served records off them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from data.__main__ import main
from data.loader import StoreError, load_store
from data.repository import Repository
from index.build import build_index
from index.search import SearchIndex
from tests.conftest import make_settings, wait_until_ready

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "store"


def edit(folder: Path, name: str, change: Any) -> None:
    path = folder / name
    value = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(change(value), ensure_ascii=False), encoding="utf-8")


DRAFT_ACTOR = {
    "slug": "lakeside-watch",
    "status": "draft",
    "kind": "NGO",
    "name": "Lakeside Watch",
    "aliases": ["LW"],
    "description": "Proposed by ingest.",
    "evidence": [{"passage": "testland-p01", "quote": "Lakeside", "start": 27, "end": 35}],
}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    data = tmp_path / "store"
    shutil.copytree(FIXTURE, data)
    edit(data / "testland", "actors.json", lambda actors: [*actors, DRAFT_ACTOR])
    return data


def test_validator_counts_drafts(store: Path, capsys: Any) -> None:
    assert main(["validate", "--data-dir", str(store)]) == 0
    out = capsys.readouterr().out
    assert "testland: Crisis in Testland" in out
    testland = out.split("testland:")[1]
    counts = [line.split() for line in testland.splitlines() if line.startswith("  drafts")]
    assert counts == [["drafts", "1"]]
    mali = out.split("testland:")[0]
    assert [line.split() for line in mali.splitlines() if line.startswith("  drafts")] == [
        ["drafts", "0"]
    ]


def test_drafts_are_not_in_the_repository_or_the_index(store: Path, tmp_path: Path) -> None:
    repo = Repository.load(store)
    assert ("testland", "lakeside-watch") not in repo.actors
    assert repo.find_by_name("actor", "Lakeside Watch") is None
    report = build_index(repo, tmp_path / "index")
    assert report.documents > 0
    page = SearchIndex(tmp_path / "index").search("Lakeside", limit=50)
    assert page.hits  # the passage and the event that name Lakeside are found
    assert all(h.key != ("testland", "lakeside-watch") for h in page.hits)


def test_drafts_are_not_served_by_the_api(store: Path, tmp_path: Path) -> None:
    from server import create_app

    app = create_app(make_settings(tmp_path, data_dir=store))
    with TestClient(app) as client:
        wait_until_ready(client)
        response = client.post(
            "/graphql",
            json={
                "query": "query Find($name: String!) { actor(name: $name) { name } }",
                "variables": {"name": "Lakeside Watch"},
            },
        )
    body = response.json()
    assert "errors" not in body
    assert body["data"] == {"actor": None}


def test_a_draft_crisis_is_not_served_at_all(store: Path) -> None:
    edit(store / "testland", "crisis.json", lambda crisis: crisis | {"status": "draft"})
    assert [c.crisis.id for c in load_store(store)] == ["mali", "testland"]
    assert [c.id for c in Repository.load(store).crises] == ["mali"]


def test_a_served_record_may_not_refer_to_a_draft(store: Path) -> None:
    def cite(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        events[0]["participants"].append({"actor": "lakeside-watch", "role": "AGENT"})
        return events

    edit(store / "testland", "events.json", cite)
    with pytest.raises(StoreError, match="'lakeside-watch' is a draft: review it"):
        load_store(store)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "drafty"}, "'drafty' is not a status"),
        ({"flags": ["check"]}, "flags are for drafts only"),
    ],
)
def test_status_and_flags_are_checked(store: Path, change: dict[str, Any], message: str) -> None:
    edit(store / "testland", "actors.json", lambda actors: [actors[0] | change, *actors[1:]])
    with pytest.raises(StoreError, match=message):
        load_store(store)


def test_a_draft_is_checked_like_any_record(store: Path) -> None:
    def misquote(actors: list[dict[str, Any]]) -> list[dict[str, Any]]:
        actors[-1]["evidence"][0]["quote"] = "Lakesid3"
        return actors

    edit(store / "testland", "actors.json", misquote)
    with pytest.raises(StoreError, match=r"lakeside-watch.*is not in passage testland-p01"):
        load_store(store)
