"""One published index, opened read-only and shared by every thread of a process.

Opening reads everything a query needs besides the postings (per-document
metadata, the alias table, the vocabulary) and probes the files, so a broken
snapshot fails here, at start-up, rather than in the middle of a request. The
metadata and the alias table are read from the Whoosh files by the first process to
open a snapshot, which saves them beside it for the others (index/opened.py): the
files never change once published, so what was read whole once stays true.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import scoring
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile

from index.analysis import name_key
from index.facets import FacetArrays
from index.layout import SnapshotInfo, hold_shared
from index.opened import Opened, code_version, read_opened, write_opened
from index.schema import FORMAT, DocMeta
from index.spelling import Vocabulary, read_vocabulary

SEGMENT_SUFFIX = ".seg"  # a compound segment: every file of one Whoosh segment in one


class SnapshotError(Exception):
    """The snapshot cannot be served: another format, or missing or damaged files."""


@dataclass(frozen=True)
class Entity:
    """An actor or place, as the alias expansion needs it."""

    uid: str
    names: tuple[str, ...]  # name first, then aliases


class Snapshot:
    def __init__(
        self,
        path: Path,
        info: SnapshotInfo,
        index: Any,
        metas: tuple[DocMeta, ...],
        entities_by_name: dict[str, tuple[Entity, ...]],
        vocabulary: Vocabulary,
        sections: frozenset[str],
        inuse_fd: int,
    ) -> None:
        self.path = path
        self.info = info
        self.index = index
        self.metas = metas
        self.facets = FacetArrays(metas)
        self.entities_by_name = entities_by_name
        self.vocabulary = vocabulary
        self.sections = sections
        self._inuse_fd: int | None = inuse_fd

    @classmethod
    def open(cls, path: Path) -> Snapshot:
        """Open and check a snapshot; raise SnapshotError saying what is wrong."""
        try:
            fd = hold_shared(path)
        except OSError as error:
            raise SnapshotError(f"{path}: {error}") from error
        storage = _TrackingStorage(path)
        try:
            info = SnapshotInfo.read(path)
            if info.format != FORMAT:
                raise SnapshotError(f"it has index format {info.format}; this code reads {FORMAT}")
            index = storage.open_index()
            with index.reader() as reader:
                snapshot = cls(path, info, index, *_load(reader, info, path), fd)
        except Exception as error:
            # Whoosh reports damage as anything from EOFError to zlib.error or
            # an unpickling error: all of them mean "rebuild, do not serve".
            storage.close_opened()
            os.close(fd)
            detail = (
                error if isinstance(error, SnapshotError) else f"{type(error).__name__}: {error}"
            )
            raise SnapshotError(f"the index in {path} cannot be served: {detail}") from None
        storage.stop_tracking()
        return snapshot

    def searcher(self) -> Any:
        return self.index.searcher(weighting=scoring.BM25F())

    def close(self) -> None:
        """Let a builder delete this snapshot once no other process serves it."""
        if self._inuse_fd is not None:
            os.close(self._inuse_fd)
            self._inuse_fd = None


class _TrackingStorage(FileStorage):  # type: ignore[misc]
    """A read-only FileStorage that maps each segment file once for every thread, and can
    close what it opened: Whoosh leaves files open when it fails half-way through reading
    a damaged index.

    Whoosh's own memory map of a segment (whoosh/filedb/compound.py) hands each part of
    it to a BufferFile, which copies that part into a BytesIO: every searcher, and there
    is one per thread, held its own copy of the postings, stored fields and term index
    (some 64 MB at 100 crises). Without Whoosh's map (`supports_mmap=False`) the segment
    is opened through `open_file` below, as a _MappedFile whose parts are views of one
    shared map: nothing is copied but the bytes each read asks for.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(str(path), readonly=True, supports_mmap=False)
        self._opened: list[Any] | None = []
        self._maps: dict[str, mmap.mmap] = {}
        self._maps_lock = threading.Lock()

    def open_file(self, name: str, **kwargs: Any) -> Any:
        if name.endswith(SEGMENT_SUFFIX):
            opened = _MappedFile(memoryview(self._map(name)), name=name)
        else:
            opened = super().open_file(name, **kwargs)
        if self._opened is not None:
            self._opened.append(opened)
        return opened

    def _map(self, name: str) -> mmap.mmap:
        with self._maps_lock:  # searchers of several threads may open the segment at once
            found = self._maps.get(name)
            if found is None:
                with (Path(self.folder) / name).open("rb") as file:
                    found = self._maps[name] = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
            return found

    def stop_tracking(self) -> None:
        self._opened = None

    def close_opened(self) -> None:
        for opened in self._opened or ():
            with contextlib.suppress(Exception):
                opened.close()
        self._opened = None


