"""The build analyses documents in this process or in a second one: the same snapshot
either way, and a failure in either leaves no temporary folder and no process behind."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import index.build
from data.repository import Repository
from index.build import build_index, build_processes
from index.documents import document_counts, documents
from index.layout import TEMP_PREFIX, IndexDir
from index.spelling import VOCABULARY_FILE
from index.writer import NewIndexWriter
from tests.index.contents import index_contents

ROOT = Path(__file__).resolve().parents[2]


def _contents(index_dir: Path) -> dict[str, Any]:
    snapshot = IndexDir(index_dir).current()
    assert snapshot is not None
    vocabulary = (snapshot / VOCABULARY_FILE).read_text(encoding="utf-8")
    return index_contents(snapshot) | {"vocabulary": vocabulary}


def test_one_process_or_two_build_the_same_snapshot(mali_repo: Repository, tmp_path: Path) -> None:
    # Compared decoded: the bytes of a block differ where one process shares a value's
    # bytes object between postings and the other received two copies (pickle's memo).
    build_index(mali_repo, tmp_path / "one", processes=1)
    build_index(mali_repo, tmp_path / "two", processes=2)
    one, two = _contents(tmp_path / "one"), _contents(tmp_path / "two")
    assert len(one) > 1000
    assert len(one["stored"]) == len(one["meta"]) == sum(document_counts(mali_repo).values())
    assert one == two
    assert not multiprocessing.active_children()


def _no_build_left(index_dir: Path) -> None:
    assert not [p for p in index_dir.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("processes", [1, 2])
def test_a_failure_while_analysing_leaves_nothing_behind(
    small_repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, processes: int
) -> None:
    def broken(repo: Repository) -> Iterator[dict[str, Any]]:
        yield from list(documents(repo))[:100]
        raise RuntimeError("a record the index cannot read")

    monkeypatch.setattr(index.build, "documents", broken)
    with pytest.raises(RuntimeError, match="a record the index cannot read"):
        build_index(small_repo, tmp_path, processes=processes)
    _no_build_left(tmp_path)


def test_an_analysing_process_that_dies_fails_the_build(
    small_repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(repo: Repository) -> Iterator[dict[str, Any]]:
        yield from list(documents(repo))[:100]
        os._exit(9)  # as the kernel's OOM killer would end it: no message, no clean-up

    monkeypatch.setattr(index.build, "documents", killed)
    with pytest.raises(RuntimeError, match=r"ended early \(exit code 9\)"):
        build_index(small_repo, tmp_path, processes=2)
    _no_build_left(tmp_path)


def test_a_failure_while_writing_stops_the_analysing_process(
    small_repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_write(self: Any, document: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(NewIndexWriter, "add_analysed", failing_write)
    with pytest.raises(OSError, match="disk full"):
        build_index(small_repo, tmp_path, processes=2)
    _no_build_left(tmp_path)


def test_two_processes_only_with_two_cpus_and_one_thread() -> None:
    one_cpu = subprocess.run(
        [sys.executable, "-c", "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))});"
         "from index.build import build_processes; print(build_processes())"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert one_cpu.stdout.strip() == "1"
    if len(os.sched_getaffinity(0)) >= 2 and threading.active_count() == 1:
        assert build_processes() == 2
    running = threading.Event()
    thread = threading.Thread(target=running.wait)
    thread.start()
    try:
        assert build_processes() == 1
    finally:
        running.set()
        thread.join()
