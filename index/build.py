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
from typing import Any

import whoosh.index
from tqdm import tqdm  # type: ignore[import-untyped]  # no stubs in the pinned deps
from whoosh.writing import SegmentWriter

from data.repository import Repository
from index.documents import document_counts, documents
from index.layout import INUSE_FILE, IndexDir, SnapshotInfo
from index.schema import FORMAT, build_schema
from index.spelling import write_vocabulary

WRITER_MEMORY_MB = 256  # Whoosh spills to temporary runs beyond this
# One process: SEARCH.md measured procs=2 slower on 2 cores.


@dataclass(frozen=True)
class BuildReport:
    snapshot: Path
    counts: dict[str, int]  # documents per kind
    seconds: float

    @property
    def documents(self) -> int:
        return sum(self.counts.values())


class _Lengths:
    """A segment's per-document reader whose field lengths are read once per document.

    Whoosh's commit asks for the length of the field of every posting it writes (to
    keep per-block statistics) and reads it from the lengths column each time: a
    sixth of a build. The lengths do not change during the commit.
    """

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._lengths: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            count = self._reader.doc_count_all()
            lengths = self._lengths[fieldname] = [read(d, fieldname, 0) for d in range(count)]
        if default != 0 or not 0 <= docnum < len(lengths):
            return int(self._reader.doc_field_length(docnum, fieldname, default))
        return lengths[docnum]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


class _Writer(SegmentWriter):  # type: ignore[misc]
    """Whoosh's one-process writer, reading field lengths once per document at commit."""

    def per_document_reader(self) -> Any:
        return _Lengths(super().per_document_reader())


def build_index(repo: Repository, index_dir: Path, *, progress: bool = False) -> BuildReport:
    """Build and publish a new snapshot, waiting for any other builder to finish first."""
    layout = IndexDir(index_dir)
    layout.prepare()
    with layout.build_lock():
        return build_locked(repo, layout, progress=progress)


def build_locked(repo: Repository, layout: IndexDir, *, progress: bool = False) -> BuildReport:
    """Build and publish; the caller holds layout.build_lock()."""
    started = time.perf_counter()
    counts = document_counts(repo)
    total = sum(counts.values())
    build_dir = layout.new_build_dir()
    try:
        frequencies: Counter[str] = Counter()  # the spelling vocabulary, by documents
        index = whoosh.index.create_in(str(build_dir), build_schema())
        writer = _Writer(index, limitmb=WRITER_MEMORY_MB)
        try:
            with tqdm(
                total=total, disable=not progress, unit="doc", desc="indexing", leave=False
            ) as bar:
                for fields in documents(repo):
                    frequencies.update(fields.pop("spelling", "").split())
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
