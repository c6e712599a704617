"""Attack the live server while a researcher uses it, and report what the researcher saw.

    python -m tools.abuse [--attackers 16] [--duration 30] [--payloads all]

Starts the server (one uvicorn worker on 127.0.0.1, tools.live_server, with 127.0.0.1
trusted as a proxy so that each attacker and the researcher can be told apart by
X-Forwarded-For, as distinct addresses would be), then runs `--attackers` connections
sending the payloads that stalled or exhausted the first release, and one connection
sending a trivial query, for `--duration` seconds. Requests go to 127.0.0.1 only, and
every loop is bounded in time.

Prints the trivial query's latency percentiles, each payload's status counts and median
time, and the server's memory before, at its peak and after; then, on a second server
whose cost limit is lifted, how far past its time budget a runaway operation runs. Checks
the targets: trivial p99 under 250 ms, peak RSS under 300 MiB, RSS after within 30 MiB
of before, no 5xx but deliberate 503s, a runaway stopped within 100 ms of its deadline.
Exits 1 if one is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from tools.live_server import live_server
from tools.load import Request, percentile, read_response, rss_kib

TRIVIAL_P99_MS = 250.0
OVERSHOOT_MS = 100.0  # how far past its time budget an operation may run
PEAK_RSS_MIB = 300.0
SETTLED_RSS_MIB = 30.0
EXPANDING = "\ufdfa"  # eighteen characters under NFKD


def post(name: str, body: bytes | dict[str, object]) -> Request:
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    return Request(name, "POST", "/graphql", raw)


def names(field: str, length: int) -> dict[str, object]:
    query = f"query Named($n: String) {{ {field}(filter: {{name: $n}}) {{ totalCount }} }}"
    return {"query": query, "variables": {"n": EXPANDING * length}}


def amplifying_fragments() -> dict[str, object]:
    roots = " ".join(
        f"e{i}: events(first: 100) {{ nodes {{ evidence {{ ...A }} }} }}" for i in range(9)
    )
    a = " ".join(f"a{i}: passage {{ ...B }}" for i in range(9))
    b = " ".join(f"b{i}: text" for i in range(9))
    query = (
        f"query Amplify {{ {roots} }} fragment A on Evidence {{ {a} }} "
        f"fragment B on Passage {{ {b} }}"
    )
    return {"query": query}


def aliased_searches() -> dict[str, object]:
    searches = " ".join(
        f's{i}: search(query: "mali", first: 100) {{ edges {{ highlights {{ fragment }} }} }}'
        for i in range(50)
    )
    return {"query": f"query Searches {{ {searches} }}"}


def heavy_search() -> dict[str, object]:
    return {
        "query": 'query Heavy { search(query: "mali", first: 100) { totalCount'
        " edges { highlights { fragment } } facets { years { value count } } } }"
    }


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def odd_bodies() -> list[Request]:
    q = "query Q($n: Int) { actors(first: $n) { totalCount } }"
    return [
        post("invalid UTF-8", b'{"query": "query Q { crises { slug } }", "x": "\xff"}'),
        post("JSON string", b'"x"'),
        post("JSON null", b"null"),
        post(
            "variables 5,000 deep",
            b'{"query": "{ crises { slug } }", "variables": {"v": ' + deep(5_000).encode() + b"}}",
        ),
        post(
            "5,000-digit integer",
            b'{"query": "' + q.encode() + b'", "variables": {"n": ' + b"7" * 5_000 + b"}}",
        ),
        post("1e400 for an Int", b'{"query": "' + q.encode() + b'", "variables": {"n": 1e400}}'),
        Request(
            "GET variables 3,000 deep",
            "GET",
            "/graphql?" + urlencode({"query": "{ crises { slug } }", "variables": deep(3_000)}),
        ),
    ]


def attacks() -> dict[str, list[Request]]:
    """Each kind of attack: the requests one attacker cycles through."""
    return {
        "names": [
            post("names 33,000 x U+FDFA", names("actors", 33_000)),
            post("names 500 x U+FDFA", names("places", 500)),
        ],
        "invalid": [],  # distinct documents, made as they are sent (invalid_document)
        "fragments": [post("aliases inside fragments", amplifying_fragments())],
        "searches": [post("50 aliased searches", aliased_searches())],
        "heavy": [post("search, 100 hits, highlights, facets", heavy_search())],
        "fields": [post("2,000 fields", {"query": f"query F {{ crises {{ {'slug ' * 2000} }} }}"})],
        "bodies": odd_bodies(),
    }


def invalid_document(n: int) -> Request:
    fields = " ".join(f"noSuchField{n}x{j}_{'z' * 20}" for j in range(240))
    return post(
        "distinct invalid 10 KB documents", {"query": f"query I{n} {{ crises {{ {fields} }} }}"}
    )


TRIVIAL = post("trivial", {"query": "query Trivial { crises { name } }"})


@dataclass
class Seen:
    trivial: list[float] = field(default_factory=list)
    trivial_errors: Counter[str] = field(default_factory=Counter)
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


async def send(host: str, port: int, request: Request, client: str) -> tuple[int, bytes, float]:
    """One request on a new connection (a hostile client does not keep one open)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        wire = Request(
            request.name,
            request.method,
            request.target,
            request.body,
            (("X-Forwarded-For", client), ("Connection", "close")),
        )
        started = time.perf_counter()
        writer.write(wire.encode(f"{host}:{port}"))
        await writer.drain()
        status, _, body = await read_response(reader)
        return status, body, time.perf_counter() - started
    finally:
        writer.close()


