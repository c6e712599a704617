"""GraphiQL in a real browser: with the assets installed it runs the tour with no request
leaving 127.0.0.1 and no Content-Security-Policy violation; without them the page points
at the CDN (which the test never lets the browser reach), and says, when those scripts do
not arrive, which command installs them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from settings import DEFAULT_QUERIES_DIR
from tests.browser.conftest import Visit, stays_local
from tests.live import live_server
from web.graphiql import ASSET_VERSIONS, CDN
from web.persisted import load_documents

if TYPE_CHECKING:
    from playwright.sync_api import Page

RESPONSE_TEXT = "document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("index")  # shared: the second server need not rebuild it


@pytest.fixture(scope="module")
def offline_server(
    graphiql_assets: Path, index_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with live_server(
        tmp_path_factory.mktemp("offline"),
        CRISISGRAPH_ASSETS_DIR=str(graphiql_assets),
        CRISISGRAPH_INDEX_DIR=str(index_dir),
    ) as base:
        yield base


@pytest.fixture(scope="module")
def cdn_server(index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("cdn")
    with live_server(
        workdir,
        CRISISGRAPH_ASSETS_DIR=str(workdir / "no-assets"),
        CRISISGRAPH_INDEX_DIR=str(index_dir),
    ) as base:
        yield base


def run_default_tab(page: Page) -> dict[str, Any]:
    page.locator(".graphiql-execute-button").click()  # waits for GraphiQL to render it
    # A function, not an expression: Playwright would eval() an expression, which the
    # page's policy rightly forbids.
    page.wait_for_function(f"() => {RESPONSE_TEXT}.length > 0", timeout=30_000)
    result: dict[str, Any] = json.loads(page.evaluate(RESPONSE_TEXT))
    return result


def test_the_tour_runs_with_no_request_leaving_loopback(
    offline_server: str, visit: Visit, tmp_path: Path
) -> None:
    page = visit.page
    page.goto(f"{offline_server}/graphql")

    result = run_default_tab(page)
    page.screenshot(path=tmp_path / "graphiql.png")

    # Offline: everything came from this server, and the page's policy was never violated.
    assert visit.blocked == []
    assert all(stays_local(url) for url in visit.requests), visit.requests
    local_assets = [url for url in visit.requests if "/graphiql/assets/" in url]
    assert {urlsplit(url).path.split("/")[3] for url in local_assets} == set(ASSET_VERSIONS)
    assert visit.violations() == []
    assert [line for line in visit.console if line.startswith(("error", "pageerror"))] == []

    # The tour's three parts answered.
    assert "errors" not in result, result["errors"]
    data = result["data"]
    assert data["mnla"]["name"] == "National Movement for the Liberation of Azawad"
    assert {r["object"]["name"] for r in data["mnla"]["relations"]} >= {"Ansar Dine"}
    timeline = data["january2013"]
    assert timeline["totalCount"] == len(timeline["nodes"]) > 0
    assert data["search"]["totalCount"] > 0
    assert all(edge["highlights"] for edge in data["search"]["edges"])
    # What a person sees: the answer in the result pane, not only in the editor's model.
    assert (
        "National Movement for the Liberation of Azawad"
        in page.locator(".graphiql-response").inner_text()
    )
    # The tour first, then one tab per saved example operation.
    assert page.locator(".graphiql-tab").count() == 1 + len(load_documents(DEFAULT_QUERIES_DIR))


def test_without_assets_the_page_points_at_the_cdn(cdn_server: str, visit: Visit) -> None:
    response = visit.page.goto(f"{cdn_server}/graphql")
    assert response is not None and response.ok
    html = response.text()
    for name, version in ASSET_VERSIONS.items():
        assert f'"{CDN}/{name}@{version}/' in html
    assert "/graphiql/assets/" not in html
    # The browser tried the CDN, and only the CDN, for GraphiQL and React: every one of
    # those requests was aborted before it left the machine.
    assert visit.blocked, "the page asked for nothing from the CDN"
    assert all(url.startswith(f"{CDN}/") for url in visit.blocked), visit.blocked
    assert {urlsplit(url).path.split("@")[0].strip("/") for url in visit.blocked} == set(
        ASSET_VERSIONS
    )
    # Not "Loading GraphiQL…" forever: the page says what failed and what to run.
    message = visit.page.locator("#graphiql").inner_text()
    assert "did not load" in message and "python -m server assets" in message
    assert visit.page.locator("a[href='/explore']").count() == 1
