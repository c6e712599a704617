"""With a real server (uvicorn in a subprocess): queries that use their whole time budget
do not stop the server answering everyone else meanwhile."""

from __future__ import annotations

import json
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tools.live_server import live_server

BUDGET = 3.0  # seconds, for this server: long enough to see what happens meanwhile


def relation_tree(depth: int) -> str:
    """Both ends of every relation, `depth` times over: tens of seconds of work unbounded."""
    inner = "name"
    for _ in range(depth):
        inner = f"relations {{ kind subject {{ {inner} }} object {{ {inner} }} }}"
    return f"query Tree {{ actors(first: 100) {{ nodes {{ {inner} }} }} }}"


def post(url: str, query: str) -> tuple[float, dict[str, Any]]:
    """(when it was answered, the body)."""
    request = urllib.request.Request(
        url,
        data=json.dumps({"query": query}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body: dict[str, Any] = json.load(response)
    return time.monotonic(), body


def test_slow_queries_do_not_hold_up_the_others(tmp_path: Path) -> None:
    env = {
        "CRISISGRAPH_TIME_BUDGET": str(BUDGET),
        "CRISISGRAPH_INDEX_DIR": str(tmp_path),
        # Lift the cost limit, which refuses this query at once, to reach the budget.
        "CRISISGRAPH_MAX_COST": "100000000",
        "CRISISGRAPH_RATE_LIMIT": "0",  # and let one client send all of them
        "CRISISGRAPH_EXPENSIVE_SLOTS": "3",
    }
    with live_server(env=env) as server, ThreadPoolExecutor(max_workers=4) as pool:
        hostile = [pool.submit(post, server.graphql_url, relation_tree(4)) for _ in range(3)]
        answered: list[tuple[float, float, dict[str, Any]]] = []  # (sent, answered, body)
        while not all(h.done() for h in hostile):
            sent = time.monotonic()
            at, body = post(server.graphql_url, "query Small { crises { slug } }")
            answered.append((sent, at, body))
        refusals = [h.result() for h in hostile]

    first_refusal = min(at for at, _ in refusals)
    for _, body in refusals:
        assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    meanwhile = [(sent, at, body) for sent, at, body in answered if at < first_refusal]
    assert len(meanwhile) >= 3, answered
    for sent, at, body in meanwhile:
        assert body == {"data": {"crises": [{"slug": "mali"}]}}
        assert at - sent < BUDGET  # blocked behind one slow query, it would take a budget
