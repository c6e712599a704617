"""The benchmark harness: how fast the server answers, against same-run baselines.

    .venv/bin/python -m bench                   # everything, 1000x included: about 25 minutes
    .venv/bin/python -m bench --scales 1,10,100 # the same without 1000x: about 20 minutes
    .venv/bin/python -m bench --quick           # short loads, scales 1x and 10x: under a minute
    .venv/bin/python -m bench --no-http --scales 1000 --out /tmp/R.md   # one scale point alone

(Times on a 2-core machine.) Not part of pytest.

1. Starts the server as a user would (`uvicorn server:app`, one worker, 127.0.0.1) on the
   Mali store, twice: the first start builds the search index, the second is timed (cold
   start with a built index). Starts the ceiling the same way (`uvicorn bench.plain_app:app`)
   and checks that it answers every operation with the same JSON as the server.
2. Drives both with the same fixed, bounded load (wrk, else an asyncio client), the two
   interleaved round by round so a noisy neighbour hits both alike; per operation it
   prints requests/s, p50, p99 and the ratio to the ceiling. For search it also times the
   bare Whoosh call in-process (bench/bare.py).
3. For each scale, generates a synthetic store (bench/synth.py) and measures index build,
   size, search latency and RSS in a fresh process (bench/probe.py); then starts the
   server on it twice, timing the start to /healthz 200 and reading its RSS after a few
   searches: first without the start-up caches, then with them (bench/start.py).
4. For each scale, runs our search against the same page from SQLite FTS5
   (bench/search_mix.py): a varied mix of queries, each request a different one, and two
   fixed queries over HTTP (8 connections), and the two search calls alone in-process.
5. Writes everything, with the command, date and machine, to `--out` (default
   bench-results.md in the current folder). bench/RESULTS.md is the committed record:
   it is rewritten only when named (`--out bench/RESULTS.md`), keeping its notes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import bare, search_mix, start, synth
from bench.load import LoadResult, run_load, server, tool
from bench.queries import SEARCH_TEXT, operations

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGETS = {"events100": 0.5}  # the throughput ratio to the ceiling aimed for


def machine() -> dict[str, str]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def python_shown() -> str:
    """The interpreter as the results should show it: `.venv/bin/python` for the checkout's."""
    venv = ROOT / ".venv"
    return ".venv/bin/python" if Path(sys.prefix).resolve() == venv.resolve() else "python"


