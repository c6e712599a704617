"""Start time and memory of one server process, as a user starts it: `uvicorn server:app`
on a store whose search index is already built, timed from the process's start to the
first /healthz 200; then a few searches over HTTP and the process's RSS.

Two starts in a row: the first finds none of the start-up caches (the snapshot of the
validated store, data/snapshot.py, and what opening the index reads, index/opened.py): it
reads the JSON and the index's own files, as every start did before them, and saves both.
The second starts from them, as every later start does.

    python -m bench.start DATA_DIR INDEX_DIR      # the index must be built already

Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.probe import SEARCHES
from bench.queries import SEARCH
from data.snapshot import SNAPSHOT_DIR
from index.layout import IndexDir
from index.opened import OPENED_FILE

ROOT = Path(__file__).resolve().parent.parent
SEARCH_ROUNDS = 3  # every search of the mix this many times: 24 searches
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu_seconds(pid: int) -> float:
    """User and system time the process has used: what a start costs, on a machine where
    other work stretches the wall-clock time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _healthy(port: int) -> bool:
    try:
        with DIRECT.open(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return bool(response.status == 200)
    except OSError:  # not listening yet, or 503 while loading
        return False


def _search(port: int, text: str) -> None:
    body = json.dumps({"query": SEARCH, "variables": {"q": text}}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with DIRECT.open(request, timeout=30) as response:
        answer = json.loads(response.read())
    if answer.get("errors"):
        raise RuntimeError(f"search {text!r} failed: {answer['errors']}")


def one_start(data_dir: Path, index_dir: Path) -> dict[str, float]:
    """Seconds from the process's start to /healthz 200 (wall clock, and the process's CPU
    time), and its RSS (MB) then and after the searches."""
    port = _free_port()
    env = {
        **os.environ,
        "CRISISGRAPH_DATA_DIR": str(data_dir),
        "CRISISGRAPH_INDEX_DIR": str(index_dir),
        "CRISISGRAPH_ACCESS_LOG": "false",
        "CRISISGRAPH_RATE_LIMIT": "0",
    }
    command = [sys.executable, "-m", "uvicorn", "server:app", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", "1", "--log-level", "warning"]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 600
        while not _healthy(port):
            if process.poll() is not None:
                assert process.stderr is not None
                raise RuntimeError(f"the server exited: {process.stderr.read().decode()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not become healthy in 600 s")
            time.sleep(0.01)
        start_s = time.perf_counter() - started
        cpu_s = _cpu_seconds(process.pid)
        rss_ready = _rss_mb(process.pid)
        for _ in range(SEARCH_ROUNDS):
            for text in SEARCHES:
                _search(port, text)
        return {
            "start_s": round(start_s, 2),
            "start_cpu_s": round(cpu_s, 2),
            "rss_ready_mb": round(rss_ready, 1),
            "rss_mb": round(_rss_mb(process.pid), 1),
        }
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        assert process.stderr is not None
        process.stderr.close()


def measure(data_dir: Path, index_dir: Path) -> dict[str, Any]:
    """A start without the start-up caches (removed first), then one with them."""
    shutil.rmtree(index_dir / SNAPSHOT_DIR, ignore_errors=True)
    current = IndexDir(index_dir).current()
    if current is None:
        raise SystemExit(f"no index is built in {index_dir}: run `python -m index build`")
    (current / OPENED_FILE).unlink(missing_ok=True)
    return {
        "searches": SEARCH_ROUNDS * len(SEARCHES),
        "from_json": one_start(data_dir, index_dir),
        "from_snapshot": one_start(data_dir, index_dir),
    }


def main(argv: list[str]) -> int:
    print(json.dumps(measure(Path(argv[0]), Path(argv[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