class _MappedFile(BufferFile):  # type: ignore[misc]
    """A BufferFile reading a view of a memory map in place, where Whoosh's copies the
    view into a BytesIO; `subset` (how a compound segment opens its parts) makes a view of
    the view. Checked against whoosh-reloaded 2.7.5 (pinned exactly): tests/index/
    test_snapshot.py fails if a searcher stops reading through it."""

    def __init__(self, buf: memoryview, name: str | None = None) -> None:
        super().__init__(b"", name=name)
        self._buf = buf
        self.file = _View(buf)

    def subset(self, position: int, length: int, name: str | None = None) -> _MappedFile:
        return _MappedFile(self._buf[position : position + length], name=name or self._name)


class _View:
    """A read-only file over a memoryview: what StructFile and pickle read from."""

    def __init__(self, buf: memoryview) -> None:
        self._buf = buf
        self._position = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._position
        end = len(self._buf) if size is None or size < 0 else start + size
        data = self._buf[start:end].tobytes()  # a slice past the end stops at the end
        self._position = start + len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        line = bytearray()
        while self._position < len(self._buf) and (size is None or size < 0 or len(line) < size):
            byte = self._buf[self._position]
            self._position += 1
            line.append(byte)
            if byte == ord("\n"):
                break
        return bytes(line)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._position, os.SEEK_END: len(self._buf)}
        self._position = max(0, base[whence] + offset)
        return self._position

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        pass  # the map is the storage's, shared with the other views


def _load(
    reader: Any, info: SnapshotInfo, path: Path
) -> tuple[tuple[DocMeta, ...], dict[str, tuple[Entity, ...]], Vocabulary, frozenset[str]]:
    if reader.doc_count() != info.documents or reader.doc_count_all() != info.documents:
        raise SnapshotError(
            f"it holds {reader.doc_count()} documents of the {info.documents} written"
        )
    code = code_version()
    opened = read_opened(path, info.documents, code)
    if opened is None:
        opened = _read(reader, info, code)
        write_opened(path, opened)
    entities = [Entity(uid, names) for uid, names in opened.entities]
    by_name = {name: tuple(entities[i] for i in found) for name, found in opened.names}
    vocabulary = Vocabulary(read_vocabulary(path))
    # Touch the postings of the largest kind, so damaged term files show up now.
    if ("kind", "passage") in reader:
        sum(1 for _ in reader.postings("kind", "passage").all_ids())
    return tuple(opened.metas), by_name, vocabulary, frozenset(opened.sections)


def _read(reader: Any, info: SnapshotInfo, code: str) -> Opened:
    """What an open needs, from the Whoosh files (index/opened.py saves it for next time)."""
    metas = [DocMeta.decode(raw) for raw in reader.column_reader("meta")]
    if len(metas) != info.documents:
        raise SnapshotError("its per-document metadata is incomplete")
    entities: list[tuple[str, tuple[str, ...]]] = []
    names: dict[str, list[int]] = defaultdict(list)
    for kind in ("actor", "place"):
        if ("kind", kind) not in reader:
            continue
        for docnum in reader.postings("kind", kind).all_ids():
            stored = reader.stored_fields(docnum)
            entities.append((stored["uid"], tuple(stored["names"])))
            for name in dict.fromkeys(name_key(n) for n in entities[-1][1]):
                if name:
                    names[name].append(len(entities) - 1)
    sections = sorted(reader.field_terms("section"))
    return Opened(code, metas, entities, list(names.items()), sections)
