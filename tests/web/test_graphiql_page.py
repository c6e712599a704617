"""The GraphiQL page: GraphiQL and React from this server when installed, else from the CDN
with a warning in the log; the tour as its default tab and the saved queries as the others."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from settings import DEFAULT_QUERIES_DIR
from tests.conftest import GraphQLClient
from tests.web.conftest import OpenApp
from web.graphiql import ASSET_VERSIONS, CDN, TOUR
from web.persisted import load_documents

HTML = {"Accept": "text/html"}
WARNING = "GraphiQL assets are not installed"


def page_urls(html: str) -> list[str]:
    """Every script and style sheet the page loads."""
    return re.findall(r'<(?:script|link rel="stylesheet")[^>]* (?:src|href)="([^"]+)"', html)


def policy(client: TestClient) -> dict[str, str]:
    header = client.get("/graphql", headers=HTML).headers["content-security-policy"]
    return dict(d.strip().split(" ", 1) for d in header.split(";"))


def test_without_assets_the_page_loads_them_from_the_cdn_and_says_so(
    open_app: OpenApp, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="crisisgraph"):
        client = open_app(assets_dir=tmp_path / "not-installed")
    [warning] = [r for r in caplog.records if WARNING in r.getMessage()]
    assert str(tmp_path / "not-installed") in warning.getMessage()
    assert "python -m server assets" in warning.getMessage()

    response = client.get("/graphql", headers=HTML)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    urls = page_urls(response.text)
    third_party = [url for url in urls if url.startswith(f"{CDN}/")]
    assert {url.split("@")[0].removeprefix(f"{CDN}/") for url in third_party} == set(ASSET_VERSIONS)
    assert all(
        f"@{ASSET_VERSIONS[url.split('@')[0][len(CDN) + 1 :]]}/" in url for url in third_party
    )
    assert set(urls) - set(third_party) == {"/graphiql/graphiql.js"}
    assert policy(client)["script-src"] == f"'self' {CDN}"
    assert client.get("/graphiql/assets/react/umd/react.production.min.js").status_code == 404


def test_with_assets_the_page_loads_only_from_this_server(
    open_app: OpenApp, fake_assets: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="crisisgraph"):
        client = open_app(assets_dir=fake_assets)
    assert not [r for r in caplog.records if WARNING in r.getMessage()]

    html = client.get("/graphql", headers=HTML).text
    assert CDN not in html and "://" not in "".join(page_urls(html))
    urls = page_urls(html)
    assert len(urls) == 5
    for url in urls:
        assert url.startswith("/graphiql/"), url
        response = client.get(url)
        assert response.status_code == 200, url
        kind = response.headers["content-type"].split(";")[0]
        expected = (
            {"text/css"} if url.endswith(".css") else {"text/javascript", "application/javascript"}
        )
        assert kind in expected, (url, kind)
        assert response.headers["x-content-type-options"] == "nosniff"
    assert {url.split("/")[3] for url in urls if url.startswith("/graphiql/assets/")} == set(
        ASSET_VERSIONS
    )
    directives = policy(client)
    assert directives["script-src"] == "'self'"
    assert CDN not in " ".join(directives.values())


def test_the_installed_folder_serves_only_its_packages(
    open_app: OpenApp, fake_assets: Path
) -> None:
    client = open_app(assets_dir=fake_assets)
    assert client.get("/graphiql/assets/package.json").status_code == 404


def test_the_page_offers_the_tour_then_the_saved_queries(client: TestClient) -> None:
    html = client.get("/graphql", headers=HTML).text
    embedded = re.search(r'<script id="tour" type="application/json">(.*?)</script>', html, re.S)
    assert embedded is not None
    tour = json.loads(embedded.group(1))
    assert tour["query"] == TOUR
    assert tour["examples"] == [text for _, text in load_documents(DEFAULT_QUERIES_DIR).values()]


def test_the_tour_runs_without_errors(gql: GraphQLClient) -> None:
    data = gql.data(TOUR)
    assert data["mnla"]["name"] == "National Movement for the Liberation of Azawad"
    assert data["january2013"]["totalCount"] > 0
    assert data["search"]["totalCount"] > 0
