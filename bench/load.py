"""A fixed, bounded load against one endpoint: wrk when it is installed, else a small
asyncio HTTP/1.1 client. Either way: N keep-alive connections, a fixed duration, on
loopback only, and the same figures out (requests/s, p50, p99, non-2xx responses)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    failures: int  # non-2xx answers and socket errors

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


_WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = io.open(os.getenv("BENCH_BODY")):read("*a")
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT {\\"requests\\":%d,\\"us\\":%d,\\"p50\\":%d,\\"p99\\":%d,\\"failures\\":%d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def tool() -> str:
    return "wrk" if shutil.which("wrk") else "asyncio"


def run_load(
    port: int, path: str, body: dict[str, Any], seconds: float, connections: int
) -> LoadResult:
    if tool() == "wrk":
        return _wrk(port, path, body, seconds, connections)
    return asyncio.run(_asyncio_load(port, path, body, seconds, connections))


def _wrk(
    port: int, path: str, body: dict[str, Any], seconds: float, connections: int
) -> LoadResult:
    return run_wrk(_WRK_SCRIPT, "BENCH_BODY", json.dumps(body), port, path, seconds, connections)


def run_wrk(
    script_text: str,
    payload_variable: str,
    payload: str,
    port: int,
    path: str,
    seconds: float,
    connections: int,
) -> LoadResult:
    """Run wrk with a Lua script that reads its request bodies from the file named by
    the environment variable `payload_variable`, and reports a BENCH_RESULT line."""
    with tempfile.TemporaryDirectory() as tmp:
        script, body_file = Path(tmp) / "load.lua", Path(tmp) / "payload"
        script.write_text(script_text)
        body_file.write_text(payload)
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s",
             "-s", str(script), f"http://{HOST}:{port}{path}"],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
            env={payload_variable: str(body_file), "PATH": "/usr/bin:/bin"},
        )  # fmt: skip
    line = next(x for x in out.stdout.splitlines() if x.startswith("BENCH_RESULT "))
    raw = json.loads(line.removeprefix("BENCH_RESULT "))
    return LoadResult(
        raw["requests"], raw["us"] / 1e6, raw["p50"] / 1000, raw["p99"] / 1000, raw["failures"]
    )


async def _asyncio_load(
    port: int, path: str, body: dict[str, Any], seconds: float, connections: int
) -> LoadResult:
    payload = json.dumps(body).encode()
    request = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\n\r\n"
    ).encode() + payload
    latencies: list[float] = []
    failures = 0
    deadline = time.perf_counter() + seconds

    async def connection() -> None:
        nonlocal failures
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - started)
                failures += not 200 <= status < 300
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    return LoadResult(len(latencies), elapsed, *_percentiles(latencies), failures)


def _percentiles(seconds: list[float]) -> tuple[float, float]:
    if len(seconds) < 2:
        value = seconds[0] * 1000 if seconds else 0.0
        return value, value
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[98] * 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(
    app: str, env: dict[str, str], cwd: Path = ROOT, wait: float = 900
) -> Iterator[tuple[int, int, float]]:
    """Run `uvicorn app` (one worker) from the checkout `cwd`; yield (port, pid, seconds
    until /healthz said 200)."""
    port = free_port()
    started = time.perf_counter()
    # A file, not a pipe nobody reads: the access log goes to stderr, and a full pipe
    # (64 KB, some 400 requests) would stop the server in the middle of a load.
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
             "--workers", "1", "--log-level", "warning"],
            cwd=cwd, env={**os.environ, **env, "PYTHONPATH": str(cwd)},
            stdout=subprocess.DEVNULL, stderr=errors,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + wait
            while True:
                if process.poll() is not None:
                    errors.seek(0)
                    raise RuntimeError(f"{app} exited: {errors.read().decode()[-2000:]}")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{app} did not become healthy")
                time.sleep(0.02)
            yield port, process.pid, time.perf_counter() - started
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
