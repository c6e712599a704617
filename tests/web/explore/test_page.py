"""The explorer's page and routes, in process: the page names the persisted ids of the saved
operations it runs (so the script never hard-codes one), each of those operations answers a
persisted GET without errors, and the page's policy allows this server only. Without the
assets the page says which command installs them. tests/browser/test_explore.py drives it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from settings import DEFAULT_QUERIES_DIR
from tests.web.conftest import OpenApp
from web import assets
from web.explore.page import HERE, OPERATIONS, PACKAGES, POLICY, REQUIRED
from web.persisted import load_documents

STATIC = HERE / "static"
SERVAL = "operation-serval-launched-2013-01-11"


@pytest.fixture
def explore_assets(tmp_path: Path) -> Path:
    """An assets folder with the files the explorer loads, as `python -m server assets`
    leaves them (each a line that names it)."""
    folder = tmp_path / "assets"
    for item in (*assets.REQUIRED, *REQUIRED):
        path = assets.modules_dir(folder) / item
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"/* {item} */\n", encoding="utf-8")
    return folder


def config(html: str) -> dict[str, Any]:
    found = re.search(r'<script id="config" type="application/json">(.*?)</script>', html, re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def persisted(client: TestClient, operation: dict[str, str], **variables: Any) -> dict[str, Any]:
    """A persisted GET, as the page sends it."""
    response = client.get(
        "/graphql", params={"id": operation["id"], "variables": json.dumps(variables)}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body["errors"]
    assert response.headers["etag"]  # cacheable
    data: dict[str, Any] = body["data"]
    return data


def test_the_page_names_the_saved_operations_it_runs(client: TestClient) -> None:
    response = client.get("/explore/mali")
    assert response.status_code == 200
    operations = config(response.text)["operations"]
    saved = {name: (key, text) for key, (name, text) in load_documents(DEFAULT_QUERIES_DIR).items()}
    assert operations == {
        role: {"id": saved[name][0], "text": saved[name][1]} for role, name in OPERATIONS.items()
    }
    # The ids come from the server: no script holds one.
    for script in STATIC.glob("*.js"):
        assert not re.search(r"[0-9a-f]{64}", script.read_text(encoding="utf-8")), script


def test_every_saved_operation_answers_a_persisted_get(client: TestClient) -> None:
    operations = config(client.get("/explore").text)["operations"]
    assert persisted(client, operations["crises"])["crises"][0]["slug"] == "mali"
    first = persisted(client, operations["events"], crisis="mali", after=None)
    assert first["crisis"]["name"] == "Crisis in Mali"
    assert first["events"]["totalCount"] == len(first["events"]["nodes"]) == 92
    serval = next(e for e in first["events"]["nodes"] if e["slug"] == SERVAL)
    places = persisted(client, operations["places"], crisis="mali", after=None)["places"]
    assert any(p["latitude"] is not None for p in places["nodes"])
    record = persisted(client, operations["record"], id=serval["id"])["node"]
    assert record["slug"] == SERVAL and record["evidence"]
    for evidence in record["evidence"]:
        text = evidence["passage"]["text"]
        assert text[evidence["start"] : evidence["end"]] == evidence["quote"]
    place = persisted(client, operations["record"], id=places["nodes"][0]["id"])["node"]
    assert place["placeKind"]
    hits = persisted(client, operations["search"], crisis="mali", query="Kidal", after=None)
    assert hits["search"]["totalCount"] > 0
    assert all(edge["highlights"] for edge in hits["search"]["edges"])


def test_with_assets_the_page_loads_only_from_this_server(
    open_app: OpenApp, explore_assets: Path
) -> None:
    client = open_app(assets_dir=explore_assets)
    for path in ("/explore", "/explore/mali"):
        response = client.get(path)
        assert response.headers["content-security-policy"] == POLICY
        assert "://" not in POLICY
        html = response.text
        assert 'id="missing" class="notice" hidden' in html
        urls = re.findall(r'(?:src|href)="(/[^"]+)"', html)
        assert {url for url in urls if url.startswith("/explore/assets/")} == {
            f"/explore/assets/{item}" for item in REQUIRED if item.endswith(".js")
        }
        for url in urls:
            if url.startswith("/explore/"):
                assert client.get(url).status_code == 200, url
    assert client.get("/explore/assets/world-atlas/countries-50m.json").status_code == 200
    assert client.get("/explore/assets/package.json").status_code == 404


def test_without_assets_the_page_says_which_command_to_run(open_app: OpenApp) -> None:
    client = open_app()
    html = client.get("/explore/mali").text
    notice = re.search(r'<p id="missing" class="notice" >(.*?)</p>', html, re.S)
    assert notice is not None
    assert "<code>python -m server assets</code>" in notice.group(1)
    assert "/explore/assets/" not in html
    assert client.get("/explore/assets/d3/dist/d3.min.js").status_code == 404


def test_the_packages_it_serves_are_those_pinned_with_graphiql() -> None:
    pins = json.loads((assets.PINS / "package.json").read_text(encoding="utf-8"))["dependencies"]
    assert {name: pins[name] for name in PACKAGES} == PACKAGES
    lock = json.loads((assets.PINS / "package-lock.json").read_text(encoding="utf-8"))
    for name, version in PACKAGES.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert lock["packages"][f"node_modules/{name}"]["integrity"].startswith("sha512-")


def test_an_unknown_crisis_is_a_404(client: TestClient) -> None:
    assert client.get("/explore/mali").status_code == 200
    missing = client.get("/explore/atlantis")
    assert missing.status_code == 404
    assert "text/html" in missing.headers["content-type"]
