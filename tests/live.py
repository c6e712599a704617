"""A real uvicorn server in a subprocess, for the few tests whose client is another program
(a browser, the example script): they need a socket, which the in-process TestClient is not.

The server listens on 127.0.0.1 only, on a port the OS chose, and is stopped when the test
is done; readiness is polled on /healthz within a bounded time.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY_WITHIN = 120.0  # seconds: the first start builds the search index
# Talk to the server directly, whatever proxy the environment names.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def live_server(workdir: Path, **env: str) -> Iterator[str]:
    """Run `uvicorn server:app` with these CRISISGRAPH_* settings; yield its base URL.

    Its log goes to `workdir/server.log`, which `server_log` reads back.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = {"CRISISGRAPH_INDEX_DIR": str(workdir / "index"), **env}
    command = [sys.executable, "-m", "uvicorn", "server:app", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--log-level", "warning"]
    with (workdir / "server.log").open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **settings},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_ready(base, process, workdir)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def server_log(workdir: Path) -> str:
    return (workdir / "server.log").read_text(encoding="utf-8", errors="replace")


def _wait_until_ready(base: str, process: subprocess.Popen[bytes], workdir: Path) -> None:
    deadline = time.monotonic() + READY_WITHIN
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the server exited with {process.returncode}:\n{server_log(workdir)}"
            )
        try:
            with DIRECT.open(f"{base}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            error.close()  # 503 while the index builds; an unclosed one is a ResourceWarning
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass  # not listening yet
        time.sleep(0.2)
    raise RuntimeError(
        f"the server was not ready within {READY_WITHIN:.0f} s:\n{server_log(workdir)}"
    )
