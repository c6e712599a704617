"""Real clients against a live server: Apollo Client 4 (relayStylePagination, and its
persisted-query link), graphql-request, and a Python client ariadne-codegen generates from
schema.graphql. Each pages a connection to its end; every record must arrive exactly once,
and as many as `totalCount` says, which the server's own list confirms.

The Node clients are pinned in package.json and package-lock.json here, installed with
`npm ci` into this folder's (git-ignored) node_modules; ariadne-codegen lives in its own
environment (pyproject.toml's `codegen` extra says why)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from settings import DEFAULT_QUERIES_DIR
from tests.live import DIRECT, ROOT, live_server

HERE = Path(__file__).resolve().parent
CODEGEN_VENV = Path(
    os.environ.get(
        "CRISISGRAPH_CODEGEN_VENV", Path.home() / ".cache" / "crisisgraph" / "codegen-venv"
    )
)


@pytest.fixture(scope="module")
def node() -> str:
    """node, once `npm ci` has installed the pinned clients; a skip saying why if it cannot."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("the JavaScript client tests need Node.js 18 or later and npm")
    installed = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=HERE,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if installed.returncode != 0:
        pytest.skip(f"npm ci could not install the pinned clients: {installed.stderr[-400:]}")
    return node


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("clients")
    with live_server(workdir, CRISISGRAPH_ASSETS_DIR=str(workdir / "no-assets")) as base:
        yield f"{base}/graphql"


