"""A live uvicorn for the attack tests, and a raw HTTP/1.1 client that sends exactly the
bytes and headers a test gives it (a Host header, invalid UTF-8), which a polite client
would not."""

from __future__ import annotations

import http.client
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tools.live_server import LiveServer, live_server
from tools.load import rss_kib


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Raw:
    def __init__(self, server: LiveServer) -> None:
        self.server = server
        parts = urlsplit(server.url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80

    def send(
        self,
        method: str,
        target: str,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        client: str | None = None,
    ) -> Answer:
        """One request; `client` is the address the trusted proxy (this test) vouches for,
        so that each test spends a budget of its own."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            all_headers = {"Content-Type": "application/json", **(headers or {})}
            if client is not None:
                all_headers["X-Forwarded-For"] = client
            connection.request(method, target, body=body, headers=all_headers)
            response = connection.getresponse()
            return Answer(
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read(),
            )
        finally:
            connection.close()

    def post(self, payload: Any, client: str | None = None, **headers: str) -> Answer:
        body = json.dumps(payload, ensure_ascii=False).encode()  # UTF-8, as clients send it
        return self.send("POST", "/graphql", body, headers, client)

    def rss_mib(self) -> float:
        """The server's resident memory now, in MiB."""
        return rss_kib(self.server.process.pid)["VmRSS"] / 1024


@pytest.fixture(scope="package")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Raw]:
    folder: Path = tmp_path_factory.mktemp("live-security")
    env = {
        "CRISISGRAPH_INDEX_DIR": str(folder / "index"),
        # The tests are the proxy: each names its own client in X-Forwarded-For.
        "CRISISGRAPH_TRUSTED_PROXIES": "127.0.0.1",
    }
    if "CRISISGRAPH_DEBUG" in os.environ:
        env["CRISISGRAPH_DEBUG"] = os.environ["CRISISGRAPH_DEBUG"]
    with live_server(env=env, log=folder / "server.log") as server:
        yield Raw(server)
