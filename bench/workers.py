"""Events-page throughput with 1 and 2 worker processes, in the same run; RSS per worker.

    .venv/bin/python -m bench.workers [--rounds 3] [--seconds 8] [--connections 8]

Starts `python server.py --workers 1` and `--workers 2` (127.0.0.1, a free port each,
the budget off: the connections stand for many clients) side by side, and drives each in
turn with the same fixed load (bench.load: wrk, else the asyncio client) on the events
page (events100), alternating round by round so that a noisy neighbour hits both alike.
Prints requests/s, p50 and p99 per worker count (the median round), the ratio, the
resident memory of the arbiter and of each worker after the load, and the load average.
On a 2-core machine the load generator shares the cores with the workers, so the ratio
understates what two cores give when the clients are elsewhere. Not part of pytest.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench.__main__ import median_run, rss_mb
from bench.load import LoadResult, free_port, run_load, tool
from bench.queries import operations

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def workers_server(workers: int, env: dict[str, str]) -> Iterator[tuple[int, int]]:
    """`python server.py --workers N` until the block ends: (port, arbiter pid)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "server.py", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 300
        while len(children(process.pid)) < workers or not healthy(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server with {workers} workers did not start")
            time.sleep(0.1)  # waiting for a subprocess
        yield port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=40)


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.workers", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args(argv)
    document, variables = operations()["events100"]
    body = {"query": document, "variables": variables}
    runs: dict[int, list[LoadResult]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory(prefix="crisisgraph-bench-") as tmp, ExitStack() as stack:
        env = {
            "CRISISGRAPH_INDEX_DIR": str(Path(tmp) / "index"),
            "CRISISGRAPH_RATE_LIMIT": "0",
            # Throughput, not admission: no request is refused for a full lane.
            "CRISISGRAPH_EXPENSIVE_SLOTS": str(args.connections),
            "CRISISGRAPH_ACCESS_LOG": "false",
        }
        servers = {n: stack.enter_context(workers_server(n, env)) for n in (1, 2)}
        for port, _ in servers.values():  # warm up: caches, the first documents
            run_load(port, "/graphql", body, 2.0, args.connections)
        for _ in range(args.rounds):
            for n, (port, _) in servers.items():
                runs[n].append(run_load(port, "/graphql", body, args.seconds, args.connections))
        memory = {
            n: (rss_mb(pid), [rss_mb(child) for child in children(pid)])
            for n, (_, pid) in servers.items()
        }
        busy = [cpu_seconds(child) for child in children(servers[2][1])]
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"events100, {args.connections} connections, {args.rounds} x {args.seconds:g} s")
    print(f"per worker count (median round), client: {tool()}; load average after: {load}")
    print("| workers | req/s | p50 ms | p99 ms | failures | rounds (req/s) |")
    print("|---|---|---|---|---|---|")
    for n, results in runs.items():
        m = median_run(results)
        rounds = ", ".join(f"{r.rps:.0f}" for r in results)
        print(
            f"| {n} | {m.rps:.1f} | {m.p50_ms:.1f} | {m.p99_ms:.1f} | "
            f"{sum(r.failures for r in results)} | {rounds} |"
        )
    ratio = median_run(runs[2]).rps / median_run(runs[1]).rps
    # Each round's pair ran back to back, so its ratio shares that moment's noise.
    pairs = sorted(two.rps / one.rps for one, two in zip(runs[1], runs[2], strict=True))
    print(
        f"ratio 2 workers / 1 worker: {ratio:.2f}x of the medians, "
        f"{pairs[len(pairs) // 2]:.2f}x the median of the rounds' ratios "
        f"({', '.join(f'{p:.2f}' for p in pairs)}); target >= 1.6x on 2 cores"
    )
    print(
        "CPU seconds of each of the 2 workers (how evenly connections spread): "
        + ", ".join(f"{b:.1f}" for b in busy)
    )
    for n, (arbiter, workers) in memory.items():
        each = ", ".join(f"{mb:.0f}" for mb in workers)
        print(f"RSS with {n} worker(s): arbiter {arbiter:.0f} MB, workers {each} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
