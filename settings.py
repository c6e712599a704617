"""All settings, from environment variables with defaults (Starlette's Config)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from starlette.config import Config

# A leaf: this module imports nothing of the project, so `python -m data validate` or a tool
# that only needs a default never loads the schema. Packages read their defaults from here.

config = Config()  # reads os.environ; no .env file

ROOT = Path(__file__).resolve().parent

# The curated store shipped with the code: one folder per crisis (data/README.md).
DEFAULT_DATA_DIR = ROOT / "data" / "crises"
# Persisted queries, and the example operations GraphiQL offers: one `.graphql` file each.
DEFAULT_QUERIES_DIR = ROOT / "queries"

MAX_BODY_BYTES = 100_000  # a request body (web/middleware.py refuses larger with 413)

# -- What one GraphQL document may hold (schema/limits.py refuses the rest) ---------------
MAX_TOKENS = 5_000
MAX_DEPTH = 12
MAX_ALIASES = 50
# Fields in a document, fragments counted once: graphql-core's overlapping-fields rule
# compares fields pairwise, and 2,000 of them (10 KB of `slug slug ...`) took 0.4 s.
MAX_FIELDS = 250  # GraphiQL's introspection query has about 70
# Every argument value: names, filters, measures, IDs, cursors, dates, a search (whose own
# limit, SEARCH_MAX_CHARS, is the same 500).
MAX_INPUT_CHARS = 500
MAX_INPUT_ITEMS = 100  # `nodes(ids:)` takes 100; enum lists hold fewer
MAX_INPUT_DEPTH = 4  # an input object holding a list is 2 deep

# -- Pages of a connection (resolvers/pages.py) -------------------------------------------
MAX_PAGE = 100  # items a page of any connection may hold, and IDs one `nodes` call
DEFAULT_PAGE = 20
# Characters: a bound on what a client's cursor makes us decode, and no longer than the
# longest string argument (MAX_INPUT_CHARS). The longest cursor the Mali store yields is
# under 200; tests/resolvers/test_input_properties.py checks every one fits with room to spare.
MAX_CURSOR = 500

# -- Search (index/query.py, index/search.py) ----------------------------------------------
SEARCH_MAX_CHARS = 500  # characters in one query
SEARCH_MAX_CLAUSES = 32  # words and phrases in one query
SEARCH_MAX_DEPTH = 8  # brackets nested
SEARCH_MIN_PREFIX = 3  # letters before a `*`
SEARCH_SECONDS = 2.0  # per query, all fallbacks included
SEARCH_MAX_LIMIT = 1000  # hits one call may return

# -- Admission (schema/admission.py, schema/__init__.py) -----------------------------------
# Values a cheap operation may build on the event loop (some 20 ms of work) before it is
# moved to a worker thread.
INLINE_VALUES = 20_000
NEW_DOCUMENT_WAIT = 1.0  # seconds a new document may wait for the one thread that checks them
EXPENSIVE_WAIT = 1.0  # seconds an expensive operation may wait for a slot
OVERLOADED_RETRY = 1.0  # seconds a refused client is told to wait: the work ahead of it
MAX_CLIENTS = 50_000  # budgets remembered at once: ~200 bytes each, about 10 MB in all


@dataclass(frozen=True)
class Limits:
    """What one request, and one client, may cost; README "Limits" says how each is used.

    Costs are in points: about one per object or value a response holds, more for what
    takes more work (a search, its highlights and facets); a point is about a microsecond
    of the server's work. See schema/cost.py.
    """

    time_budget: float = 2.0  # seconds one operation may run, parsing included
    max_cost: int = 500_000  # points one operation may cost (about 0.5 s), before it runs
    cheap_cost: int = 2_000  # below this an operation is cheap: it never waits for a slot
    expensive_slots: int = 2  # operations at or above cheap_cost running at once
    max_response_bytes: int = 4_000_000  # the largest JSON response the server builds
    document_cache_bytes: int = 16_000_000  # validated documents kept, by estimated size
    rate_limit: int = 5_000_000  # points each client may spend per window; 0 turns it off
    rate_window: float = 60.0  # seconds
    # Addresses (or networks, "10.0.0.0/8") of proxies whose X-Forwarded-For is believed.
    trusted_proxies: tuple[str, ...] = ()

    @classmethod
    def from_env(cls) -> Limits:
        default = cls()
        proxies = config("CRISISGRAPH_TRUSTED_PROXIES", default="")
        return cls(
            time_budget=config("CRISISGRAPH_TIME_BUDGET", cast=float, default=default.time_budget),
            max_cost=config("CRISISGRAPH_MAX_COST", cast=int, default=default.max_cost),
            cheap_cost=config("CRISISGRAPH_CHEAP_COST", cast=int, default=default.cheap_cost),
            expensive_slots=config(
                "CRISISGRAPH_EXPENSIVE_SLOTS", cast=int, default=default.expensive_slots
            ),
            max_response_bytes=config(
                "CRISISGRAPH_MAX_RESPONSE_BYTES", cast=int, default=default.max_response_bytes
            ),
            document_cache_bytes=config(
                "CRISISGRAPH_DOCUMENT_CACHE_BYTES", cast=int, default=default.document_cache_bytes
            ),
            rate_limit=config("CRISISGRAPH_RATE_LIMIT", cast=int, default=default.rate_limit),
            rate_window=config("CRISISGRAPH_RATE_WINDOW", cast=float, default=default.rate_window),
            trusted_proxies=tuple(p.strip() for p in proxies.split(",") if p.strip()),
        )


def data_dir_from_env() -> Path:
    return Path(config("CRISISGRAPH_DATA_DIR", default=str(DEFAULT_DATA_DIR))).expanduser()


def cache_dir() -> Path:
    base = config("XDG_CACHE_HOME", default=str(Path.home() / ".cache"))
    return Path(base).expanduser() / "crisisgraph"


def default_index_dir() -> Path:
    # Derived data, outside the source tree, and in the user's own cache rather than a
    # world-writable /tmp: Whoosh unpickles what it finds in an index folder.
    return cache_dir() / "index"


def default_assets_dir() -> Path:
    # Third-party builds are installed here by `python -m server assets`, never committed.
    return cache_dir() / "graphiql"


@dataclass(frozen=True)
class Serving:
    """How `python server.py` serves: worker processes, connection limits, metrics.
    README "Serving many" says how each is used; deploy/ puts replicas behind nginx."""

    workers: int = 0  # worker processes; 0: one per core
    keep_alive: int = 5  # seconds an idle keep-alive connection stays open
    max_connections: int = 1000  # open connections per worker; past it, 503
    graceful_timeout: int = 30  # seconds in-flight requests get to finish on SIGTERM
    metrics: bool = True  # serve Prometheus metrics
    metrics_port: int = 0  # 0: at /metrics on the API's port; else on this port alone
    metrics_host: str = "127.0.0.1"  # where the separate metrics port listens
    access_log: bool = True  # one JSON line per request on standard error

    @classmethod
    def from_env(cls) -> Serving:
        d = cls()
        return cls(
            workers=config("CRISISGRAPH_WORKERS", cast=int, default=d.workers),
            keep_alive=config("CRISISGRAPH_KEEP_ALIVE", cast=int, default=d.keep_alive),
            max_connections=config(
                "CRISISGRAPH_MAX_CONNECTIONS", cast=int, default=d.max_connections
            ),
            graceful_timeout=config(
                "CRISISGRAPH_GRACEFUL_TIMEOUT", cast=int, default=d.graceful_timeout
            ),
            metrics=config("CRISISGRAPH_METRICS", cast=bool, default=d.metrics),
            metrics_port=config("CRISISGRAPH_METRICS_PORT", cast=int, default=d.metrics_port),
            metrics_host=config("CRISISGRAPH_METRICS_HOST", default=d.metrics_host),
            access_log=config("CRISISGRAPH_ACCESS_LOG", cast=bool, default=d.access_log),
        )


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    index_dir: Path
    debug: bool
    introspection: bool
    cache_control: str
    cors_origins: tuple[str, ...]
    assets_dir: Path = field(default_factory=default_assets_dir)
    queries_dir: Path = DEFAULT_QUERIES_DIR
    limits: Limits = field(default_factory=Limits)
    serving: Serving = field(default_factory=Serving)

    @classmethod
    def from_env(cls) -> Settings:
        origins = config("CRISISGRAPH_CORS_ORIGINS", default="*")
        return cls(
            data_dir=data_dir_from_env(),
            index_dir=Path(
                config("CRISISGRAPH_INDEX_DIR", default=str(default_index_dir()))
            ).expanduser(),
            debug=config("CRISISGRAPH_DEBUG", cast=bool, default=False),
            introspection=config("CRISISGRAPH_INTROSPECTION", cast=bool, default=True),
            cache_control=config("CRISISGRAPH_CACHE_CONTROL", default="public, max-age=300"),
            cors_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
            queries_dir=Path(
                config("CRISISGRAPH_QUERIES_DIR", default=str(DEFAULT_QUERIES_DIR))
            ).expanduser(),
            assets_dir=Path(
                config("CRISISGRAPH_ASSETS_DIR", default=str(default_assets_dir()))
            ).expanduser(),
            limits=Limits.from_env(),
            serving=Serving.from_env(),
        )
