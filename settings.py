"""All settings, from environment variables with defaults (Starlette's Config)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from starlette.config import Config

from data.loader import DEFAULT_DATA_DIR
from schema.budget import TIME_BUDGET
from schema.limits import MAX_NODES

config = Config()  # reads os.environ; no .env file


def data_dir_from_env() -> Path:
    return Path(config("CRISISGRAPH_DATA_DIR", default=str(DEFAULT_DATA_DIR))).expanduser()


def cache_dir() -> Path:
    base = config("XDG_CACHE_HOME", default=str(Path.home() / ".cache"))
    return Path(base).expanduser() / "crisisgraph"


def default_index_dir() -> Path:
    # Derived data, outside the source tree, and in the user's own cache rather than a
    # world-writable /tmp: Whoosh unpickles what it finds in an index folder.
    return cache_dir() / "index"


# Persisted queries, and the example operations GraphiQL offers: one `.graphql` file each.
DEFAULT_QUERIES_DIR = Path(__file__).resolve().parent / "queries"


def default_assets_dir() -> Path:
    # Third-party builds are installed here by `python -m server assets`, never committed.
    return cache_dir() / "graphiql"


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
    time_budget: float = TIME_BUDGET  # seconds one GraphQL operation may run
    max_nodes: int = MAX_NODES  # estimated objects one response may hold

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
            time_budget=config("CRISISGRAPH_TIME_BUDGET", cast=float, default=TIME_BUDGET),
            max_nodes=config("CRISISGRAPH_MAX_NODES", cast=int, default=MAX_NODES),
        )