async def attacker(
    host: str, port: int, n: int, kinds: list[str], deadline: float, seen: Seen
) -> None:
    catalogue = attacks()
    plan = itertools.cycle(kinds[n % len(kinds) :] + kinds[: n % len(kinds)])
    counter = itertools.count(n * 1_000_000)
    while time.monotonic() < deadline:
        kind = next(plan)
        requests = catalogue[kind] or [invalid_document(next(counter))]
        for request in requests:
            try:
                status, _, elapsed = await send(host, port, request, f"198.51.100.{n + 1}")
            except (OSError, asyncio.IncompleteReadError) as error:
                seen.statuses[request.name][-1] += 1
                print(f"attacker {n}: {request.name}: {type(error).__name__}", file=sys.stderr)
                continue
            seen.statuses[request.name][status] += 1
            seen.times[request.name].append(elapsed)


async def warm_up(url: str, kinds: list[str]) -> None:
    parts = urlsplit(url)
    catalogue = attacks()
    for kind in kinds:
        for request in catalogue[kind] or [invalid_document(-1)]:
            await send(parts.hostname or "127.0.0.1", parts.port or 80, request, "192.0.2.1")


async def researcher(host: str, port: int, deadline: float, seen: Seen) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    wire = Request(
        TRIVIAL.name, "POST", "/graphql", TRIVIAL.body, (("X-Forwarded-For", "203.0.113.7"),)
    )
    try:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            writer.write(wire.encode(f"{host}:{port}"))
            await writer.drain()
            status, _, body = await read_response(reader)
            seen.trivial.append(time.perf_counter() - started)
            if status != 200 or json.loads(body).get("errors"):
                seen.trivial_errors[f"HTTP {status}: {body[:120]!r}"] += 1
            await asyncio.sleep(0.02)  # a person's tool, not a flood: about 40 a second
    finally:
        writer.close()


async def run(url: str, attackers: int, seconds: float, kinds: list[str]) -> Seen:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    seen = Seen()
    deadline = time.monotonic() + seconds
    await asyncio.gather(
        researcher(host, port, deadline, seen),
        *(attacker(host, port, n, kinds, deadline, seen) for n in range(attackers)),
    )
    return seen


def main(argv: list[str] | None = None) -> int:
    kinds = list(attacks())
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attackers", type=int, default=16)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of attack")
    parser.add_argument(
        "--payloads", default="all", help=f"comma-separated, of: {', '.join(kinds)} (or all)"
    )
    args = parser.parse_args(argv)
    chosen = kinds if args.payloads == "all" else args.payloads.split(",")
    unknown = set(chosen) - set(kinds)
    if unknown:
        parser.error(f"unknown payloads {sorted(unknown)}; choose from {kinds}")
    env = {"CRISISGRAPH_TRUSTED_PROXIES": "127.0.0.1"}
    with live_server(env=env) as server:
        pid = server.process.pid
        # Warm up: every payload once, then the trivial query alone, so that "before" is a
        # server that has loaded what any request loads once (the index, its caches).
        asyncio.run(warm_up(server.graphql_url, chosen))
        asyncio.run(run(server.graphql_url, 0, 2.0, chosen))
        before = rss_kib(pid)["VmRSS"] / 1024
        seen = asyncio.run(run(server.graphql_url, args.attackers, args.duration, chosen))
        time.sleep(2.0)  # let the last refusals finish
        memory = rss_kib(pid)
    after, peak = memory["VmRSS"] / 1024, memory["VmHWM"] / 1024
    overshoot = deadline_overshoot()
    return report(seen, args.attackers, args.duration, before, peak, after, overshoot)


