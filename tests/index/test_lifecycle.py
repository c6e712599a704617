"""The index's life: built once, reopened while current, rebuilt when stale or
damaged, published atomically, and safe with several processes at once."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import index.build
from data.loader import load_store
from data.repository import Repository
from index.__main__ import main
from index.build import build_index
from index.layout import CURRENT, INFO_FILE, SNAPSHOT_PREFIX, TEMP_PREFIX
from index.lifecycle import ensure_index, index_status
from index.search import SearchIndex
from tests.index.conftest import FIXTURE_STORE

ROOT = Path(__file__).resolve().parents[2]


def snapshots(index_dir: Path) -> list[Path]:
    return sorted(p for p in index_dir.iterdir() if p.name.startswith(SNAPSHOT_PREFIX))


def serves(search_index: SearchIndex) -> bool:
    return search_index.search("IBK").hits[0].key == ("mali", "ibrahim-boubacar-keita")


def test_built_once_then_reopened(small_repo: Repository, tmp_path: Path) -> None:
    first = ensure_index(small_repo, tmp_path)
    second = ensure_index(small_repo, tmp_path)
    assert first.location == second.location
    assert snapshots(tmp_path) == [first.location]
    assert first.info.digest == small_repo.digest
    assert serves(second)


def test_a_store_with_another_digest_triggers_a_rebuild(
    small_repo: Repository, tmp_path: Path
) -> None:
    old = ensure_index(small_repo, tmp_path)
    changed = Repository(load_store(FIXTURE_STORE), digest="a-newer-store")
    assert not index_status(tmp_path, changed.digest).current
    new = ensure_index(changed, tmp_path)
    assert new.location != old.location
    assert new.info.digest == "a-newer-store"
    assert index_status(tmp_path, changed.digest).current
    # The old snapshot stays while a SearchIndex still serves it, and goes once released.
    assert old.location.exists() and serves(old)
    old.close()
    build_index(changed, tmp_path)
    assert len(snapshots(tmp_path)) == 2  # `new` still holds its own


def _garble_whoosh_files(snapshot: Path) -> None:
    for path in snapshot.iterdir():
        if path.suffix in (".seg", ".toc"):
            path.write_bytes(b"\x00garbage" * 100)


def _truncate_segment(snapshot: Path) -> None:
    (segment,) = snapshot.glob("*.seg")
    segment.write_bytes(segment.read_bytes()[: segment.stat().st_size // 2])


def _delete_toc(snapshot: Path) -> None:
    for toc in snapshot.glob("*.toc"):
        toc.unlink()


def _garble_build_record(snapshot: Path) -> None:
    (snapshot / INFO_FILE).write_text("{not json", encoding="utf-8")


def _delete_snapshot(snapshot: Path) -> None:
    for path in snapshot.iterdir():
        path.unlink()
    snapshot.rmdir()


@pytest.mark.parametrize(
    "damage",
    [_garble_whoosh_files, _truncate_segment, _delete_toc, _garble_build_record, _delete_snapshot],
)
def test_a_damaged_index_is_rebuilt_not_served(
    small_repo: Repository, tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    built = ensure_index(small_repo, tmp_path)
    damaged = built.location
    built.close()
    damage(damaged)
    assert not index_status(tmp_path, small_repo.digest).current
    rebuilt = ensure_index(small_repo, tmp_path)
    assert rebuilt.location != damaged
    assert serves(rebuilt)
    assert index_status(tmp_path, small_repo.digest).current


def test_a_foreign_current_entry_is_replaced(small_repo: Repository, tmp_path: Path) -> None:
    (tmp_path / CURRENT).mkdir()
    (tmp_path / CURRENT / "junk").write_text("not an index", encoding="utf-8")
    assert serves(ensure_index(small_repo, tmp_path))
    assert (tmp_path / CURRENT).is_symlink()


def test_a_failed_build_leaves_the_current_index_in_place(
    small_repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = ensure_index(small_repo, tmp_path)

    def broken(repo: Repository) -> object:
        yield {"uid": "x", "kind": "passage"}
        raise RuntimeError("disk full")

    monkeypatch.setattr(index.build, "documents", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        build_index(small_repo, tmp_path)
    assert served.location == (tmp_path / CURRENT).resolve()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert serves(ensure_index(small_repo, tmp_path))


def test_a_search_index_moves_to_a_new_snapshot_of_its_store_only(
    small_repo: Repository, tmp_path: Path
) -> None:
    served = ensure_index(small_repo, tmp_path)
    first = served.location
    build_index(small_repo, tmp_path)  # same store: e.g. `python -m index build`
    assert served.location != first and serves(served)
    second = served.location
    other = Repository(load_store(FIXTURE_STORE), digest="another-store")
    build_index(other, tmp_path)
    assert served.location == second and second.exists()  # kept: still served here
    assert serves(served)


_WORKER = """
import logging, sys
from pathlib import Path
from data.repository import Repository
from index.lifecycle import ensure_index
logging.basicConfig(level=logging.INFO, stream=sys.stderr)
repo = Repository.load(Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()  # released together with the other worker
index = ensure_index(repo, Path(sys.argv[2]))
print(index.location, index.search("IBK").total, flush=True)
"""


def test_processes_starting_at_once_build_one_index(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(FIXTURE_STORE), str(index_dir)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline() == "ready\n"
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    results = [worker.communicate(timeout=120) for worker in workers]
    assert [w.returncode for w in workers] == [0, 0], [err for _, err in results]
    outputs = {out.strip() for out, _ in results}
    assert len(outputs) == 1  # same snapshot, same answer
    assert sum(err.count("index built") for _, err in results) == 1
    assert len(snapshots(index_dir)) == 1


def test_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CRISISGRAPH_DATA_DIR", str(FIXTURE_STORE))
    monkeypatch.setenv("CRISISGRAPH_INDEX_DIR", str(tmp_path))
    assert main(["check"]) == 1
    assert "no index" in capsys.readouterr().err
    assert main(["build", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "indexed 41 documents" in out
    assert "  passage         11\n" in out
    assert main(["check"]) == 0
    assert capsys.readouterr().out.startswith("current: 41 documents")
    monkeypatch.setenv("CRISISGRAPH_DATA_DIR", str(tmp_path / "nowhere"))
    assert main(["check"]) == 1
