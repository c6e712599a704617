"""Every download says on what terms it may be reused, beside its bytes: `Link` headers to
the licence and to the crisis's datapackage.json, which describes every CSV with its
columns, their types, the licence and the source."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from data.export import formats_for
from data.repository import Repository
from data.tables import RECORD_TYPES
from data.terms import header_text, terms_of
from settings import DEFAULT_DATA_DIR
from web.exports import export_routes

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "/export/mali/datapackage.json"
DOWNLOADS = [f"/export/mali/{t}.{f}" for t in RECORD_TYPES for f in formats_for(t)]
LICENCE_LINK = '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'


@pytest.fixture(scope="module")
def exports(repo: Repository) -> Iterator[TestClient]:
    with TestClient(Starlette(routes=export_routes(lambda: repo))) as client:
        yield client


@pytest.fixture(scope="module")
def package(exports: TestClient) -> dict[str, Any]:
    response = exports.get(PACKAGE)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    descriptor: dict[str, Any] = response.json()
    return descriptor


@pytest.mark.parametrize("path", DOWNLOADS)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_every_download_links_its_licence_and_its_description(
    exports: TestClient, repo: Repository, path: str, method: str
) -> None:
    response = exports.request(method, path)
    assert response.status_code == 200
    links = [link.strip() for link in response.headers["link"].split(",")]
    assert links == [
        LICENCE_LINK,
        '<datapackage.json>; rel="describedby"; type="application/json"',
    ]
    assert urljoin(f"http://testserver{path}", "datapackage.json").endswith(PACKAGE)
    credit = response.headers["x-crisisgraph-attribution"]
    assert credit == header_text(terms_of(repo, "mali").attribution)
    assert "International Coalition for the Responsibility to Protect" in credit
    assert "CC BY 4.0" in credit


def test_the_package_states_the_licence_and_the_source(
    package: dict[str, Any], repo: Repository
) -> None:
    terms = terms_of(repo, "mali")
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0 International",
        }
    ]
    assert package["sources"] == [
        {
            "title": '"Crisis in Mali", International Coalition for the Responsibility to Protect',
            "path": "http://www.responsibilitytoprotect.org/index.php/crises/crisis-in-mali",
        }
    ]
    assert (package["attribution"], package["source_rights"]) == (
        terms.attribution,
        terms.source_rights,
    )


def test_every_resource_is_a_csv_beside_the_package_with_the_columns_it_lists(
    exports: TestClient, package: dict[str, Any]
) -> None:
    assert [r["name"] for r in package["resources"]] == list(RECORD_TYPES)
    for resource in package["resources"]:
        url = urljoin(f"http://testserver{PACKAGE}", resource["path"])
        response = exports.get(url)
        assert response.status_code == 200, url
        rows = list(csv.reader(io.StringIO(response.text, newline="")))
        fields = resource["schema"]["fields"]
        assert rows[0] == [f["name"] for f in fields]
        assert set(resource["schema"]["primaryKey"]) <= set(rows[0])
        for i, field in enumerate(fields):
            cells = [row[i] for row in rows[1:] if row[i] != ""]
            assert all(fits(field["type"], cell) for cell in cells), (resource["name"], field)


def fits(table_type: str, cell: str) -> bool:
    """Whether a CSV cell reads as a value of its Table Schema type."""
    try:
        if table_type == "integer":
            int(cell)
        elif table_type == "number":
            float(cell)
        elif table_type == "boolean":
            return cell in ("true", "false")
    except ValueError:
        return False
    return table_type in ("string", "integer", "number")


def test_typed_columns_are_typed_and_keys_are_unique(
    exports: TestClient, package: dict[str, Any]
) -> None:
    types = {
        (r["name"], f["name"]): f["type"]
        for r in package["resources"]
        for f in r["schema"]["fields"]
    }
    assert types[("places", "latitude")] == types[("figures", "value")] == "number"
    assert types[("resolutions", "number")] == types[("passages", "seq")] == "integer"
    assert types[("resolutions", "unanimous")] == "boolean"
    for resource in package["resources"]:
        text = exports.get(f"/export/mali/{resource['path']}").text
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        keys = [tuple(row[k] for k in resource["schema"]["primaryKey"]) for row in rows]
        assert len(set(keys)) == len(keys) > 0, resource["name"]


def test_the_package_has_an_etag_and_answers_if_none_match(exports: TestClient) -> None:
    first = exports.get(PACKAGE)
    assert first.headers["link"] == LICENCE_LINK
    again = exports.get(PACKAGE, headers={"If-None-Match": first.headers["etag"]})
    assert (again.status_code, again.content) == (304, b"")
    assert first.headers["etag"] != exports.get("/export/mali/events.csv").headers["etag"]


def test_an_unknown_crisis_has_no_package(exports: TestClient) -> None:
    response = exports.get("/export/narnia/datapackage.json")
    assert response.status_code == 404
    assert response.json()["errors"][0]["message"] == (
        "There is no crisis 'narnia': exports exist for mali."
    )


def test_the_command_line_writes_the_same_package(package: dict[str, Any]) -> None:
    command = [sys.executable, "-m", "data", "datapackage", "--crisis", "mali"]
    result = subprocess.run(
        [*command, "--data-dir", str(DEFAULT_DATA_DIR)],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == package


def test_the_headers_shown_in_the_docs_are_the_ones_sent(exports: TestClient) -> None:
    docs = (ROOT / "web" / "EXPORTS.md").read_text(encoding="utf-8")
    shown = dict(
        line.split(": ", 1)
        for line in docs.splitlines()
        if line.startswith(("Link: ", "X-Crisisgraph-Attribution: "))
    )
    sent = exports.get("/export/mali/events.csv").headers
    assert shown == {name: sent[name] for name in ("Link", "X-Crisisgraph-Attribution")}
