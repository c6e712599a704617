"""Start the real server (one uvicorn worker on 127.0.0.1, a free port) for the audit, the
fuzzer, the load script and the concurrency test, and stop it afterwards."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Talk to the server directly, whatever proxy the environment names.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class LiveServer:
    url: str  # http://127.0.0.1:PORT
    process: subprocess.Popen[bytes]
    health: Mapping[str, str]  # the /healthz body it was ready with

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/graphql"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def ready(health: Mapping[str, str]) -> bool:
    """Whether the server can answer: the store is loaded and the index is ready, or it
    failed to build (then only search is missing, and the server's log says why)."""
    if health.get("store") != "ready":
        return False
    return health.get("index") != "building"


def _health(url: str) -> dict[str, str] | None:
    try:
        with DIRECT.open(f"{url}/healthz", timeout=5) as response:
            body: dict[str, str] = json.load(response)
            return body
    except urllib.error.HTTPError as error:  # 503 while loading: the body says what
        with error:  # an unclosed one is a ResourceWarning
            try:
                body = json.load(error)
            except ValueError:
                return None
            return body
    except (OSError, ValueError):
        return None  # not listening yet


@contextmanager
def live_server(
    env: Mapping[str, str] | None = None, timeout: float = 180.0, log: Path | None = None
) -> Iterator[LiveServer]:
    """Run `uvicorn server:app` until the block ends, once /healthz says it is ready. The
    server's output (warnings, and the tracebacks it logs) goes to `log`, or nowhere."""
    port = free_port()
    command = [
        *(sys.executable, "-m", "uvicorn", "server:app"),
        *("--host", "127.0.0.1", "--port", str(port), "--workers", "1"),
        *("--log-level", "warning", "--no-access-log"),
        # As `python server.py` runs it: no product header, and forwarded addresses
        # believed only from CRISISGRAPH_TRUSTED_PROXIES, not uvicorn's own default.
        *("--no-server-header", "--no-proxy-headers"),
    ]
    with contextlib.ExitStack() as stack:
        output = stack.enter_context(log.open("wb")) if log else subprocess.DEVNULL
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        stack.callback(_stop, process)
        yield _wait_until_ready(process, f"http://127.0.0.1:{port}", timeout)


def _wait_until_ready(process: subprocess.Popen[bytes], url: str, timeout: float) -> LiveServer:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        health = _health(url)
        if health is not None and ready(health):
            return LiveServer(url, process, health)
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server was not ready after {timeout:.0f} s: {health}")
        time.sleep(0.1)  # waiting for a subprocess


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