def relation_tree(depth: int) -> str:
    """Both ends of every relation, `depth` times over: minutes of work if nothing stops it."""
    inner = "name"
    for _ in range(depth):
        inner = f"relations {{ kind subject {{ {inner} }} object {{ {inner} }} }}"
    return f"query Tree {{ actors(first: 100) {{ nodes {{ {inner} }} }} }}"


def deadline_overshoot(budget: float = 0.5, tries: int = 5) -> float:
    """How long past its time budget the slowest of `tries` runaway operations ran, in ms:
    on a server whose cost limit and budget are lifted, so that only the deadline stops them."""
    env = {
        "CRISISGRAPH_MAX_COST": "1000000000",
        "CRISISGRAPH_RATE_LIMIT": "0",
        "CRISISGRAPH_TIME_BUDGET": str(budget),
    }
    worst = 0.0
    with live_server(env=env) as server:
        parts = urlsplit(server.graphql_url)
        request = post("runaway", {"query": relation_tree(4)})
        for _ in range(tries):
            status, body, elapsed = asyncio.run(
                send(parts.hostname or "127.0.0.1", parts.port or 80, request, "192.0.2.9")
            )
            code = json.loads(body)["errors"][0]["extensions"]["code"]
            assert status == 200 and code == "QUERY_TOO_COMPLEX", (status, body[:200])
            worst = max(worst, elapsed - budget)
    return worst * 1000


def report(
    seen: Seen,
    attackers: int,
    seconds: float,
    before: float,
    peak: float,
    after: float,
    overshoot: float,
) -> int:
    trivial = sorted(seen.trivial)
    p50, p99 = (percentile(trivial, p) * 1000 for p in (50, 99))
    print(f"{attackers} attackers for {seconds:g} s, one researcher sending a trivial query")
    print(
        f"trivial query: {len(trivial)} answered, p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
        f"max {trivial[-1] * 1000:.1f} ms, mean {statistics.fmean(trivial) * 1000:.1f} ms, "
        f"{sum(seen.trivial_errors.values())} errors"
    )
    for error, n in seen.trivial_errors.most_common(5):
        print(f"  trivial ERROR {n} x {error}")
    print("attackers:")
    for name, statuses in sorted(seen.statuses.items()):
        times = sorted(seen.times[name]) or [0.0]
        counts = ", ".join(f"{s if s >= 0 else 'broken'}: {n}" for s, n in sorted(statuses.items()))
        print(f"  {name:40} {counts:34} median {percentile(times, 50) * 1000:7.1f} ms")
    print(
        f"RSS MiB: before {before:.0f}, peak {peak:.0f}, after {after:.0f} ({after - before:+.0f})"
    )
    unexpected = sum(
        n
        for s in seen.statuses.values()
        for code, n in s.items()
        if (code >= 500 and code != 503) or code < 0
    )
    targets = {
        f"trivial p99 {p99:.0f} ms < {TRIVIAL_P99_MS:.0f} ms": p99 < TRIVIAL_P99_MS,
        f"peak RSS {peak:.0f} MiB < {PEAK_RSS_MIB:.0f} MiB": peak < PEAK_RSS_MIB,
        f"RSS after {after - before:+.0f} MiB within {SETTLED_RSS_MIB:.0f} MiB of before": after
        - before
        < SETTLED_RSS_MIB,
        f"{unexpected} answers 5xx other than 503, or broken": unexpected == 0,
        "the trivial query never failed": not seen.trivial_errors,
        f"a runaway operation stopped {overshoot:.0f} ms past its budget (< {OVERSHOOT_MS:.0f})": (
            overshoot < OVERSHOOT_MS
        ),
    }
    for target, met in targets.items():
        print(f"{'ok  ' if met else 'MISS'} {target}")
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
