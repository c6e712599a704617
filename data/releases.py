"""Numbered releases of a crisis's records, and what changed between them.

A release is a manifest, `releases/VERSION.json` in the crisis folder: the version, the
day it was made, the curators' notes, a digest of the crisis's files and a content hash of
every record. The manifests are the history: `since` (the release that added a record),
`revision` (the release that last changed it) and the change feed are all computed from
them, never from git. A release is refused while drafts are left or when nothing changed
since the last one, so every release means something to the tools that sync from it.

The hashes are taken from the raw JSON, not from loaded records, so a release is the
curators' files exactly as reviewed, and a change to any field (a note, a source) counts.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data.drafts import is_draft
from data.fields import StoreError, StoreProblem

RELEASES = "releases"  # the folder of manifests, in the crisis folder
CHANGELOG = "CHANGELOG.md"  # the crisis's changelog: every release's notes, oldest first
VERSION = re.compile(r"[0-9]{1,4}(?:\.[0-9]{1,4}){0,3}")

# The files of records, the kind of record each holds, and the field naming its records.
RECORD_FILES: tuple[tuple[str, str, str], ...] = (
    ("passages.json", "passage", "id"),
    ("actors.json", "actor", "slug"),
    ("places.json", "place", "slug"),
    ("events.json", "event", "id"),
    ("relations.json", "relation", "id"),
    ("resolutions.json", "resolution", "number"),
    ("documents.json", "document", "id"),
    ("figures.json", "figure", "id"),
)
ADDED, CHANGED, REMOVED = "ADDED", "CHANGED", "REMOVED"
UNRELEASED = "+unreleased"  # appended to the version of a store edited since its release

RecordRef = tuple[str, str]  # (record type, id): ("event", "coup-2012")


class ReleaseRefused(Exception):
    """A release the curator asked for cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class Release:
    crisis: str
    version: str
    date: str  # ISO day
    notes: str
    digest: str  # of the crisis's files when it was made (data and sources, not releases)
    records: Mapping[str, str]  # "type:id" -> content hash

    @property
    def order(self) -> tuple[int, ...]:
        return version_key(self.version)


@dataclass(frozen=True)
class Change:
    """One record's difference between two releases, and the release that made it last."""

    crisis: str
    type: str
    slug: str
    kind: str  # ADDED, CHANGED or REMOVED
    release: Release

    @property
    def id(self) -> str:  # unique within the crisis: what a cursor names
        return f"{self.type}:{self.slug}"


