"""All settings, from environment variables with defaults (Starlette's Config)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from starlette.config import Config

from data.loader import DEFAULT_DATA_DIR

config = Config()  # reads os.environ; no .env file


def data_dir_from_env() -> Path:
    return Path(config("CRISISGRAPH_DATA_DIR", default=str(DEFAULT_DATA_DIR))).expanduser()


def default_index_dir() -> Path:
    # Outside the source tree: the index is derived data, rebuilt when the store changes.
    return Path(tempfile.gettempdir()) / "crisisgraph-index"


# Persisted queries, and the example operations GraphiQL offers: one `.graphql` file each.
DEFAULT_QUERIES_DIR = Path(__file__).resolve().parent / "queries"


def default_assets_dir() -> Path:
    # Third-party builds are installed here by `python -m server assets`, never committed.
    return Path.home() / ".cache" / "crisisgraph" / "graphiql"


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
        )
