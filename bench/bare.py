"""The search baseline: Whoosh alone, in-process, on the index the server uses.

What index/search.py does at its core, with nothing of ours around it: parse the words
over the scored text fields (all required), rank with BM25F, take the top 10, highlight
each hit's body. No planner, alias expansion, spelling, filters, facets or HTTP.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import whoosh.index
from whoosh import highlight, qparser, scoring

from index.layout import IndexDir
from index.schema import TEXT_FIELDS

FRAGMENTER = highlight.ContextFragmenter(maxchars=240, surround=60)


class BareSearch:
    def __init__(self, index_dir: Path) -> None:
        snapshot = IndexDir(index_dir).current()
        if snapshot is None:
            raise FileNotFoundError(f"no index in {index_dir}")
        self.index = whoosh.index.open_dir(str(snapshot))
        self.searcher = self.index.searcher(weighting=scoring.BM25F())
        self.parser = qparser.MultifieldParser(list(TEXT_FIELDS), self.index.schema)

    def search(self, text: str) -> tuple[int, list[tuple[float, str]]]:
        results = self.searcher.search(self.parser.parse(text), limit=10, terms=True)
        results.fragmenter = FRAGMENTER
        results.formatter = highlight.HtmlFormatter()
        hits = [(hit.score, hit.highlights("body")) for hit in results]
        return len(results), hits

    def close(self) -> None:
        self.searcher.close()


def measure(index_dir: Path, text: str, seconds: float) -> dict[str, Any]:
    """Call the bare search in a loop for `seconds`: calls/s, p50 and p99 in ms."""
    bare = BareSearch(index_dir)
    try:
        for _ in range(5):
            bare.search(text)  # warm the caches, as the server's are warm
        times: list[float] = []
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            bare.search(text)
            times.append(time.perf_counter() - started)
    finally:
        bare.close()
    times.sort()
    return {
        "rps": len(times) / sum(times),
        "p50_ms": times[len(times) // 2] * 1000,
        "p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))] * 1000,
        "calls": len(times),
    }
