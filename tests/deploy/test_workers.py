"""`python server.py --workers 2`, for real: the index is built once, before the workers;
a killed worker is replaced while the other serves; /metrics adds up both; SIGTERM stops
it cleanly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from tools.live_server import DIRECT, ROOT, free_port

QUERY = "/graphql?query=" + quote("query Titles { events(first: 2) { nodes { title } } }")


def get(url: str) -> int:
    with DIRECT.open(url, timeout=10) as response:
        response.read()
        return int(response.status)


def children(pid: int) -> set[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return {int(p) for p in found}


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)  # polling a subprocess


def healthy(url: str) -> bool:
    try:
        return get(f"{url}/healthz") == 200
    except OSError:
        return False


def test_workers_share_one_index_build_are_replaced_and_drain(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    env = {**os.environ, "CRISISGRAPH_INDEX_DIR": str(tmp_path / "index")}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "server.py", "--port", str(port), "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(lambda: healthy(url) and len(children(server.pid)) == 2)
        workers = children(server.pid)
        for _ in range(20):
            assert get(f"{url}{QUERY}") == 200

        os.kill(min(workers), signal.SIGKILL)
        for _ in range(20):  # the other worker keeps serving meanwhile
            assert get(f"{url}{QUERY}") == 200
        wait_for(lambda: len(children(server.pid) - workers) == 1 and healthy(url))
        for _ in range(20):
            assert get(f"{url}{QUERY}") == 200

        with DIRECT.open(f"{url}/metrics", timeout=10) as response:
            text = response.read().decode()
        served = re.findall(
            r'^crisisgraph_http_requests_total\{method="GET",route="/graphql",status="200"\} (\S+)',
            text,
            re.MULTILINE,
        )
        assert served == ["60.0"], text  # one sum across workers, the dead one's included

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=40) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    output_text = log.read_text()
    assert output_text.count("building the search index") == 1, output_text
    assert output_text.count("search index built") == 1, output_text


def test_sigterm_finishes_the_request_in_flight_and_refuses_new_connections(
    tmp_path: Path,
) -> None:
    """A request whose body is still arriving when SIGTERM comes is answered in full; a new
    connection after it is refused."""
    import socket

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CRISISGRAPH_INDEX_DIR": str(tmp_path / "index")}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    server = subprocess.Popen(
        [sys.executable, "server.py", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: healthy(url))
        body = b'{"query": "query Titles { events(first: 2) { nodes { title } } }"}'
        with socket.create_connection(("127.0.0.1", port), timeout=20) as conn:
            conn.sendall(
                b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body[:10]
            )
            time.sleep(0.5)  # the worker has the headers: the request is in flight
            server.send_signal(signal.SIGTERM)
            time.sleep(1.0)  # the worker has stopped listening, not yet exited
            try:
                refused = not healthy(url)
            finally:
                conn.sendall(body[10:])
            answer = b""
            while b"Titles" not in answer and b'"title"' not in answer:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        assert b'"title"' in answer
        assert refused, "a new connection was accepted after SIGTERM"
        assert server.wait(timeout=40) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
