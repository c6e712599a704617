"""Load the live server with a mix of queries and report errors, memory and latency.

    python -m tools.load [--connections 32] [--duration 30]

Starts the server (one uvicorn worker on 127.0.0.1, tools.live_server), warms it up, then
drives it with `--connections` keep-alive connections for `--duration` seconds, each
sending the next request as soon as the last is answered. Requests go to 127.0.0.1 only.
Reports the requests per second, the latency percentiles, the errors (any status but 200
and 304, a GraphQL error, a broken connection) and the server's resident memory before and
after. Exits non-zero on any error. The client is a plain asyncio loop of raw HTTP/1.1 so
that, on the same machine, it takes as little CPU from the server as it can.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from tools.live_server import ROOT, live_server
from web.persisted import document_id


@dataclass(frozen=True)
class Request:
    name: str
    method: str
    target: str  # path and query string
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()

    def encode(self, host: str) -> bytes:
        lines = [f"{self.method} {self.target} HTTP/1.1", f"Host: {host}", "Accept: */*"]
        if self.body:
            lines += ["Content-Type: application/json", f"Content-Length: {len(self.body)}"]
        lines += [f"{k}: {v}" for k, v in self.headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


def graphql_post(name: str, query: str, variables: dict[str, object] | None = None) -> Request:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    return Request(name, "POST", "/graphql", body)


def mix() -> list[Request]:
    """What researchers send, weighted by repetition: lookups, pages, filters, search,
    the example documents, and cached GETs."""
    examples = {
        p.stem: p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("queries/*.graphql"))
    }
    persisted = [
        Request(
            f"GET {name} (persisted)", "GET", "/graphql?" + urlencode({"id": document_id(text)})
        )
        for name, text in examples.items()
    ]
    posts = [graphql_post(name, text) for name, text in examples.items()]
    lookups = [
        graphql_post(
            "actor by name",
            "query A($n: String!) { actor(name: $n) { name kind aliases"
            " relations { kind object { name } } } }",
            {"n": "MNLA"},
        ),
        graphql_post(
            "events page",
            "query E($after: String) { events(first: 20, after: $after) { totalCount"
            " pageInfo { endCursor } nodes { id title date { iso } places { name } } } }",
        ),
        graphql_post(
            "filtered events",
            'query F { events(filter: { from: "2013-01", to: "2013-06" }) { totalCount'
            " nodes { title participants { role actor { name } } } } }",
        ),
        graphql_post("actors page", "query P { actors(first: 50) { nodes { name kind } } }"),
        graphql_post(
            "search",
            "query S($q: String!) { search(query: $q, first: 10) { totalCount"
            " edges { score node { __typename } highlights { fragment } } } }",
            {"q": "refugees Mauritania"},
        ),
    ]
    return lookups * 3 + posts + persisted


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    by_name: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)


async def read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split(" ", 2)[1])
    headers = {
        k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines if h)
    }
    length = int(headers.get("content-length", "0"))
    body = await reader.readexactly(length) if length else b""
    return status, headers, body


async def connection(
    url: str, requests: itertools.cycle[Request], deadline: float, tally: Tally | None
) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    reader, writer = await asyncio.open_connection(host, port)
    etags: dict[str, str] = {}
    try:
        while time.monotonic() < deadline:
            request = next(requests)
            extra = (("If-None-Match", etags[request.target]),) if request.target in etags else ()
            wire = Request(request.name, request.method, request.target, request.body, extra)
            started = time.perf_counter()
            writer.write(wire.encode(f"{host}:{port}"))
            await writer.drain()
            status, headers, body = await read_response(reader)
            elapsed = time.perf_counter() - started
            if tally is None:
                continue  # warming up
            tally.latencies.append(elapsed)
            tally.by_name.setdefault(request.name, []).append(elapsed)
            tally.statuses[status] += 1
            if status == 200 and "etag" in headers:
                etags[request.target] = headers["etag"]  # next time, revalidate: a 304
            if status not in (200, 304):
                tally.errors[f"{request.name}: HTTP {status}"] += 1
            elif status == 200 and json.loads(body).get("errors"):
                tally.errors[
                    f"{request.name}: {json.loads(body)['errors'][0]['message'][:80]}"
                ] += 1
    except (OSError, asyncio.IncompleteReadError, ValueError) as error:
        if tally is not None:
            tally.errors[f"connection: {type(error).__name__}: {error}"] += 1
    finally:
        writer.close()


async def drive(url: str, connections: int, seconds: float, tally: Tally | None) -> None:
    requests = mix()
    deadline = time.monotonic() + seconds
    await asyncio.gather(
        *(
            # Each connection starts at a different place in the mix.
            connection(url, itertools.cycle(requests[i:] + requests[:i]), deadline, tally)
            for i in (n % len(requests) for n in range(connections))
        )
    )


def rss_kib(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (peak) of a process, in KiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    values = {}
    for line in status.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def percentile(sorted_values: list[float], p: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    args = parser.parse_args(argv)
    tally = Tally()
    # Every connection comes from 127.0.0.1, but stands for a researcher of its own: one
    # client's budget would refuse most of this traffic, as it should refuse one client.
    with live_server(env={"CRISISGRAPH_RATE_LIMIT": "0"}) as server:
        pid = server.process.pid
        asyncio.run(drive(server.graphql_url, args.connections, args.warmup, None))
        before = rss_kib(pid)
        started = time.monotonic()
        asyncio.run(drive(server.graphql_url, args.connections, args.duration, tally))
        seconds = time.monotonic() - started
        after = rss_kib(pid)
        print(f"server: uvicorn, 1 worker, pid {pid}; /healthz {server.health}")
    latencies = sorted(tally.latencies)
    count = len(latencies)
    print(
        f"load: {args.connections} connections for {seconds:.1f} s: {count} requests, "
        f"{count / seconds:.1f} req/s, {sum(tally.errors.values())} errors"
    )
    if latencies:
        print(
            "latency ms: "
            + ", ".join(f"p{p} {percentile(latencies, p) * 1000:.1f}" for p in (50, 90, 99))
            + f", max {latencies[-1] * 1000:.1f}, mean {statistics.fmean(latencies) * 1000:.1f}"
        )
    print("statuses: " + ", ".join(f"{s}: {n}" for s, n in sorted(tally.statuses.items())))
    print(
        f"RSS KiB: before {before['VmRSS']:,}, after {after['VmRSS']:,} "
        f"({after['VmRSS'] - before['VmRSS']:+,}); peak {after['VmHWM']:,}"
    )
    for name, values in sorted(tally.by_name.items()):
        values.sort()
        print(
            f"  {name:38} {len(values):6} req  p50 {percentile(values, 50) * 1000:7.1f} ms"
            f"  p99 {percentile(values, 99) * 1000:7.1f} ms"
        )
    for error, n in tally.errors.most_common(20):
        print(f"ERROR {n} x {error}")
    return 1 if tally.errors or not count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
