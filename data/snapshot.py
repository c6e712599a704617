"""A snapshot of the validated store, so that a start need not read and check the JSON again.

The JSON files stay the source of truth. A snapshot is named after the digest of every
file of the store (data.loader.store_digest) and a digest of this package's code, so a
changed, added or removed file, or new code, finds no snapshot of its own: the store is
then read and validated from the JSON as ever (a broken file stops the start with its
file, record and field), and only a store that validated is saved for the next start.

It holds the records, the crises' release histories and the costly part of the
repository's indexes (data.repository.Derived), encoded as MessagePack with msgspec:
decoding builds the typed records directly and runs no code named by the file, unlike
pickle, so a file another process could write cannot make this one run anything.

    <cache_dir>/store/<key>.msgpack     the server's index folder is its cache_dir

A snapshot is written to a temporary file and renamed into place, so several processes
starting at once each write a whole file and the last rename wins; a reader sees one whole
snapshot or none. One that is damaged or truncated (its length and checksum are checked)
is ignored with one log line, and replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
import time
from pathlib import Path

import msgspec

from data.kinds import KINDS
from data.loader import CrisisData, store_digest
from data.records import (
    Actor,
    Crisis,
    Document,
    Event,
    Figure,
    Passage,
    Place,
    Relation,
    Resolution,
)
from data.releases import History, Release
from data.repository import Derived, Repository, collector_paused
from data.sealed import seal, unseal

SNAPSHOT_DIR = "store"  # in the cache folder
FORMAT = 1  # of the file: bump it when its layout changes (the code's digest would too)
KIND = b"crisisgraph store\n"  # what a sealed file (data/sealed.py) of a snapshot begins with
_STALE_SECONDS = 3600  # a temporary file this old is a crashed writer's, not one writing

log = logging.getLogger("crisisgraph.store")


class _Crisis(msgspec.Struct, array_like=True):
    """One crisis and its served records, each list in the order it was loaded."""

    crisis: Crisis
    passages: list[Passage]
    actors: list[Actor]
    places: list[Place]
    events: list[Event]
    relations: list[Relation]
    resolutions: list[Resolution]
    documents: list[Document]
    figures: list[Figure]


class _History(msgspec.Struct, array_like=True):
    """data.releases.History, its `since` and `revision` naming releases by position."""

    crisis: str
    releases: list[Release]
    since: list[tuple[str, str, int]]
    revision: list[tuple[str, str, int]]
    edited: bool


class _State(msgspec.Struct, array_like=True):
    format: int
    digest: str
    crises: list[_Crisis]
    histories: list[_History]
    derived: Derived


_DECODER = msgspec.msgpack.Decoder(_State)


def load_repository(data_dir: Path, cache_dir: Path | None) -> Repository:
    """The store in `data_dir`, validated: from its snapshot in `cache_dir` if one was saved
    for these files and this code, else from the JSON (StoreError if it is broken), then
    saved there for the next start. With no `cache_dir`, always from the JSON."""
    with collector_paused():
        digest = store_digest(data_dir)
        if cache_dir is None:
            return Repository.load(data_dir, digest)
        path = snapshot_path(cache_dir, digest)
        repository = read_snapshot(path, digest)
        if repository is not None:
            return repository
        repository = Repository.load(data_dir, digest)
        write_snapshot(path, repository)
        return repository


def snapshot_path(cache_dir: Path, digest: str) -> Path:
    """Where the snapshot of the store with this digest lives, for this code."""
    key = hashlib.sha256(f"{code_version()}:{digest}".encode()).hexdigest()
    return cache_dir / SNAPSHOT_DIR / f"{key[:32]}.msgpack"


def code_version() -> str:
    """A digest of what decides a snapshot's content: the file format, msgspec's version
    and the source of every module of this package (records, readers, repository...)."""
    digest = hashlib.sha256(f"{FORMAT}:{msgspec.__version__}".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def read_snapshot(path: Path, digest: str) -> Repository | None:
    """The repository saved in `path`, or None if there is none or it cannot be used."""
    started = time.perf_counter()
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning("cannot read the store's snapshot %s (%s): reading the JSON", path, error)
        return None
    try:
        repository = _restore(_decode(blob), digest)
    except Exception as error:  # whatever the damage: never serve it, never stop the start
        log.warning(
            "ignoring the store's snapshot %s (%s: %s): reading the JSON",
            path,
            type(error).__name__,
            error,
        )
        return None
    log.info("store loaded from its snapshot %s in %.2f s", path, time.perf_counter() - started)
    return repository


def write_snapshot(path: Path, repository: Repository) -> None:
    """Save `repository` in `path` for the next start: atomically, and never failing the
    start (a folder that cannot be written only means the next start reads the JSON)."""
    sealed = seal(KIND, msgspec.msgpack.encode(_state(repository)))
    temporary = path.with_name(f".tmp-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as file:
            file.write(sealed)
        # No fsync: a file cut short by a crash fails its length or checksum and is replaced.
        temporary.replace(path)
    except OSError as error:
        log.warning("cannot save the store's snapshot in %s: %s", path.parent, error)
        with contextlib.suppress(OSError):
            temporary.unlink()
        return
    _remove_others(path)
    log.info("store snapshot saved in %s (%.1f MB)", path, len(sealed) / 1e6)


def _remove_others(path: Path) -> None:
    """Remove the snapshots of other stores or code, and crashed writers' temporary files."""
    now = time.time()
    for entry in path.parent.iterdir():
        with contextlib.suppress(OSError):
            other = entry.suffix == ".msgpack" and entry != path
            if other or _abandoned(entry, now):
                entry.unlink()


def _abandoned(entry: Path, now: float) -> bool:
    return entry.name.startswith(".tmp-") and now - entry.stat().st_mtime > _STALE_SECONDS


def _state(repository: Repository) -> _State:
    # The dicts' order is the order of loading, crisis by crisis: group them back by crisis.
    crises = {c.id: _Crisis(c, [], [], [], [], [], [], [], []) for c in repository.crises}
    for table in (kind.table for kind in KINDS if kind.table is not None):
        for record in getattr(repository, table).values():
            getattr(crises[record.crisis], table).append(record)
    histories = []
    for history in repository.histories.values():
        position = {id(release): i for i, release in enumerate(history.releases)}
        histories.append(
            _History(
                history.crisis,
                list(history.releases),
                [(*ref, position[id(r)]) for ref, r in history.since.items()],
                [(*ref, position[id(r)]) for ref, r in history.revision.items()],
                history.edited,
            )
        )
    return _State(FORMAT, repository.digest, list(crises.values()), histories, repository.derived())


def _decode(blob: bytes) -> _State:
    return _DECODER.decode(unseal(KIND, blob))


def _restore(state: _State, digest: str) -> Repository:
    if state.format != FORMAT or state.digest != digest:
        raise ValueError(f"it holds store {state.digest[:12]}, not {digest[:12]}")
    crises = [
        CrisisData(
            c.crisis,
            passages=c.passages,
            actors=c.actors,
            places=c.places,
            events=c.events,
            relations=c.relations,
            resolutions=c.resolutions,
            documents=c.documents,
            figures=c.figures,
        )
        for c in state.crises
    ]
    histories = {}
    for h in state.histories:
        releases = tuple(h.releases)
        histories[h.crisis] = History(
            h.crisis,
            releases,
            {(kind, slug): releases[i] for kind, slug, i in h.since},
            {(kind, slug): releases[i] for kind, slug, i in h.revision},
            h.edited,
        )
    return Repository(crises, state.digest, histories, state.derived)
