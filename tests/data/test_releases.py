"""Releases (data/releases.py) on a copy of the tiny fixture store: the manifest, the
changelog, the refusals, and the diff the change feed is computed from."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from data.__main__ import main
from data.releases import ReleaseRefused, history, release

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "store"
DAY = datetime.date(2026, 11, 30)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "store")
    return tmp_path / "store"


def edit(folder: Path, name: str, change: Any) -> None:
    path = folder / name
    records = json.loads(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")


def test_a_release_writes_its_manifest_and_appends_its_notes(store: Path) -> None:
    folder = store / "testland"
    made = release(folder, "1.0", "First release.", DAY)

    manifest = json.loads((folder / "releases" / "1.0.json").read_text(encoding="utf-8"))
    assert manifest["version"] == "1.0" and manifest["date"] == "2026-11-30"
    assert manifest["notes"] == "First release."
    assert len(manifest["digest"]) == 64
    raw_events = json.loads((folder / "events.json").read_text(encoding="utf-8"))
    assert {k for k in manifest["records"] if k.startswith("event:")} == {
        f"event:{e['id']}" for e in raw_events
    }
    assert "crisis:testland" in manifest["records"]
    assert made.records == manifest["records"]
    assert (folder / "CHANGELOG.md").read_text(encoding="utf-8") == (
        "# Releases of the testland records\n\n## 1.0 (2026-11-30)\n\nFirst release.\n"
    )

    edit(folder, "events.json", lambda events: events[0].update(title="Retitled"))
    release(folder, "1.1", "Second.", DAY)
    assert (
        (folder / "CHANGELOG.md")
        .read_text(encoding="utf-8")
        .endswith("## 1.0 (2026-11-30)\n\nFirst release.\n\n## 1.1 (2026-11-30)\n\nSecond.\n")
    )


def test_the_diff_between_releases_lists_added_changed_and_removed(store: Path) -> None:
    folder = store / "testland"
    release(folder, "1.0", "First.", DAY)
    actors = json.loads((folder / "actors.json").read_text(encoding="utf-8"))
    events = json.loads((folder / "events.json").read_text(encoding="utf-8"))
    changed, removed = actors[0]["slug"], events[-1]["id"]

    def add_and_remove(records: list[dict[str, Any]]) -> None:
        added = dict(records[0], id="added-event")
        records.pop()
        records.append(added)

    edit(folder, "actors.json", lambda recs: recs[0].update(note="A new note."))
    release(folder, "1.1", "Second.", DAY)
    edit(folder, "events.json", add_and_remove)
    release(folder, "1.2", "Third.", DAY)

    found = history(folder)
    assert found.version == "1.2"
    first, second, third = found.releases
    assert [(c.type, c.slug, c.kind, c.release.version) for c in found.changes(first)] == sorted(
        [
            ("actor", changed, "CHANGED", "1.1"),
            ("event", "added-event", "ADDED", "1.2"),
            ("event", removed, "REMOVED", "1.2"),
        ]
    )
    assert [(c.slug, c.kind) for c in found.changes(second)] == [
        ("added-event", "ADDED"),
        (removed, "REMOVED"),
    ]
    assert found.changes(third) == []
    # since: the release that added it; revision: the one that last changed it.
    assert found.since[("actor", changed)] is first
    assert found.revision[("actor", changed)] is second
    assert found.since[("event", "added-event")] is third
    assert ("event", removed) not in found.since


def test_a_record_added_and_removed_between_releases_is_no_change(store: Path) -> None:
    folder = store / "testland"
    release(folder, "1.0", "First.", DAY)
    edit(folder, "events.json", lambda recs: recs.append(dict(recs[0], id="brief")))
    release(folder, "1.1", "Added.", DAY)
    edit(folder, "events.json", lambda recs: recs.pop())
    edit(folder, "actors.json", lambda recs: recs[0].update(note="Something else."))
    release(folder, "1.2", "Removed.", DAY)
    found = history(folder)
    assert [c.slug for c in found.changes(found.releases[0])] == [
        json.loads((folder / "actors.json").read_text(encoding="utf-8"))[0]["slug"]
    ]


def test_edits_since_the_latest_release_are_marked_unreleased(store: Path) -> None:
    folder = store / "testland"
    release(folder, "1.0", "First.", DAY)
    assert history(folder).version == "1.0"
    edit(folder, "events.json", lambda recs: recs[0].update(title="Retitled"))
    found = history(folder)
    event = json.loads((folder / "events.json").read_text(encoding="utf-8"))[0]["id"]
    assert found.version == "1.0+unreleased"
    assert ("event", event) not in found.revision  # its content is in no release yet
    assert found.since[("event", event)].version == "1.0"


def test_a_release_with_drafts_left_is_refused(store: Path) -> None:
    folder = store / "testland"
    edit(folder, "events.json", lambda recs: recs.append(dict(recs[0], id="d", status="draft")))
    with pytest.raises(ReleaseRefused, match=r"1 draft\(s\) left \(event:d\)"):
        release(folder, "1.0", "First.", DAY)
    assert not (folder / "releases").exists()
    assert not (folder / "CHANGELOG.md").exists()


def test_a_release_with_nothing_changed_is_refused(store: Path) -> None:
    folder = store / "testland"
    release(folder, "1.0", "First.", DAY)
    with pytest.raises(ReleaseRefused, match=r"nothing changed since release 1\.0"):
        release(folder, "1.1", "Again.", DAY)
    assert not (folder / "releases" / "1.1.json").exists()


@pytest.mark.parametrize(
    ("version", "message"),
    [("0.9", "does not come after the latest release, 1.0"), ("v2", "is not a version")],
)
def test_a_version_must_come_after_the_latest(store: Path, version: str, message: str) -> None:
    folder = store / "testland"
    release(folder, "1.0", "First.", DAY)
    edit(folder, "events.json", lambda recs: recs[0].update(title="Retitled"))
    with pytest.raises(ReleaseRefused, match=message):
        release(folder, version, "Second.", DAY)


def test_the_command_releases_and_refuses(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["release", "testland", "1.0", "--notes", "First.", "--date", "2026-11-30"]
    assert main([*argv, "--data-dir", str(store)]) == 0
    assert "released testland 1.0 (2026-11-30)" in capsys.readouterr().out
    assert main(["release", "testland", "1.1", "--notes", "x", "--data-dir", str(store)]) == 1
    assert "refused: nothing changed since release 1.0" in capsys.readouterr().err
    assert main(["release", "nowhere", "1.0", "--notes", "x", "--data-dir", str(store)]) == 2