def run_node(node: str, script: str, *args: str) -> dict[str, Any]:
    result = subprocess.run(
        [node, script, *args], cwd=HERE, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def ask(url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """One request, with no client library: what the server says the whole list is."""
    request = urllib.request.Request(
        url,
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with DIRECT.open(request, timeout=30) as response:
        body: dict[str, Any] = json.load(response)
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


def every_slug(url: str, field: str, filter_: dict[str, Any]) -> list[str]:
    """The slugs of one root connection, in its order, in pages of 100."""
    query = (
        f"query All($filter: {field[:-1].capitalize()}Filter, $after: String) "
        f"{{ {field}(filter: $filter, first: 100, after: $after) "
        "{ nodes { slug } pageInfo { hasNextPage endCursor } } }"
    )
    slugs: list[str] = []
    after = None
    while True:
        page = ask(url, query, {"filter": filter_, "after": after})[field]
        slugs += [node["slug"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            return slugs
        after = page["pageInfo"]["endCursor"]


def assert_each_once(answer: dict[str, Any], expected: list[str]) -> None:
    slugs = answer["slugs"]
    assert len(slugs) == len(set(slugs)), "a record arrived twice"
    assert slugs == expected  # every record, in the list's order
    assert answer["totalCount"] == len(expected)


def test_apollo_client_pages_a_date_filtered_timeline_to_the_end(node: str, server: str) -> None:
    window = {"crisis": "mali", "from": "2012-03", "to": "2013-12-31"}
    expected = every_slug(server, "events", window)
    assert 20 < len(expected) < 83  # the filter keeps some events, not all, over pages

    answer = run_node(node, "apollo-timeline.mjs", server, "2012-03", "2013-12-31", "6")
    assert_each_once(answer, expected)
    assert answer["pages"] == -(-len(expected) // 6) == answer["requests"]


def test_graphql_request_pages_every_document(node: str, server: str) -> None:
    expected = every_slug(server, "documents", {"crisis": "mali"})
    answer = run_node(node, "graphql-request.mjs", server, "10")
    assert_each_once(answer, expected)
    assert answer["pages"] == -(-len(expected) // 10)


def test_apollo_persisted_query_link_falls_back_then_hits(node: str, server: str) -> None:
    expected = every_slug(server, "actors", {"crisis": "mali"})
    saved = DEFAULT_QUERIES_DIR / "coup-leaders.graphql"
    answer = run_node(node, "apollo-persisted.mjs", server, "25", str(saved))
    assert_each_once(answer, expected)

    pages = -(-len(expected) // 25)
    miss, sent, *hits = answer["exchanges"]
    # The hash alone, by GET: unknown, in the GraphQL error shape Apollo's link reads.
    assert miss == {
        "method": "GET",
        "withQuery": False,
        "status": 200,
        "code": "PERSISTED_QUERY_NOT_FOUND",
        "data": False,
    }
    # Then the query with its hash, by POST: checked, validated, kept.
    assert sent == {"method": "POST", "withQuery": True, "status": 200, "code": None, "data": True}
    # Every later page is a hit: the hash alone, by GET.
    hit = {"method": "GET", "withQuery": False, "status": 200, "code": None, "data": True}
    assert hits == [hit] * (pages - 1) and pages > 1

    # A client computes a saved operation's hash from its file, and runs it by the hash.
    assert answer["saved"] == {"listed": True, "errors": None, "data": True}


GENERATED_CLIENT_SCRIPT = """
import json, sys
from crisisgraph_client import Client

async def main(url):
    client = Client(url=url)
    slugs, after, total = [], None, None
    while True:
        page = (await client.relations_page(first=9, after=after)).relations
        total = page.total_count
        slugs += [node.slug for node in page.nodes]
        kinds = {(node.subject.slug, node.object_.slug) for node in page.nodes}
        if not page.page_info.has_next_page:
            break
        after = page.page_info.end_cursor
    print(json.dumps({"totalCount": total, "slugs": slugs, "pairs": len(kinds)}))

import asyncio
asyncio.run(main(sys.argv[1]))
"""

RELATIONS_PAGE = """
query RelationsPage($first: Int, $after: String) {
  relations(filter: { crisis: "mali" }, first: $first, after: $after) {
    totalCount
    nodes { slug kind subject { slug } object { slug } }
    pageInfo { hasNextPage endCursor }
  }
}

query Facets { search(query: "Gao", first: 1) { facets { types { type count } } } }
"""


def test_a_client_ariadne_codegen_generates_pages_every_relation(
    server: str, tmp_path: Path
) -> None:
    python = CODEGEN_VENV / "bin" / "python"
    generator = CODEGEN_VENV / "bin" / "ariadne-codegen"
    if not generator.exists():
        pytest.skip(
            f"ariadne-codegen is not installed in {CODEGEN_VENV}: "
            f"python3 -m venv {CODEGEN_VENV} && {python.parent}/pip install -e '.[codegen]' "
            "(or set CRISISGRAPH_CODEGEN_VENV)"
        )
    (tmp_path / "queries.graphql").write_text(RELATIONS_PAGE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        "[tool.ariadne-codegen]\n"
        f'schema_path = "{ROOT / "schema.graphql"}"\n'
        'queries_path = "queries.graphql"\n'
        'target_package_name = "crisisgraph_client"\n'
        'target_package_path = "."\n',
        encoding="utf-8",
    )
    generated = subprocess.run(
        [str(generator)], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    # The generator renames `object`, `type` and `from` with a trailing underscore, keeping
    # the GraphQL name as the pydantic alias (what the README says).
    package = tmp_path / "crisisgraph_client"
    model = (package / "relations_page.py").read_text(encoding="utf-8")
    assert 'object_: "RelationsPageRelationsNodesObject" = Field(alias="object")' in model
    assert 'type_: SearchType = Field(alias="type")' in (package / "facets.py").read_text()
    inputs = (package / "input_types.py").read_text(encoding="utf-8")
    assert 'from_: Optional[str] = Field(alias="from", default=None)' in inputs

    (tmp_path / "run.py").write_text(GENERATED_CLIENT_SCRIPT, encoding="utf-8")
    ran = subprocess.run(
        [str(python), "run.py", server],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    answer = json.loads(ran.stdout)
    assert_each_once(answer, every_slug(server, "relations", {"crisis": "mali"}))
    assert answer["pairs"] > 0
