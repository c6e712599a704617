"""Our search against the FTS5 baseline (bench/fts5.py), at several scales, in one run.

    .venv/bin/python -m bench.search_mix --scales 1,100 [--before DIR] [--out FILE]

For each scale: builds the FTS5 database, starts our server (and, with --before, the same
server from another checkout, e.g. a worktree of main, to measure before and after in the
same run) and the FTS5 app under uvicorn, then drives each with wrk, 8 connections, rounds
interleaved target by target, on three workloads:

- `mix`: a different one- or two-word query for every request (words of the Mali
  passages, fixed seed), so that no cache of answers carries the figure;
- the fixed queries `refugees` and `peace agreement`.

Ours answers bench/queries.py's SEARCH (top 10, highlights, all four facets); FTS5 the
same page with snippet() and GROUP BY facets. In-process, the two search calls alone are
timed on the mix, interleaved query by query.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench import synth
from bench.fts5 import Fts5Search, build
from bench.load import LoadResult, _percentiles, run_wrk, server
from bench.queries import SEARCH

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FIXED = ("refugees", "peace agreement")
_WORD = re.compile(r"[a-z]{4,}")
_COMMON = frozenset(
    [
        "that",
        "with",
        "from",
        "were",
        "have",
        "this",
        "their",
        "they",
        "which",
        "been",
        "also",
        "after",
        "about",
        "into",
        "other",
        "there",
        "would",
        "them",
        "than",
        "more",
        "when",
        "these",
        "over",
        "under",
        "some",
        "such",
        "only",
        "most",
        "said",
        "while",
    ]
)

_MIX_SCRIPT = """
local bodies = {}
for line in io.lines(os.getenv("BENCH_BODIES")) do bodies[#bodies + 1] = line end
local i = 0
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT {\\"requests\\":%d,\\"us\\":%d,\\"p50\\":%d,\\"p99\\":%d,\\"failures\\":%d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def mix(count: int, seed: int = 13) -> list[str]:
    """One- and two-word queries from the Mali passages: common-ish words, and pairs of
    words from one passage (so that both words usually match together)."""
    from data.repository import Repository
    from settings import DEFAULT_DATA_DIR

    passages = [p.text.lower() for p in Repository.load(DEFAULT_DATA_DIR).passage_list]
    counts = Counter(w for text in passages for w in set(_WORD.findall(text)))
    words = sorted(w for w, n in counts.items() if n >= 2 and w not in _COMMON)
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        if rng.random() < 0.5:
            out.append(rng.choice(words))
        else:
            text = rng.choice(passages)
            pair = [w for w in dict.fromkeys(_WORD.findall(text)) if w not in _COMMON]
            if len(pair) >= 2:
                out.append(" ".join(rng.sample(pair, 2)))
    return out


def load(
    port: int, path: str, bodies: list[dict[str, Any]], seconds: float, conns: int
) -> LoadResult:
    payload = "\n".join(json.dumps(b) for b in bodies) + "\n"
    return run_wrk(_MIX_SCRIPT, "BENCH_BODIES", payload, port, path, seconds, conns)


def in_process(store: Path, index_dir: Path, db: Path, queries: list[str]) -> dict[str, Any]:
    """Both search calls alone, interleaved query by query (ours: SearchIndex.search)."""
    from data.repository import Repository
    from index.lifecycle import ensure_index
    from index.search import QueryTooExpensive

    ours = ensure_index(Repository.load(store), index_dir)
    fts = Fts5Search(db)
    times: dict[str, list[float]] = {"ours": [], "fts5": []}
    refused = 0
    for q in queries[:20]:  # warm
        with contextlib.suppress(QueryTooExpensive):
            ours.search(q, limit=10)
        fts.search(q)
    for q in queries:
        t = time.perf_counter()
        try:
            ours.search(q, limit=10)
        except QueryTooExpensive:  # over its own time limit: counted, at its cost
            refused += 1
        times["ours"].append(time.perf_counter() - t)
        t = time.perf_counter()
        fts.search(q)
        times["fts5"].append(time.perf_counter() - t)
    ours.close()
    return {
        name: {"mean_ms": statistics.mean(t) * 1000, "p50_ms": _percentiles(t)[0]}
        for name, t in times.items()
    } | {"ours_refused": refused}


def run_scale(
    scale: int, args: argparse.Namespace, work: Path, queries: list[str]
) -> dict[str, Any]:
    store = ROOT / "data" / "crises" if scale == 1 else work / f"store-{scale}"
    if scale != 1 and not store.exists():
        synth.generate(store, scale)
    db = work / f"fts-{scale}.db"
    build(store, db)
    targets = {"ours": ROOT, **({"before": args.before} if args.before else {})}
    env = {"CRISISGRAPH_DATA_DIR": str(store), "CRISISGRAPH_RATE_LIMIT": "0",
           "CRISISGRAPH_EXPENSIVE_SLOTS": str(args.connections)}  # fmt: skip
    result: dict[str, Any] = {"scale": scale, "http": {}}
    with contextlib.ExitStack() as stack:
        ports = {
            name: stack.enter_context(
                server(
                    "server:app",
                    env | {"CRISISGRAPH_INDEX_DIR": str(work / f"ix-{name}-{scale}")},
                    cwd,
                )
            )[0]
            for name, cwd in targets.items()
        }
        ports["fts5"] = stack.enter_context(server("bench.fts5:app", {"BENCH_FTS5_DB": str(db)}))[0]
        workloads = {"mix": queries, **{q: [q] for q in FIXED}}
        for workload, texts in workloads.items():
            runs: dict[str, list[LoadResult]] = {name: [] for name in ports}
            for _ in range(args.rounds):
                for name, port in ports.items():
                    if name == "fts5":
                        bodies = [{"q": q, "first": 10} for q in texts]
                        runs[name].append(
                            load(port, "/search", bodies, args.seconds, args.connections)
                        )
                    else:
                        bodies = [{"query": SEARCH, "variables": {"q": q}} for q in texts]
                        runs[name].append(
                            load(port, "/graphql", bodies, args.seconds, args.connections)
                        )
            row = {}
            for name, rs in runs.items():
                m = sorted(rs, key=lambda r: r.rps)[len(rs) // 2]
                row[name] = {
                    "rps": m.rps,
                    "p50_ms": m.p50_ms,
                    "p99_ms": m.p99_ms,
                    "failures": sum(r.failures for r in rs),
                }
            result["http"][workload] = row
            print(scale, workload, json.dumps(row), flush=True)
    result["in_process"] = in_process(
        store, work / f"ix-ours-{scale}", db, queries[: args.in_process]
    )
    print(scale, "in-process", json.dumps(result["in_process"]), flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search_mix")
    parser.add_argument("--scales", default="1,100")
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--in-process", type=int, default=300)
    parser.add_argument("--before", type=Path, default=None, help="a checkout to compare with")
    parser.add_argument("--work", type=Path, default=None, help="keep stores and indexes here")
    parser.add_argument("--out", type=Path, default=Path("search-mix.json"))
    args = parser.parse_args(argv)
    queries = mix(args.queries)
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="crisisgraph-mix-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        results = [run_scale(int(s), args, work, queries) for s in args.scales.split(",")]
    out = {
        "load_start": load_start,
        "load_end": os.getloadavg(),
        "args": vars(args)
        | {"before": str(args.before), "work": str(args.work), "out": str(args.out)},
        "scales": results,
    }
    args.out.write_text(json.dumps(out, indent=1))
    print(f"load average {load_start} -> {os.getloadavg()}; written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
