"""One scale point, in a process of its own (so its RSS is its own): load a store, build
its index, open it as the server does, time a fixed mix of searches. Prints one JSON line.

    python -m bench.probe DATA_DIR INDEX_DIR [--loader-fix]

--loader-fix: data/loader.py checks each quote with `re.finditer(re.escape(quote), ...)`,
which compiles one regular expression per quote (Python's cache holds 512): 95% of the
load time, about 1 s per crisis folder, 16 minutes at 1000x. The flag swaps that one call
for the same non-overlapping literal search done with str.find, in this process only, so
the scale runs fit in minutes; the load time is reported either way.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
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


class _Literal(str):
    """What `re.escape` returns under --loader-fix: the quote itself, marked literal."""


class _Match:
    __slots__ = ("_start",)

    def __init__(self, start: int) -> None:
        self._start = start

    def start(self) -> int:
        return self._start


def _finditer(pattern: str, text: str) -> Iterator[_Match]:
    assert isinstance(pattern, _Literal)
    start = text.find(pattern)
    while start >= 0:
        yield _Match(start)
        start = text.find(pattern, start + len(pattern))  # non-overlapping, as re does


def apply_loader_fix() -> None:
    import data.loader

    data.loader.re = SimpleNamespace(escape=_Literal, finditer=_finditer)  # type: ignore[attr-defined,assignment]


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
    if "--loader-fix" in argv:
        apply_loader_fix()
    paths = [a for a in argv if not a.startswith("--")]
    print(json.dumps(probe(Path(paths[0]), Path(paths[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
