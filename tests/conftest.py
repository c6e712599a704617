"""Shared fixtures: the real Mali store, loaded once, and an in-process client."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from data.repository import Repository
from settings import DEFAULT_DATA_DIR, Limits, Settings


@pytest.fixture(scope="session")
def repo() -> Repository:
    return Repository.load(DEFAULT_DATA_DIR)


def make_settings(tmp: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": DEFAULT_DATA_DIR,
        "index_dir": tmp / "index",
        "debug": False,
        "introspection": True,
        "cache_control": "public, max-age=300",
        "cors_origins": ("*",),
        # A machine running other work (CI beside other jobs) can take several times
        # longer than usual; the tests of the budget itself set their own.
        "limits": Limits(time_budget=10.0),
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from server import create_app

    app = create_app(make_settings(tmp_path_factory.mktemp("server")))
    with TestClient(app) as test_client:
        wait_until_ready(test_client)
        yield test_client


def wait_until_ready(client: TestClient, seconds: float = 60) -> None:
    """The search index is opened (or built) in the background; /healthz says when."""
    deadline = time.monotonic() + seconds
    while (status := client.get("/healthz")).status_code != 200:
        assert time.monotonic() < deadline, f"server not ready: {status.json()}"
        time.sleep(0.05)


class GraphQLClient:
    """Named operations with variables, as the Strawberry testing guide does them."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def run(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.client.post("/graphql", json={"query": query, "variables": variables or {}})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self.run(query, variables)
        assert "errors" not in body, body["errors"]
        result: dict[str, Any] = body["data"]
        return result

    def errors(self, query: str, variables: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        body = self.run(query, variables)
        assert body.get("errors"), f"expected errors, got {body}"
        errors: list[dict[str, Any]] = body["errors"]
        return errors


@pytest.fixture(scope="session")
def gql(client: TestClient) -> GraphQLClient:
    return GraphQLClient(client)
