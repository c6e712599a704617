"""Where an index lives on disk, and how builders and readers share it.

    <index_dir>/
      .lock              flock'ed exclusively by the one process building
      current -> v-...   the snapshot being served: a symlink, swapped by one rename
      v-<time>-<rand>/   snapshots: Whoosh files, crisisgraph.json, .inuse, and
                         opened.msgpack, what the first process to open it read
                         (index/opened.py)
      tmp-<pid>-<rand>/  a build in progress, or a crashed one
      store/             the snapshot of the validated store (data/snapshot.py)

No Whoosh file is ever written into a snapshot once it is published (Whoosh's writers
are not safe to run beside readers: index/README.md, "Lifecycle"); opened.msgpack is
written whole and renamed into place, never read half-written. A reader holds a
shared flock on its snapshot's `.inuse`; a builder deletes an old snapshot
only when it can take that lock exclusively, so no running process loses the
files under it. flock locks die with their process, so a crash leaves no
stale lock behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

INFO_FILE = "crisisgraph.json"
INUSE_FILE = ".inuse"
LOCK_FILE = ".lock"
CURRENT = "current"
SNAPSHOT_PREFIX = "v-"
TEMP_PREFIX = "tmp-"


@dataclass(frozen=True)
class SnapshotInfo:
    """What a snapshot was built from, recorded beside the Whoosh files."""

    format: int
    digest: str  # Repository.digest of the store it indexes
    documents: int
    counts: dict[str, int] = field(default_factory=dict)
    built_at: str = ""
    seconds: float = 0.0

    def write(self, directory: Path) -> None:
        path = directory / INFO_FILE
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, directory: Path) -> SnapshotInfo:
        """Raise OSError or ValueError if the file is missing or not ours."""
        raw = json.loads((directory / INFO_FILE).read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError(f"{INFO_FILE} does not hold an object")
        info = cls(**raw)
        if not isinstance(info.digest, str) or not isinstance(info.documents, int):
            raise ValueError(f"{INFO_FILE} has a malformed digest or document count")
        return info


class IndexDir:
    def __init__(self, root: Path) -> None:
        self.root = root

    def prepare(self) -> None:
        """Create the directory; raise a readable OSError if it cannot be used."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OSError(f"cannot create the index directory {self.root}: {error}") from error
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise OSError(
                f"the index directory {self.root} is not writable: set CRISISGRAPH_INDEX_DIR"
            )

    def current(self) -> Path | None:
        """The published snapshot, or None if there is none (or `current` is junk)."""
        link = self.root / CURRENT
        try:
            target = link.readlink()
        except OSError:
            return None
        if len(target.parts) != 1 or not target.name.startswith(SNAPSHOT_PREFIX):
            return None
        path = self.root / target
        return path if path.is_dir() else None

    def new_build_dir(self) -> Path:
        path = self.root / f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        path.mkdir()
        return path

    def publish(self, build_dir: Path) -> Path:
        """Make a finished build the current snapshot, atomically."""
        name = f"{SNAPSHOT_PREFIX}{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
        snapshot = self.root / name
        build_dir.rename(snapshot)
        link = self.root / CURRENT
        new_link = self.root / f"{TEMP_PREFIX}link-{secrets.token_hex(4)}"
        new_link.symlink_to(name)  # relative, so the directory can be moved whole
        if link.exists() and not link.is_symlink():
            # Not ours (an old layout, a stray file): move it aside for collect_garbage.
            link.rename(self.root / f"{TEMP_PREFIX}old-{secrets.token_hex(4)}")
        new_link.replace(link)
        _fsync_dir(self.root)
        return snapshot

    def collect_garbage(self) -> None:
        """Remove failed builds and snapshots no process is reading. Call under build_lock."""
        keep = self.current()
        for entry in self.root.iterdir():
            if entry.name.startswith(TEMP_PREFIX):
                _remove(entry)
            elif entry.name.startswith(SNAPSHOT_PREFIX) and entry != keep:
                _remove_unless_in_use(entry)

    @contextlib.contextmanager
    def build_lock(self, timeout: float = 600.0) -> Iterator[None]:
        """Exclusive across processes and threads: only one builder at a time."""
        fd = os.open(self.root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise TimeoutError(
                            f"another process has been building the index in {self.root} "
                            f"for over {timeout:.0f} s; if none is running, retry"
                        ) from None
                    time.sleep(0.05)
            yield
        finally:
            os.close(fd)  # releases the lock


def hold_shared(snapshot: Path) -> int:
    """Mark a snapshot as in use by this process until the returned fd is closed."""
    try:
        fd = os.open(snapshot / INUSE_FILE, os.O_RDONLY)  # works on a read-only mount too
    except FileNotFoundError:
        fd = os.open(snapshot / INUSE_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
    except OSError:
        os.close(fd)
        raise
    return fd


def _remove_unless_in_use(snapshot: Path) -> None:
    try:
        fd = os.open(snapshot / INUSE_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        _remove(snapshot)  # not even a lock file can live there: it is broken
        return
    try:
        # Delete while holding the lock, so no reader can start using it meanwhile.
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        _remove(snapshot)
    except BlockingIOError:
        pass  # a running process still serves it
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_symlink() or not path.is_dir():
            path.unlink()
        else:
            shutil.rmtree(path)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
