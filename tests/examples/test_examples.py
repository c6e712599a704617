"""The examples run as a researcher runs them: as scripts, against a live server."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live import DIRECT, ROOT, live_server
from tools.live_server import free_port

EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("examples")
    with live_server(workdir, CRISISGRAPH_ASSETS_DIR=str(workdir / "no-assets")) as base:
        yield base


def run_example(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


def events_total(base: str) -> int:
    """What the API itself says: `events.totalCount`."""
    body = {"query": 'query Total { events(filter: {crisis: "mali"}) { totalCount } }'}
    request = urllib.request.Request(
        f"{base}/graphql",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with DIRECT.open(request, timeout=30) as response:
        answer = json.load(response)
    assert "errors" not in answer, answer["errors"]
    total: int = answer["data"]["events"]["totalCount"]
    return total


def test_fetch_events_pages_through_every_event(server: str) -> None:
    pytest.importorskip(
        "gql", reason="the examples need gql: .venv/bin/pip install -e '.[examples]'"
    )
    # Pages of 7 make the script follow cursors across many pages (92 events: 14 pages).
    result = run_example("fetch_events.py", f"{server}/graphql", "--page-size", "7")

    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    total = events_total(server)
    assert len(rows) == total > 20
    assert len({row["id"] for row in rows}) == total
    assert all(row["title"] and row["date"] and row["evidence_quotes"] for row in rows)
    assert result.stderr.strip() == f"{total} events from {server}/graphql"


def test_fetch_events_writes_a_file(server: str, tmp_path: Path) -> None:
    pytest.importorskip(
        "gql", reason="the examples need gql: .venv/bin/pip install -e '.[examples]'"
    )
    out = tmp_path / "events.csv"
    run_example("fetch_events.py", f"{server}/graphql", "--output", str(out))
    with out.open(newline="", encoding="utf-8") as file:
        assert len(list(csv.DictReader(file))) == events_total(server)


def test_load_export_reads_the_events_csv(server: str) -> None:
    pytest.importorskip(
        "pandas", reason="the examples need pandas: .venv/bin/pip install -e '.[examples]'"
    )
    result = run_example("load_export.py", server)
    total = events_total(server)
    assert result.stdout.startswith(f"{total} events, ")
    per_year = next(line for line in result.stdout.splitlines() if line.startswith("per year:"))
    assert sum(int(item.split(": ")[1]) for item in per_year[9:].split(", ")) == total
    assert "most involved: government-of-mali" in result.stdout


@pytest.mark.parametrize(
    ("script", "needs", "endpoint"),
    [("fetch_events.py", "gql", "{url}/graphql"), ("load_export.py", "pandas", "{url}")],
)
def test_no_server_is_one_line_not_a_traceback(script: str, needs: str, endpoint: str) -> None:
    pytest.importorskip(
        needs, reason=f"the examples need {needs}: .venv/bin/pip install -e '.[examples]'"
    )
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script), endpoint.format(url=url)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"{script}: cannot reach {url}")
    assert result.stderr.endswith("is the server running?\n")
    assert result.stderr.count("\n") == 1


def test_an_unknown_export_is_one_line_too(server: str) -> None:
    pytest.importorskip(
        "pandas", reason="the examples need pandas: .venv/bin/pip install -e '.[examples]'"
    )
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "load_export.py"), server, "--type", "armies"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"load_export.py: {server}/export/mali/armies.csv answered 404 Not Found\n"
    )
