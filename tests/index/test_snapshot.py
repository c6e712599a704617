"""Opening a snapshot (index/snapshot.py): what the first open saves for the next one
(index/opened.py), and Whoosh's segment files read in place rather than copied.

These reach into Whoosh's reader (whoosh-reloaded 2.7.5, pinned exactly) on purpose: if a
new version opens its segments another way, they fail here, loudly, rather than the
server quietly holding a copy of the index per thread again.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import msgspec
import pytest

from data.repository import Repository
from data.sealed import seal, unseal
from index import opened
from index.build import build_index
from index.opened import OPENED_FILE, Opened, code_version
from index.snapshot import Snapshot, _MappedFile


@pytest.fixture
def built(small_repo: Repository, tmp_path: Path) -> Path:
    return build_index(small_repo, tmp_path).snapshot


def saved_in(path: Path) -> Opened:
    return msgspec.msgpack.decode(unseal(opened.KIND, path.read_bytes()), type=Opened)


def contents(snapshot: Snapshot) -> tuple[Any, ...]:
    return (snapshot.metas, snapshot.entities_by_name, snapshot.sections, snapshot.info)


def test_the_first_open_saves_what_the_next_reads(built: Path) -> None:
    (built / OPENED_FILE).unlink(missing_ok=True)  # the build may have opened it already
    first = Snapshot.open(built)
    assert (built / OPENED_FILE).exists()
    second = Snapshot.open(built)
    assert contents(first) == contents(second)
    assert len(first.metas) == first.info.documents and first.entities_by_name
    first.close()
    second.close()


def test_an_open_serves_what_the_saved_file_says(built: Path) -> None:
    """Proof that the file is read, not the Whoosh files: an edit to it shows."""
    Snapshot.open(built).close()
    path = built / OPENED_FILE
    saved = saved_in(path)
    saved.sections = [*saved.sections, "a-section-only-the-file-has"]
    path.write_bytes(seal(opened.KIND, msgspec.msgpack.encode(saved)))
    snapshot = Snapshot.open(built)
    assert "a-section-only-the-file-has" in snapshot.sections
    snapshot.close()


@pytest.mark.parametrize("damage", ["truncated", "garbage", "other-code", "other-count"])
def test_a_bad_saved_file_is_ignored_and_made_again(
    damage: str, built: Path, caplog: pytest.LogCaptureFixture
) -> None:
    expected = Snapshot.open(built)
    path = built / OPENED_FILE
    blob = path.read_bytes()
    saved = saved_in(path)
    if damage == "other-code":
        saved.code = "made-by-other-code"
    elif damage == "other-count":
        saved.metas = saved.metas[:-1]
    bad = {
        "truncated": blob[: len(blob) // 2],
        "garbage": b"\x00" * 64,
        "other-code": seal(opened.KIND, msgspec.msgpack.encode(saved)),
        "other-count": seal(opened.KIND, msgspec.msgpack.encode(saved)),
    }[damage]
    path.write_bytes(bad)
    with caplog.at_level(logging.WARNING, logger="crisisgraph.index"):
        again = Snapshot.open(built)
    assert contents(again) == contents(expected)
    assert (damage == "other-code") == (caplog.text == "")  # other code's file: no warning
    remade = saved_in(path)
    assert remade.code == code_version() and len(remade.metas) == expected.info.documents
    expected.close()
    again.close()


def test_searchers_read_the_segment_in_place_from_one_shared_map(built: Path) -> None:
    """Whoosh's own map copied each part of the segment into a BytesIO, per searcher."""
    snapshot = Snapshot.open(built)
    seen: list[tuple[Any, type, Any]] = []

    def open_searcher() -> None:  # what each thread's searcher reads its segment through
        for segment, _ in snapshot.searcher().reader().leaf_readers():
            compound = segment._storage.a  # an OverlayStorage: the compound file first
            part = compound.open_file(next(iter(compound.list())))
            seen.append((compound._source, type(part), part._buf.obj))

    threads = [threading.Thread(target=open_searcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 2
    (whoosh_map, kind, shared), (_, _, other) = seen
    assert whoosh_map is None  # Whoosh's own map (and its copies) is not in use
    assert kind is _MappedFile
    assert shared is other  # one map for both threads
    snapshot.close()
