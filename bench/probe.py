"""One scale point, in a process of its own (so its RSS is its own): load a store, build
its index, open it as the server does, time a fixed mix of searches. Prints one JSON line.

    python -m bench.probe DATA_DIR INDEX_DIR
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

SEARCHES = [
    "peace agreement",
    "refugees",
    "humanitarian",
    "MINUSMA",
    "Timbuktu",
    "coup",
    '"human rights"',
    "Keita election",
]
ROUNDS = 15  # every search of the mix, this many times


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process, in MB."""
    current = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            current = int(line.split()[1]) / 1024
    return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def probe(data_dir: Path, index_dir: Path) -> dict[str, Any]:
    from data.repository import Repository
    from index.build import build_index
    from index.search import SearchIndex

    started = time.perf_counter()
    repo = Repository.load(data_dir)
    load_s = time.perf_counter() - started
    report = build_index(repo, index_dir)
    built = time.perf_counter()
    index = SearchIndex(index_dir, digest=repo.digest)
    open_s = time.perf_counter() - built
    times: list[float] = []
    for text in SEARCHES:
        index.search(text, limit=10)  # warm
    for _ in range(ROUNDS):
        for text in SEARCHES:
            t = time.perf_counter()
            index.search(text, limit=10)
            times.append(time.perf_counter() - t)
    times.sort()
    current, peak = rss_mb()
    passages = report.counts["passage"]
    return {
        "crises": len(repo.crises),
        "passages": passages,
        "documents": report.documents,
        "load_s": round(load_s, 2),
        "build_s": round(report.seconds, 2),
        "passages_per_s": round(passages / report.seconds, 1),
        "documents_per_s": round(report.documents / report.seconds, 1),
        "index_mb": round(dir_mb(report.snapshot), 1),
        "open_s": round(open_s, 3),
        "search_p50_ms": round(times[len(times) // 2] * 1000, 2),
        "search_p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))] * 1000, 2),
        "rss_mb": round(current, 1),
        "peak_rss_mb": round(peak, 1),
    }


def main(argv: list[str]) -> int:
    print(json.dumps(probe(Path(argv[0]), Path(argv[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
