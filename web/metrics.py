"""Prometheus metrics, one set of numbers however many worker processes answer.

With several workers (`python server.py --workers N`), each process writes its numbers to
files in PROMETHEUS_MULTIPROC_DIR and whichever worker answers a scrape adds them up
(prometheus-client's multiprocess mode). prometheus-client chooses that mode when it is
first imported, so this module imports it only when a `Metrics` is made, after
`python server.py` has set the directory (web.workers).

Every label has a bounded set of values: routes are the app's route templates, statuses and
refusal codes are the server's own, and operation names, which clients choose, are kept
for the persisted queries and the first MAX_OPERATION_NAMES others a worker sees; the rest
count as "other". The store digest and the served snapshot, and the index's build time
and age, are read from the worker at scrape time.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:  # web/ never imports index/ or schema/ at run time (ARCHITECTURE.md)
    from prometheus_client import CollectorRegistry, Counter
    from prometheus_client.metrics_core import Metric

    from index.layout import SnapshotInfo

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
MAX_OPERATION_NAMES = 100  # distinct client-chosen names per worker; then "other"
MAX_NAME = 64  # characters of an operation name kept as a label
SECONDS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0)
POINTS = (100, 500, 1_000, 2_000, 10_000, 50_000, 100_000, 250_000, 500_000)

# What a scrape reports about the data served: (store digest, the served snapshot's
# record and folder name), or None before the worker has both.
Facts = Callable[[], "tuple[str, SnapshotInfo, str] | None"]
Cache = TypeVar("Cache")


class Metrics:
    def __init__(self, facts: Facts, persisted_names: Iterable[str] = ()) -> None:
        # Imported here, not above: see the module's docstring.
        import prometheus_client as prom

        self.multiprocess = MULTIPROCESS_DIR in os.environ
        self.facts = facts
        self.registry = prom.CollectorRegistry()
        # In multiprocess mode the numbers live in files, collected at scrape time.
        own = None if self.multiprocess else self.registry
        self.requests = prom.Counter(
            "crisisgraph_http_requests",
            "HTTP requests answered, by method, route and status",
            ["method", "route", "status"],
            registry=own,
        )
        self.request_seconds = prom.Histogram(
            "crisisgraph_http_request_duration_seconds",
            "Time to answer an HTTP request, by route",
            ["route"],
            buckets=SECONDS,
            registry=own,
        )
        self.operation_seconds = prom.Histogram(
            "crisisgraph_operation_duration_seconds",
            "Time to answer a GraphQL operation, by operation name (persisted queries by theirs)",
            ["operation"],
            buckets=SECONDS,
            registry=own,
        )
        self.operation_cost = prom.Histogram(
            "crisisgraph_operation_cost_points",
            "What GraphQL operations cost, in points (schema/cost.py)",
            buckets=POINTS,
            registry=own,
        )
        self.refusals = prom.Counter(
            "crisisgraph_refusals",
            "Operations refused, by error code (QUERY_TOO_COMPLEX, RATE_LIMITED, OVERLOADED, ...)",
            ["code"],
            registry=own,
        )
        self.search_seconds = prom.Histogram(
            "crisisgraph_search_duration_seconds",
            "Time of one full-text search in the index",
            buckets=SECONDS,
            registry=own,
        )
        self.document_cache = prom.Counter(
            "crisisgraph_document_cache_lookups",
            "Lookups in the cache of validated documents, by result (hit, miss)",
            ["result"],
            registry=own,
        )
        self._names = OperationNames(persisted_names)
        self.registry.register(DataFacts(facts))

    def operation_name(self, name: str | None) -> str:
        return self._names.label(name)

    def scrape_registry(self) -> CollectorRegistry:
        """What a scrape collects: this process's registry, or every worker's files."""
        if not self.multiprocess:
            return self.registry
        from prometheus_client import CollectorRegistry
        from prometheus_client.multiprocess import MultiProcessCollector

        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        registry.register(DataFacts(self.facts))
        return registry

    def exposition(self) -> bytes:
        from prometheus_client import generate_latest

        return generate_latest(self.scrape_registry())

    def serve_on_port(self, host: str, port: int) -> None:
        """Serve the metrics on a port of their own, from a thread of this process."""
        from prometheus_client import start_http_server

        start_http_server(port, host, registry=self.scrape_registry())

    def timed_search(self, index: Any) -> Any:
        return TimedSearch(index, self) if index is not None else None

    def counted_cache(self, cache: Cache) -> Cache:
        """`cache` (the validated-document cache), its hits and misses counted."""
        return cast(Cache, CountedLookups(cache, self.document_cache))


class OperationNames:
    """Operation names as labels, bounded: the persisted queries' names always, and the
    first MAX_OPERATION_NAMES others; the rest are "other"."""

    def __init__(self, persisted: Iterable[str]) -> None:
        self._known = {n[:MAX_NAME] for n in persisted}
        self._others: set[str] = set()
        self._lock = threading.Lock()

    def label(self, name: str | None) -> str:
        if not name:
            return "anonymous"
        name = name[:MAX_NAME]
        if name in self._known or name in self._others:
            return name
        with self._lock:
            if len(self._others) < MAX_OPERATION_NAMES:
                self._others.add(name)
                return name
        return "other"


class DataFacts:
    """The data served, read at scrape time: the store digest (as a label of an info
    metric), the snapshot served, when it was built and how long the build took."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts

    def collect(self) -> Iterator[Metric]:
        from prometheus_client.metrics_core import GaugeMetricFamily, InfoMetricFamily

        found = self.facts()
        if found is None:
            return
        digest, info, snapshot = found
        yield InfoMetricFamily(
            "crisisgraph_store",
            "The store served (its digest) and the search index snapshot",
            value={"digest": digest, "snapshot": snapshot},
        )
        yield GaugeMetricFamily(
            "crisisgraph_index_build_seconds",
            "How long building the served index snapshot took",
            value=info.seconds,
        )
        yield GaugeMetricFamily(
            "crisisgraph_index_documents", "Documents in the served snapshot", value=info.documents
        )
        built = _epoch(info.built_at)
        if built is not None:
            yield GaugeMetricFamily(
                "crisisgraph_index_snapshot_age_seconds",
                "Seconds since the served index snapshot was built",
                value=max(time.time() - built, 0.0),
            )


def _epoch(iso: str) -> float | None:
    try:
        return datetime.fromisoformat(iso).timestamp()
    except ValueError:
        return None


class TimedSearch:
    """A SearchIndex whose `search` calls are timed; everything else passes through."""

    def __init__(self, index: Any, metrics: Metrics) -> None:
        self._index = index
        self._metrics = metrics

    def __getattr__(self, name: str) -> Any:
        return getattr(self._index, name)

    def search(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return self._index.search(*args, **kwargs)
        finally:
            self._metrics.search_seconds.observe(time.perf_counter() - started)


class CountedLookups:
    """A cache whose `get` calls are counted as hits or misses; the rest passes through."""

    def __init__(self, cache: Any, lookups: Counter) -> None:
        self._cache = cache
        self._hits = lookups.labels("hit")
        self._misses = lookups.labels("miss")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cache, name)

    def __len__(self) -> int:
        return len(self._cache)

    def get(self, query: str) -> Any:
        found = self._cache.get(query)
        (self._hits if found is not None else self._misses).inc()
        return found
