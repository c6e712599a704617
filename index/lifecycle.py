"""Keep the index in step with the store: open it if current, else rebuild it.

Called once at start-up, before the server answers /healthz. Several
processes may start at once: the first to find the index stale builds it under
the build lock; the others wait on the lock, then find it current and open it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from data.repository import Repository
from index.layout import IndexDir, SnapshotInfo
from index.schema import FORMAT
from index.search import SearchIndex
from index.snapshot import Snapshot, SnapshotError

log = logging.getLogger("crisisgraph.index")  # shown beside uvicorn's lines (web/logs.py)

_OPEN_ATTEMPTS = 3  # a snapshot can vanish between readlink and open if a builder swaps it


def ensure_index(repo: Repository, index_dir: Path, *, progress: bool = False) -> SearchIndex:
    """A SearchIndex over `repo`, building the index first if it is missing,
    stale (built from another store) or unreadable."""
    layout = IndexDir(index_dir)
    layout.prepare()
    snapshot = _open_current(layout, repo.digest)
    if snapshot is None:
        with layout.build_lock():
            snapshot = _open_current(layout, repo.digest)  # another process may have built it
            if snapshot is None:
                # Only here: the builder (Whoosh's writer, the progress bar) is a tenth of a
                # second of imports that a start with a current index does without.
                from index.build import build_locked
                from index.documents import document_counts

                total = sum(document_counts(repo).values())
                log.info("building the search index in %s: %d documents ...", index_dir, total)
                report = build_locked(repo, layout, progress=progress)
                log.info(
                    "search index built: %d documents in %.1f s", report.documents, report.seconds
                )
                snapshot = _open_current(layout, repo.digest)
                if snapshot is None:
                    raise SnapshotError(f"the index just built in {index_dir} cannot be opened")
    return SearchIndex(index_dir, digest=repo.digest, snapshot=snapshot)


@dataclass(frozen=True)
class IndexStatus:
    current: bool
    message: str  # one line for a person
    info: SnapshotInfo | None = None


def index_status(index_dir: Path, digest: str) -> IndexStatus:
    """Whether the index in `index_dir` serves the store with this digest."""
    snapshot_dir = IndexDir(index_dir).current()
    if snapshot_dir is None:
        return IndexStatus(False, f"no index in {index_dir}: run `python -m index build`")
    reason = _why_not_servable(snapshot_dir, digest)
    if reason is not None:
        return IndexStatus(False, f"{reason}: run `python -m index build`")
    try:
        snapshot = Snapshot.open(snapshot_dir)
    except SnapshotError as error:
        return IndexStatus(False, f"{error}: run `python -m index build`")
    snapshot.close()
    info = snapshot.info
    return IndexStatus(
        True,
        f"current: {info.documents} documents built {info.built_at} from store {digest[:12]}",
        info,
    )


def _open_current(layout: IndexDir, digest: str) -> Snapshot | None:
    for _ in range(_OPEN_ATTEMPTS):
        path = layout.current()
        if path is None:
            return None
        reason = _why_not_servable(path, digest)
        if reason is not None:
            log.warning("rebuilding the index: %s", reason)
            return None
        try:
            return Snapshot.open(path)
        except SnapshotError as error:
            if layout.current() == path:  # not a race with a builder: it is broken
                log.warning("rebuilding the index: %s", error)
                return None
    return None


def _why_not_servable(path: Path, digest: str) -> str | None:
    try:
        info = SnapshotInfo.read(path)
    except (OSError, ValueError, TypeError) as error:
        return f"the index in {path} has no readable build record ({error})"
    if info.format != FORMAT:
        return f"the index in {path} has format {info.format}; this code writes {FORMAT}"
    if info.digest != digest:
        return (
            f"the index was built from store {info.digest[:12]}, but the store is now {digest[:12]}"
        )
    return None
