"""Build an index from the store: written into a temporary directory beside the
live one, then published with one atomic rename (Moin's indexing middleware
does the same). Never imported by request code.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import threading
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import whoosh.index
from tqdm import tqdm  # type: ignore[import-untyped]  # no stubs in the pinned deps

from data.repository import Repository
from index.documents import document_counts, documents
from index.layout import INUSE_FILE, IndexDir, SnapshotInfo
from index.schema import FORMAT, build_schema
from index.spelling import write_vocabulary
from index.writer import Analysed, NewIndexWriter, analyse

# Documents per message from the analysing process: large enough that a message's cost
# is spread, small enough that the writer starts at once and memory stays flat.
BATCH = 64


@dataclass(frozen=True)
class BuildReport:
    snapshot: Path
    counts: dict[str, int]  # documents per kind
    seconds: float

    @property
    def documents(self) -> int:
        return sum(self.counts.values())


def build_processes() -> int:
    """2 where a second CPU can analyse documents while this process writes them, else 1.

    The analysing process is forked (it shares the loaded store without copying it), and
    a process is forked only while it runs one thread: a fork copies no other thread, nor
    releases a lock one of them holds.
    """
    return 2 if len(os.sched_getaffinity(0)) >= 2 and threading.active_count() == 1 else 1


def build_index(
    repo: Repository, index_dir: Path, *, progress: bool = False, processes: int | None = None
) -> BuildReport:
    """Build and publish a new snapshot, waiting for any other builder to finish first."""
    layout = IndexDir(index_dir)
    layout.prepare()
    with layout.build_lock():
        return build_locked(repo, layout, progress=progress, processes=processes)


def build_locked(
    repo: Repository, layout: IndexDir, *, progress: bool = False, processes: int | None = None
) -> BuildReport:
    """Build and publish; the caller holds layout.build_lock(). `processes` (default
    build_processes()) is 1 to analyse and write in this process, 2 to analyse in another."""
    started = time.perf_counter()
    counts = document_counts(repo)
    total = sum(counts.values())
    build_dir = layout.new_build_dir()
    try:
        frequencies: Counter[str] = Counter()  # the spelling vocabulary, by documents
        index = whoosh.index.create_in(str(build_dir), build_schema())
        writer = NewIndexWriter(index)
        try:
            with (
                _without_cycle_collection(),
                tqdm(
                    total=total, disable=not progress, unit="doc", desc="indexing", leave=False
                ) as bar,
                _analysed_documents(repo, index.schema, processes or build_processes()) as stream,
            ):
                for words, document in stream:
                    frequencies.update(words)
                    writer.add_analysed(document)
                    bar.update()
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        write_vocabulary(build_dir, frequencies)
        seconds = time.perf_counter() - started
        SnapshotInfo(
            format=FORMAT,
            digest=repo.digest,
            documents=total,
            counts=counts,
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
            seconds=round(seconds, 3),
        ).write(build_dir)
        (build_dir / INUSE_FILE).touch()
        snapshot = layout.publish(build_dir)
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    layout.collect_garbage()
    return BuildReport(snapshot, counts, seconds)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while the build allocates its postings.

    Each of its full collections walks every object of the process, the loaded store and
    the million postings gathered so far included, and the build makes no garbage cycles
    worth collecting: the pauses cost a fifth of a build at 100 crises.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


Stream = Iterator[tuple[list[str], Analysed]]  # (spelling words, postings) per document


@contextmanager
def _analysed_documents(repo: Repository, schema: Any, processes: int) -> Iterator[Stream]:
    """Every document's spelling words and postings, in documents() order, analysed here
    or, with 2 processes, in a forked child that runs ahead of the writer."""
    if processes < 2:
        yield _analyse_all(repo, schema)
        return
    receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(
        target=_send_all, args=(repo, schema, sender), name="index-analysis", daemon=True
    )
    child.start()
    sender.close()
    try:
        yield _receive_all(receiver, child)
    finally:
        # Whether the build finished or failed, the child is gone when this returns. It
        # writes no file, so a failed build leaves nothing of it behind.
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()


def _analyse_all(repo: Repository, schema: Any) -> Stream:
    for fields in documents(repo):
        words = fields.pop("spelling", [])
        yield words, analyse(schema, fields)


def _send_all(repo: Repository, schema: Any, sender: Connection) -> None:
    """The child: analyse and send batches, then None; or the error, as text."""
    try:
        batch: list[tuple[list[str], Analysed]] = []
        for item in _analyse_all(repo, schema):
            batch.append(item)
            if len(batch) == BATCH:
                sender.send(batch)
                batch = []
        sender.send(batch)
        sender.send(None)
    except BaseException:
        sender.send(traceback.format_exc())
    finally:
        sender.close()


def _receive_all(receiver: Connection, child: Any) -> Stream:
    while True:
        try:
            message = receiver.recv()
        except EOFError:
            child.join()
            raise RuntimeError(
                f"the index's analysing process ended early (exit code {child.exitcode})"
            ) from None
        if message is None:
            return
        if isinstance(message, str):
            raise RuntimeError(f"analysing the documents failed in another process:\n{message}")
        yield from message