@dataclass(frozen=True)
class History:
    """One crisis's releases, oldest first, and what they say about each record."""

    crisis: str
    releases: tuple[Release, ...]
    since: Mapping[RecordRef, Release] = field(default_factory=dict)
    revision: Mapping[RecordRef, Release] = field(default_factory=dict)
    edited: bool = False  # the served records differ from the latest release's

    @property
    def latest(self) -> Release | None:
        return self.releases[-1] if self.releases else None

    @property
    def version(self) -> str | None:
        if self.latest is None:
            return None
        return self.latest.version + (UNRELEASED if self.edited else "")

    def find(self, version: str) -> Release | None:
        return next((r for r in self.releases if r.version == version), None)

    def changes(self, base: Release) -> list[Change]:
        """Every record added, changed or removed from `base` to the latest release, each
        with the last release that changed it; a record added and removed again in
        between is not a change."""
        later = [r for r in self.releases if r.order > base.order]
        if not later:
            return []
        head = later[-1]
        found = []
        for key in sorted(base.records.keys() | head.records.keys()):
            old, new = base.records.get(key), head.records.get(key)
            if old == new:
                continue
            kind = ADDED if old is None else REMOVED if new is None else CHANGED
            last, made = base, head
            for release in later:
                if release.records.get(key) != last.records.get(key):
                    made = release
                last = release
            record_type, _, slug = key.partition(":")
            found.append(Change(self.crisis, record_type, slug, kind, made))
        return found


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def record_hash(raw: Any) -> str:
    canonical = json.dumps(raw, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def raw_records(folder: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every record of a crisis folder as its curators wrote it, keyed "type:id", the
    crisis itself as "crisis:SLUG"; drafts included (their JSON says `"status": "draft"`)."""
    crisis = json.loads((folder / "crisis.json").read_text(encoding="utf-8"))
    yield f"crisis:{folder.name}", crisis
    for name, record_type, id_field in RECORD_FILES:
        path = folder / name
        if not path.exists():
            continue
        for raw in json.loads(path.read_text(encoding="utf-8")):
            yield f"{record_type}:{raw[id_field]}", raw


def content_digest(folder: Path) -> str:
    """A digest of the crisis's files (records and sources), leaving out its releases."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder)
        if relative.parts[0] in (RELEASES, CHANGELOG) or path.name.startswith("."):
            continue
        digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def read_releases(folder: Path) -> tuple[Release, ...]:
    """The crisis's manifests, oldest first; StoreError naming the file if one is broken."""
    found = []
    for path in sorted((folder / RELEASES).glob("*.json")):
        where = f"{folder.name}/{RELEASES}/{path.name}"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            release = Release(
                crisis=folder.name,
                version=str(raw["version"]),
                date=str(raw["date"]),
                notes=str(raw["notes"]),
                digest=str(raw["digest"]),
                records={str(k): str(v) for k, v in raw["records"].items()},
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            message = f"is not a release manifest ({error!r}): restore it from git"
            raise StoreError([StoreProblem(where, None, None, message)]) from None
        if not VERSION.fullmatch(release.version) or path.stem != release.version:
            message = "must be named after its version, e.g. 1.1.json holding version 1.1"
            raise StoreError([StoreProblem(where, None, "version", message)])
        found.append(release)
    return tuple(sorted(found, key=lambda r: r.order))


def history(folder: Path) -> History:
    """The crisis's releases, and the release that added and last changed each record as
    it stands now (a record edited since the latest release has no `revision` yet)."""
    releases = read_releases(folder)
    current = {key: record_hash(raw) for key, raw in raw_records(folder) if not is_draft(raw)}
    since: dict[RecordRef, Release] = {}
    revision: dict[RecordRef, Release] = {}
    previous: Mapping[str, str] = {}
    for release in releases:
        for key, content in release.records.items():
            ref = _ref(key)
            if key not in previous:
                since[ref] = release
            if previous.get(key) != content:
                revision[ref] = release
        previous = release.records
    if not releases:
        return History(folder.name, ())
    latest = releases[-1].records
    for key in latest.keys() | current.keys():
        if latest.get(key) != current.get(key):
            revision.pop(_ref(key), None)
            if key not in latest:
                since.pop(_ref(key), None)
    edited = latest != current
    live = {_ref(key) for key in current}
    return History(
        folder.name,
        releases,
        {ref: r for ref, r in since.items() if ref in live},
        {ref: r for ref, r in revision.items() if ref in live},
        edited,
    )


def histories(data_dir: Path) -> dict[str, History]:
    """Every crisis's history, by slug."""
    folders = (p for p in sorted(data_dir.iterdir()) if p.is_dir() and not p.name.startswith("."))
    return {folder.name: history(folder) for folder in folders if (folder / "crisis.json").exists()}


def release(folder: Path, version: str, notes: str, date: datetime.date) -> Release:
    """Write the manifest of a new release of the crisis in `folder` and append its notes to
    the crisis's changelog. ReleaseRefused (nothing written) with drafts left, with nothing
    changed since the latest release, or with a version that does not come after it."""
    if not VERSION.fullmatch(version):
        raise ReleaseRefused(
            f"{version!r} is not a version: write numbers joined by dots, e.g. 1.1"
        )
    if not notes.strip():
        raise ReleaseRefused("say what this release changes, with --notes")
    raw = dict(raw_records(folder))
    drafts = sorted(key for key, record in raw.items() if is_draft(record))
    if drafts:
        shown = ", ".join(drafts[:5]) + (f" and {len(drafts) - 5} more" if len(drafts) > 5 else "")
        raise ReleaseRefused(
            f"{len(drafts)} draft(s) left ({shown}): review them (python -m data review "
            f"{folder.name}) before releasing"
        )
    previous = read_releases(folder)
    records = {key: record_hash(record) for key, record in sorted(raw.items())}
    if previous:
        latest = previous[-1]
        if version_key(version) <= latest.order:
            raise ReleaseRefused(
                f"version {version} does not come after the latest release, {latest.version}"
            )
        if dict(latest.records) == records:
            raise ReleaseRefused(
                f"nothing changed since release {latest.version}: there is nothing to release"
            )
    made = Release(
        folder.name, version, date.isoformat(), notes.strip(), content_digest(folder), records
    )
    manifest = {
        "version": made.version,
        "date": made.date,
        "notes": made.notes,
        "digest": made.digest,
        "records": dict(made.records),
    }
    (folder / RELEASES).mkdir(exist_ok=True)
    text = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
    (folder / RELEASES / f"{version}.json").write_text(text, encoding="utf-8")
    changelog = folder / CHANGELOG
    head = "" if changelog.exists() else f"# Releases of the {folder.name} records\n"
    with changelog.open("a", encoding="utf-8") as out:
        out.write(f"{head}\n## {version} ({made.date})\n\n{made.notes}\n")
    return made


def _ref(key: str) -> RecordRef:
    record_type, _, ident = key.partition(":")
    return (record_type, ident)


def command(data_dir: Path, slug: str, version: str, notes: str, date: str | None) -> int:
    """`python -m data release SLUG VERSION --notes "..."`: exit 0 released, 1 refused."""
    from data.loader import load_store  # the store must validate before it is released

    folder = data_dir / slug
    if not (folder / "crisis.json").exists():
        print(f"python -m data release: there is no crisis folder {folder}", file=sys.stderr)
        return 2
    try:
        load_store(data_dir)
        day = (
            datetime.date.fromisoformat(date)
            if date
            else datetime.datetime.now(datetime.UTC).date()
        )
        made = release(folder, version, notes, day)
    except StoreError as error:
        print(f"{error}\npython -m data release: fix the store first", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"python -m data release: --date: {error}", file=sys.stderr)
        return 2
    except ReleaseRefused as error:
        print(f"python -m data release: refused: {error}", file=sys.stderr)
        return 1
    print(f"released {slug} {made.version} ({made.date}): {len(made.records)} records")
    return 0
