"""The snapshot of the validated store (data/snapshot.py): used when it is the store's,
never when a file changed, and never trusted when damaged.

Each test copies a real store (the Mali page, which has releases, and the two-crisis
fixture) into a temporary folder and loads it as the server does, with a cache folder of
its own; the log says which way the store was loaded.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from data import snapshot
from data.loader import StoreError
from data.repository import Repository
from data.sealed import seal
from data.snapshot import SNAPSHOT_DIR, load_repository, snapshot_path
from settings import DEFAULT_DATA_DIR

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_STORE = ROOT / "tests" / "fixtures" / "store"
FROM_SNAPSHOT = "store loaded from its snapshot"
SAVED = "store snapshot saved"
IGNORED = "ignoring the store's snapshot"
SUBPROCESS_TIMEOUT = 120  # seconds; each process loads the Mali store once or twice


@pytest.fixture
def store(tmp_path: Path) -> Path:
    folder = tmp_path / "crises"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    return folder


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "index"


def load(store: Path, cache: Path, caplog: pytest.LogCaptureFixture) -> tuple[Repository, str]:
    """The repository, and how it was loaded: "snapshot" or "json" (then saved)."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="crisisgraph.store"):
        repo = load_repository(store, cache)
    messages = [r.getMessage() for r in caplog.records]
    if any(FROM_SNAPSHOT in m for m in messages):
        return repo, "snapshot"
    assert any(SAVED in m for m in messages), messages
    return repo, "json"


def snapshots(cache: Path) -> list[Path]:
    return sorted((cache / SNAPSHOT_DIR).glob("*.msgpack"))


def edit(path: Path, change: Any) -> None:
    records = json.loads(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")


def assert_same(a: Repository, b: Repository) -> None:
    """Every attribute equal, every dict in the same order, every list in the same order."""
    assert vars(a).keys() == vars(b).keys()
    for name, value in vars(a).items():
        other = vars(b)[name]
        assert value == other, name
        if isinstance(value, dict):
            assert list(value) == list(other), f"{name}: the keys come in another order"


@pytest.mark.parametrize("source", [DEFAULT_DATA_DIR, FIXTURE_STORE], ids=["mali", "fixture"])
def test_a_store_from_its_snapshot_equals_the_store_from_json(
    source: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = tmp_path / "crises"
    shutil.copytree(source, store)
    from_json, how = load(store, tmp_path / "index", caplog)
    assert how == "json"
    from_snapshot, how = load(store, tmp_path / "index", caplog)
    assert how == "snapshot"
    assert_same(from_json, from_snapshot)
    assert_same(Repository.load(store), from_snapshot)  # as a start without a cache loads it


def test_the_mali_snapshot_keeps_its_release_history(
    store: Path, cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    load(store, cache, caplog)
    repo, how = load(store, cache, caplog)
    assert how == "snapshot"
    history = repo.histories["mali"]
    assert len(history.releases) >= 2 and history.since and history.revision
    # One release object per release, as data/releases.py builds them, not a copy per record.
    assert {id(r) for r in history.since.values()} <= {id(r) for r in history.releases}


@pytest.mark.parametrize(
    "change",
    ["edited", "added", "removed"],
)
def test_a_changed_added_or_removed_file_is_read_from_json(
    change: str, store: Path, cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    load(store, cache, caplog)
    mali = store / "mali"
    if change == "edited":
        edit(mali / "events.json", lambda events: events[0].update(description="Edited."))
    elif change == "added":
        (mali / "sources" / "notes.txt").write_text("a new file in the store\n")
    else:
        (mali / "CHANGELOG.md").unlink()
    repo, how = load(store, cache, caplog)
    assert how == "json"
    assert len(snapshots(cache)) == 1  # the old store's snapshot is removed
    if change == "edited":
        assert next(iter(repo.events.values())).description == "Edited."
    assert load(store, cache, caplog)[1] == "snapshot"


def test_a_broken_edit_is_reported_as_ever_whatever_the_snapshot(
    store: Path, cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    load(store, cache, caplog)
    edit(store / "mali" / "events.json", lambda events: events[0].update(kind="PICNIC"))
    with pytest.raises(StoreError) as raised:
        load_repository(store, cache)
    (problem,) = raised.value.problems
    assert problem.file == "mali/events.json"
    assert problem.field == "kind"
    assert problem.record is not None and "PICNIC" in problem.message


def test_new_code_does_not_read_an_older_snapshot(
    store: Path, cache: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(store, cache, caplog)
    monkeypatch.setattr(snapshot, "FORMAT", snapshot.FORMAT + 1)
    assert load(store, cache, caplog)[1] == "json"
    assert len(snapshots(cache)) == 1


@pytest.mark.parametrize("damage", ["truncated", "flipped", "garbage", "empty", "foreign"])
def test_a_damaged_snapshot_is_ignored_with_one_line_and_replaced(
    damage: str, store: Path, cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    expected, _ = load(store, cache, caplog)
    (path,) = snapshots(cache)
    blob = path.read_bytes()
    damaged = {
        "truncated": blob[: len(blob) // 2],
        "flipped": blob[:-100] + bytes([blob[-100] ^ 0xFF]) + blob[-99:],
        "garbage": b"\x93" * 1000,
        "empty": b"",
        # Right header and checksum around a payload of another shape.
        "foreign": seal(snapshot.KIND, b"\x92\x01\xa3abc"),
    }[damage]
    path.write_bytes(damaged)
    repo, how = load(store, cache, caplog)
    assert how == "json"
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and IGNORED in warnings[0].getMessage()
    assert_same(expected, repo)
    assert load(store, cache, caplog)[1] == "snapshot"


def test_a_snapshot_of_another_store_under_this_name_is_not_served(
    tmp_path: Path, store: Path, cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    other = tmp_path / "other"
    shutil.copytree(FIXTURE_STORE, other)
    load(other, cache, caplog)
    (foreign,) = snapshots(cache)
    repo = Repository.load(store)
    foreign.rename(snapshot_path(cache, repo.digest))  # as if a name collided
    loaded, how = load(store, cache, caplog)
    assert how == "json"
    assert_same(repo, loaded)


def test_a_cache_folder_that_cannot_be_written_only_costs_the_snapshot(
    store: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with caplog.at_level(logging.WARNING, logger="crisisgraph.store"):
        repo = load_repository(store, blocked)
    assert "cannot save the store's snapshot" in caplog.text
    assert_same(Repository.load(store), repo)


def test_processes_starting_at_once_leave_one_whole_snapshot(store: Path, cache: Path) -> None:
    """As `gunicorn --workers N server:app` without preloading starts N lifespans at once."""
    code = (
        "import sys; from pathlib import Path; from data.snapshot import load_repository; "
        "repo = load_repository(Path(sys.argv[1]), Path(sys.argv[2])); print(len(repo.events))"
    )
    command = [sys.executable, "-c", code, str(store), str(cache)]
    processes = [
        subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=SUBPROCESS_TIMEOUT) for p in processes]
    expected = len(Repository.load(store).events)
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err.decode()
        assert int(out) == expected
    (path,) = snapshots(cache)
    assert [p.name for p in (cache / SNAPSHOT_DIR).iterdir()] == [path.name]  # no temporary
    assert snapshot.read_snapshot(path, Repository.load(store).digest) is not None
