"""/metrics and the access log, in-process: what a request leaves behind in each."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator

import pytest

from settings import Limits, Serving
from tests.conftest import wait_until_ready
from tests.web.conftest import OpenApp
from web.access_log import log as access_log
from web.metrics import MAX_OPERATION_NAMES, OperationNames

EVENTS = "query Titles { events(first: 2) { nodes { title } } }"
SEARCH = 'query Find { search(query: "coup", first: 1) { totalCount } }'


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition, 0 if it is absent."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}(?:\{{(.*)\}})? (\S+)", line)
        if match and set((match.group(1) or "").split(",")) >= set(wanted.split(",")) - {""}:
            return float(match.group(2))
    return 0.0


@pytest.fixture
def access_lines() -> Iterator[list[str]]:
    """The access log's lines while the test runs (its own handler: it does not propagate)."""
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    handler = Keep()
    access_log.addHandler(handler)
    access_log.setLevel(logging.INFO)
    yield lines
    access_log.removeHandler(handler)


def test_metrics_count_requests_operations_costs_searches_and_cache_hits(
    open_app: OpenApp,
) -> None:
    client = open_app()
    wait_until_ready(client)
    for _ in range(3):
        assert client.get("/graphql", params={"query": EVENTS}).status_code == 200
    assert client.post("/graphql", json={"query": SEARCH}).status_code == 200
    assert client.get("/no-such-page").status_code == 404
    text = client.get("/metrics").text
    requests = "crisisgraph_http_requests_total"
    assert sample(text, requests, method="GET", route="/graphql", status="200") == 3
    assert sample(text, requests, method="POST", route="/graphql", status="200") == 1
    assert sample(text, "crisisgraph_http_requests_total", route="other", status="404") == 1
    assert sample(text, "crisisgraph_operation_duration_seconds_count", operation="Titles") == 3
    assert sample(text, "crisisgraph_operation_duration_seconds_count", operation="Find") == 1
    assert sample(text, "crisisgraph_operation_cost_points_count") == 4
    assert sample(text, "crisisgraph_search_duration_seconds_count") == 1
    assert sample(text, "crisisgraph_document_cache_lookups_total", result="hit") == 2
    assert sample(text, "crisisgraph_document_cache_lookups_total", result="miss") == 2
    assert re.search(r'^crisisgraph_store_info\{digest="[0-9a-f]{64}"', text, re.MULTILINE)
    assert sample(text, "crisisgraph_index_documents") > 0
    assert 0 <= sample(text, "crisisgraph_index_snapshot_age_seconds") < 3600


def test_refusals_are_counted_by_code(open_app: OpenApp) -> None:
    client = open_app(limits=Limits(rate_limit=10, max_cost=1_000))
    wait_until_ready(client)
    big = "query Big { events(first: 100) { nodes { title participants { role } } } }"
    assert client.post("/graphql", json={"query": big}).json()["errors"]
    for _ in range(3):
        client.post("/graphql", json={"query": EVENTS})  # 5 points each: the third is refused
    text = client.get("/metrics").text
    assert sample(text, "crisisgraph_refusals_total", code="QUERY_TOO_COMPLEX") == 1
    assert sample(text, "crisisgraph_refusals_total", code="RATE_LIMITED") >= 1


def test_metrics_can_be_turned_off(open_app: OpenApp) -> None:
    client = open_app(serving=Serving(metrics=False))
    assert client.get("/metrics").status_code == 404


def test_one_json_line_per_request_with_the_request_id_sent(
    open_app: OpenApp, access_lines: list[str]
) -> None:
    client = open_app()
    wait_until_ready(client)
    access_lines.clear()
    response = client.get("/graphql", params={"query": EVENTS})
    assert len(access_lines) == 1
    line = json.loads(access_lines[0])
    assert line == {
        "method": "GET",
        "path": "/graphql",
        "operation": "Titles",
        "cost": line["cost"],
        "codes": [],
        "status": 200,
        "ms": line["ms"],
        "request_id": response.headers["x-request-id"],
    }
    assert isinstance(line["cost"], int) and line["cost"] > 0
    assert line["ms"] > 0


def test_operation_names_as_labels_are_bounded() -> None:
    names = OperationNames(["Persisted"])
    seen = {names.label(f"Name{i}") for i in range(MAX_OPERATION_NAMES * 3)}
    assert len(seen) == MAX_OPERATION_NAMES + 1  # the first ones, and "other"
    assert "other" in seen
    assert names.label("Persisted") == "Persisted"  # persisted queries always by name
    assert names.label("x" * 1000) in ("other", "x" * 64)
    assert names.label(None) == "anonymous"