def post(port: int, path: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def median_run(runs: list[LoadResult]) -> LoadResult:
    return sorted(runs, key=lambda r: r.rps)[len(runs) // 2]


def bench_http(args: argparse.Namespace, work: Path, out: dict[str, Any]) -> None:
    env = {
        "CRISISGRAPH_DATA_DIR": str(ROOT / "data" / "crises"),
        "CRISISGRAPH_INDEX_DIR": str(work / "index"),
        # Throughput, not a client's budget: 5,000,000 points a minute are some 460 pages
        # of 100 events, fewer than one load round asks for.
        "CRISISGRAPH_RATE_LIMIT": "0",
    }
    with server("server:app", env) as (_, _, first):
        out["first_start_s"] = first  # builds the index
    ops = operations()
    with (
        server("server:app", env) as (gql, gql_pid, cold),
        server("bench.plain_app:app", env) as (
            plain,
            _,
            _,
        ),
    ):
        out["cold_start_s"] = cold
        for name, (query, variables) in ops.items():
            got = post(gql, "/graphql", {"query": query, "variables": variables})
            want = post(plain, f"/plain/{name}", {"variables": variables})
            if got != want:
                raise SystemExit(f"{name}: the GraphQL answer and the ceiling's differ")
        rows = []
        for name, (query, variables) in ops.items():
            runs: dict[str, list[LoadResult]] = {"graphql": [], "plain": []}
            for _ in range(args.rounds):
                plain_body = {"variables": variables}
                graphql_body = {"query": query, "variables": variables}
                load = (args.seconds, args.connections)
                runs["plain"].append(run_load(plain, f"/plain/{name}", plain_body, *load))
                runs["graphql"].append(run_load(gql, "/graphql", graphql_body, *load))
            g, p = median_run(runs["graphql"]), median_run(runs["plain"])
            if g.failures or p.failures:
                raise SystemExit(f"{name}: {g.failures + p.failures} failed requests")
            rows.append(
                {
                    "name": name,
                    "graphql": g.__dict__,
                    "plain": p.__dict__,
                    "graphql_rps": g.rps,
                    "plain_rps": p.rps,
                    "ratio": g.rps / p.rps,
                }
            )
            print(
                f"{name:<10} graphql {g.rps:7.1f} req/s p50 {g.p50_ms:7.2f} p99 {g.p99_ms:7.2f} | "
                f"plain {p.rps:7.1f} req/s p50 {p.p50_ms:7.2f} p99 {p.p99_ms:7.2f} | "
                f"ratio {g.rps / p.rps:.2f}",
                flush=True,
            )
        out["rss_mb"] = rss_mb(gql_pid)
        out["rows"] = rows
    out["bare"] = bare.measure(work / "index", SEARCH_TEXT, args.seconds)
    search = next(r for r in rows if r["name"] == "search")
    # Latency here is one request at a time, like the bare call: no queueing.
    single = []
    with server("server:app", env) as (gql, _, _):
        query, variables = ops["search"]
        for _ in range(args.rounds):
            single.append(
                run_load(gql, "/graphql", {"query": query, "variables": variables}, args.seconds, 1)
            )
    one = median_run(single)
    out["search_single"] = one.__dict__ | {"rps": one.rps}
    print(
        f"bare whoosh {out['bare']['rps']:.1f} calls/s p50 {out['bare']['p50_ms']:.2f} ms; "
        f"graphql search (1 connection) {one.rps:.1f} req/s p50 {one.p50_ms:.2f} ms; "
        f"throughput ratio {search['graphql_rps'] / out['bare']['rps']:.2f}",
        flush=True,
    )


def bench_scales(args: argparse.Namespace, work: Path, out: dict[str, Any]) -> None:
    results = []
    for scale in sorted({1, *args.scales}):
        store = ROOT / "data" / "crises" if scale == 1 else work / f"store-{scale}"
        if scale != 1:
            started = time.perf_counter()
            synth.generate(store, scale)
            generated = time.perf_counter() - started
        else:
            generated = 0.0
        index_dir = work / f"index-{scale}"
        proc = subprocess.run(
            [PYTHON, "-m", "bench.probe", str(store), str(index_dir)],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        row = json.loads(proc.stdout.strip().splitlines()[-1]) | {
            "scale": scale,
            "generate_s": round(generated, 1),
            "start": start.measure(store, index_dir),
        }
        results.append(row)
        print(json.dumps(row), flush=True)
        if scale != 1:
            shutil.rmtree(store, ignore_errors=True)
        shutil.rmtree(index_dir, ignore_errors=True)
    out["scales"] = results


SEARCH_TARGETS = {1: 1.5, 100: 1.0}  # our mix throughput / FTS5's over HTTP, per scale


def bench_search(args: argparse.Namespace, work: Path, out: dict[str, Any]) -> None:
    """Our GraphQL search against the FTS5 baseline at each scale (bench/search_mix.py):
    the varied mix and the two fixed queries over HTTP, and the two search calls alone."""
    mix_args = argparse.Namespace(
        before=None,
        connections=args.search_connections,
        rounds=args.rounds,
        seconds=args.seconds,
        in_process=300,
    )
    queries = search_mix.mix(2000)
    results = []
    for scale in sorted({1, *args.scales}):
        results.append(search_mix.run_scale(scale, mix_args, work, queries))
        shutil.rmtree(work / f"store-{scale}", ignore_errors=True)
        for leftover in work.glob(f"*-{scale}*"):
            shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink()
    out["search_fts5"] = {"connections": args.search_connections, "scales": results}


def search_lines(found: dict[str, Any]) -> list[str]:
    lines = [
        "## Search against SQLite FTS5 (bench/search_mix.py, bench/fts5.py)",
        "",
        f"wrk, {found['connections']} connections. `mix`: a different one- or two-word query "
        "per request; ours answers bench/queries.py's SEARCH (top 10, highlights, facets), "
        "FTS5 the same page (bm25, snippet, GROUP BY facets) through Starlette.",
        "",
        "| scale | workload | ours req/s | p50 ms | FTS5 req/s | p50 ms | ours / FTS5 | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    p50 = {}
    for row in found["scales"]:
        scale = row["scale"]
        for workload, result in row["http"].items():
            ours, fts = result["ours"], result["fts5"]
            ratio = ours["rps"] / fts["rps"] if fts["rps"] else 0.0
            target = SEARCH_TARGETS.get(scale) if workload == "mix" else None
            verdict = (
                "" if target is None else f">= {target} {'met' if ratio >= target else 'MISSED'}"
            )
            lines.append(
                f"| {scale}x | {workload} | {ours['rps']:.1f} | {ours['p50_ms']:.1f} "
                f"| {fts['rps']:.1f} | {fts['p50_ms']:.1f} | {ratio:.2f} | {verdict} |"
            )
            if workload == "mix":
                p50[scale] = ours["p50_ms"]
    lines += ["", "In-process, the search call alone over 300 mix queries, interleaved:", ""]
    for row in found["scales"]:
        inner = row["in_process"]
        lines.append(
            f"- {row['scale']}x: ours {inner['ours']['mean_ms']:.2f} ms mean "
            f"(p50 {inner['ours']['p50_ms']:.2f}), FTS5 {inner['fts5']['mean_ms']:.2f} ms "
            f"(p50 {inner['fts5']['p50_ms']:.2f}); ours refused {inner['ours_refused']}"
        )
    if 1 in p50 and 100 in p50:
        growth = p50[100] / p50[1]
        lines.append(
            f"- our mix p50 at 100x / at 1x: {growth:.1f} "
            f"(target <= 2: {'met' if growth <= 2 else 'MISSED'})"
        )
    return [*lines, ""]


def write_results(path: Path, command: str, info: dict[str, str], out: dict[str, Any]) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"- command: `{command}`",
        f"- date: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"- machine: {info['nproc']} CPUs, {info['cpu']}, Python {info['python']}, "
        f"load average at start {info['load']}, at end {machine()['load']}",
        f"- load: {tool()}, {out['connections']} connections, {out['rounds']} rounds of "
        f"{out['seconds']:g} s per target, the two targets interleaved; the median round",
        "",
    ]
    if "rows" in out:
        lines += [
            "## Operations: GraphQL server vs. the plain-JSON ceiling",
            "",
            "| operation | GraphQL req/s | p50 ms | p99 ms | plain req/s | p50 ms | p99 ms "
            "| ratio | target |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in out["rows"]:
            g, p = r["graphql"], r["plain"]
            target = TARGETS.get(r["name"])
            verdict = (
                ""
                if target is None
                else f">= {target} {'met' if r['ratio'] >= target else 'MISSED'}"
            )
            lines.append(
                f"| {r['name']} | {r['graphql_rps']:.1f} | {g['p50_ms']:.2f} | {g['p99_ms']:.2f} "
                f"| {r['plain_rps']:.1f} | {p['p50_ms']:.2f} | {p['p99_ms']:.2f} "
                f"| {r['ratio']:.2f} | {verdict} |"
            )
        b, one = out["bare"], out["search_single"]
        search = next(r for r in out["rows"] if r["name"] == "search")
        tput = search["graphql_rps"] / b["rps"]
        latency = one["p50_ms"] / b["p50_ms"]
        lines += [
            "",
            "## Search: GraphQL end to end vs. the bare Whoosh call (in-process)",
            "",
            "| | req/s | p50 ms | p99 ms |",
            "|---|---|---|---|",
            f"| bare Whoosh + highlights | {b['rps']:.1f} | {b['p50_ms']:.2f} "
            f"| {b['p99_ms']:.2f} |",
            f"| GraphQL search, 1 connection | {one['rps']:.1f} | {one['p50_ms']:.2f} "
            f"| {one['p99_ms']:.2f} |",
            "",
            f"- throughput ratio (GraphQL at {out['connections']} connections / bare): "
            f"{tput:.2f} (target: >= 0.5, {'met' if tput >= 0.5 else 'MISSED'})",
            f"- latency ratio (GraphQL p50 / bare p50): {latency:.2f} "
            f"(target: <= 1.5, {'met' if latency <= 1.5 else 'MISSED'})",
            "",
            "## Start and memory (Mali store)",
            "",
            f"- cold start with a built index, to /healthz 200: {out['cold_start_s']:.2f} s "
            f"(target < 2 s: {'met' if out['cold_start_s'] < 2 else 'MISSED'}); "
            f"first start, building the index: {out['first_start_s']:.2f} s",
            f"- RSS of the server after the load: {out['rss_mb']:.0f} MB "
            f"(target < 150 MB: {'met' if out['rss_mb'] < 150 else 'MISSED'})",
            "",
        ]
    if "scales" in out:
        lines += [
            "## Scale (synthetic stores; bench/synth.py, bench/probe.py)",
            "",
            "| scale | crises | passages | documents | load s | build s | passages/s | documents/s "
            "| index MB | search p50 ms | p99 ms | RSS MB | peak RSS MB |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for s in out["scales"]:
            lines.append(
                f"| {s['scale']}x | {s['crises']} | {s['passages']} | {s['documents']} "
                f"| {s['load_s']} | {s['build_s']} | {s['passages_per_s']} "
                f"| {s['documents_per_s']} "
                f"| {s['index_mb']} | {s['search_p50_ms']} | {s['search_p99_ms']} "
                f"| {s['rss_mb']} | {s['peak_rss_mb']} |"
            )
        base = out["scales"][0]
        top = out["scales"][-1]
        growth = top["search_p50_ms"] / base["search_p50_ms"]
        lines += [
            "",
            "Start with a built index (uvicorn, `server:app`, to /healthz 200) and RSS after "
            f"{top['start']['searches']} searches over HTTP; first without the start-up "
            "caches (the store's snapshot, the index's opened file), then with them:",
            "",
            "| scale | start s (CPU s) without | RSS MB | start s (CPU s) with | RSS MB |",
            "|---|---|---|---|---|",
            *(
                f"| {s['scale']}x | {a['start_s']} ({a['start_cpu_s']}) | {a['rss_mb']} "
                f"| {b['start_s']} ({b['start_cpu_s']}) | {b['rss_mb']} |"
                for s in out["scales"]
                for a, b in [(s["start"]["from_json"], s["start"]["from_snapshot"])]
            ),
            "",
            f"- at {top['scale']}x: start {top['start']['from_snapshot']['start_s']} s "
            "(target at 100x: <= 3 s), RSS "
            f"{top['start']['from_snapshot']['rss_mb']} MB (target at 100x: <= 250 MB)",
            "",
            f"- search p50 at {top['scale']}x / at 1x: {growth:.1f} (target at 1000x: < 5)",
            f"- index build at {top['scale']}x: {top['passages_per_s']} passages/s, "
            f"{top['documents_per_s']} documents/s (target at 1000x: >= 1000 passages/s)",
            "",
        ]
    if "search_fts5" in out:
        lines += search_lines(out["search_fts5"])
    lines.append("<!-- raw: " + json.dumps(out) + " -->")
    previous = path.read_text() if path.exists() else ""
    notes = previous.split("<!-- notes -->", 1)[1] if "<!-- notes -->" in previous else ""
    path.write_text("\n".join(lines) + "\n\n<!-- notes -->" + notes)


def options() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="\n\n".join(__doc__.split("\n\n")[:3]),
        epilog="Writes its results to --out; bench/RESULTS.md only when named.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="short loads; scales 1x and 10x")
    parser.add_argument("--seconds", type=float, default=None, help="length of one load round")
    parser.add_argument("--rounds", type=int, default=None, help="load rounds per target")
    parser.add_argument("--connections", type=int, default=2, help="concurrent connections")
    parser.add_argument("--scales", default=None, help="comma-separated, e.g. 10,100,1000")
    parser.add_argument("--no-http", action="store_true", help="skip the server runs")
    parser.add_argument(
        "--search-connections",
        type=int,
        default=8,
        help="connections for the search comparison with FTS5 (default 8)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("bench-results.md"),
        help="where to write the results (default: bench-results.md in the current folder)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = options().parse_args(argv)
    args.seconds = args.seconds or (3.0 if args.quick else 6.0)
    args.rounds = args.rounds or (1 if args.quick else 3)
    scales = args.scales or ("10" if args.quick else "10,100,1000")
    args.scales = [int(s) for s in scales.split(",") if s]
    info = machine()
    print(f"machine: {info}; load generator: {tool()}", flush=True)
    out: dict[str, Any] = {
        "connections": args.connections,
        "rounds": args.rounds,
        "seconds": args.seconds,
    }
    with tempfile.TemporaryDirectory(prefix="crisisgraph-bench-") as tmp:
        if not args.no_http:
            bench_http(args, Path(tmp), out)
        bench_scales(args, Path(tmp), out)
        if not args.no_http:
            bench_search(args, Path(tmp), out)
    command = f"{python_shown()} -m bench " + " ".join(sys.argv[1:] if argv is None else argv)
    write_results(args.out, command.strip(), info, out)
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
