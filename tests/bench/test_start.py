"""bench/start.py starts the real server twice on a store whose index is built: without
the start-up caches, which that start saves, then with them."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench import start
from bench.probe import SEARCHES
from data.repository import Repository
from data.snapshot import SNAPSHOT_DIR
from index.build import build_index
from index.layout import IndexDir
from index.opened import OPENED_FILE
from tests.index.conftest import FIXTURE_STORE


def test_two_starts_one_without_the_caches_one_with_them(tmp_path: Path) -> None:
    store, index_dir = tmp_path / "store", tmp_path / "index"
    shutil.copytree(FIXTURE_STORE, store)
    build_index(Repository.load(store), index_dir)
    (index_dir / SNAPSHOT_DIR).mkdir()
    (index_dir / SNAPSHOT_DIR / "stale.msgpack").write_bytes(b"from an earlier run")
    result = start.measure(store, index_dir)
    assert result["searches"] == start.SEARCH_ROUNDS * len(SEARCHES)
    for run in ("from_json", "from_snapshot"):
        assert result[run]["start_cpu_s"] > 0 and 0 < result[run]["start_s"] < 120
        assert 0 < result[run]["rss_ready_mb"] <= result[run]["rss_mb"]
    # The first start removed what it found and saved both caches for the second.
    (saved,) = (index_dir / SNAPSHOT_DIR).iterdir()
    assert saved.suffix == ".msgpack" and saved.name != "stale.msgpack"
    current = IndexDir(index_dir).current()
    assert current is not None and (current / OPENED_FILE).exists()
