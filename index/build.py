"""Build an index from the store: written into a temporary directory beside the
live one, then published with one atomic rename (Moin's indexing middleware
does the same). Never imported by request code.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import whoosh.index
from tqdm import tqdm  # type: ignore[import-untyped]  # no stubs in the pinned deps

from data.repository import Repository, collector_paused
from index.documents import document_counts, documents
from index.layout import INUSE_FILE, IndexDir, SnapshotInfo
from index.schema import FORMAT, build_schema
from index.spelling import write_vocabulary
from index.writer import NewIndexWriter


@dataclass(frozen=True)
class BuildReport:
    snapshot: Path
    counts: dict[str, int]  # documents per kind
    seconds: float

    @property
    def documents(self) -> int:
        return sum(self.counts.values())


def build_index(repo: Repository, index_dir: Path, *, progress: bool = False) -> BuildReport:
    """Build and publish a new snapshot, waiting for any other builder to finish first."""
    layout = IndexDir(index_dir)
    layout.prepare()
    with layout.build_lock():
        return build_locked(repo, layout, progress=progress)


def build_locked(repo: Repository, layout: IndexDir, *, progress: bool = False) -> BuildReport:
    """Build and publish; the caller holds layout.build_lock().

    One process: analysing in a forked second one while this one writes measured slower
    on this 2-core machine (bench/build.py), the postings cost more to send than to make.
    """
    started = time.perf_counter()
    counts = document_counts(repo)
    total = sum(counts.values())
    build_dir = layout.new_build_dir()
    try:
        frequencies: Counter[str] = Counter()  # the spelling vocabulary, by documents
        index = whoosh.index.create_in(str(build_dir), build_schema())
        writer = NewIndexWriter(index)
        try:
            # The build makes no garbage cycles worth collecting, and each full collection
            # walks the store and every posting gathered so far: a fifth of a build at 100x.
            with collector_paused():
                with tqdm(
                    total=total, disable=not progress, unit="doc", desc="indexing", leave=False
                ) as bar:
                    for fields in documents(repo):
                        frequencies.update(fields.pop("spelling", ()))
                        writer.add_document(**fields)
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
