"""The real store validates and covers the page; a broken store fails loudly and cleanly.

Broken-store tests copy the real store into a temporary folder and break one thing, so
each names exactly the file, record and field a curator would have to fix.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from data.loader import StoreError, StoreProblem, load_store
from data.records import Evidence
from data.repository import Repository
from settings import DEFAULT_DATA_DIR

ROOT = Path(__file__).resolve().parents[2]
SOURCE = DEFAULT_DATA_DIR / "mali" / "sources" / "crisis-in-mali.txt"
SUBPROCESS_TIMEOUT = 60  # seconds; each of these exits in about one


def all_evidence(repo: Repository) -> Iterator[tuple[str, str, Evidence]]:
    """(record type, record id, evidence) for every piece of evidence, roles included."""
    for crisis in repo.crises:
        for ev in crisis.evidence:
            yield "crisis", crisis.id, ev
    tables: dict[str, Any] = {
        "actor": repo.actors,
        "place": repo.places,
        "event": repo.events,
        "relation": repo.relations,
        "resolution": repo.resolutions,
        "document": repo.documents,
        "figure": repo.figures,
    }
    for kind, table in tables.items():
        for rec in table.values():
            for ev in rec.evidence:
                yield kind, rec.id, ev
    for actor in repo.actors.values():
        for i, role in enumerate(actor.roles):
            for ev in role.evidence:
                yield "actor role", f"{actor.id} roles[{i}]", ev


# -- the real store ----------------------------------------------------------------


def test_the_real_store_validates() -> None:
    [mali] = load_store(DEFAULT_DATA_DIR)
    assert mali.crisis.id == "mali"


@pytest.mark.parametrize(
    ("table", "floor"),
    [("actors", 60), ("places", 25), ("events", 50), ("documents", 12), ("figures", 30)],
)
def test_the_store_meets_the_issues_size_floors(repo: Repository, table: str, floor: int) -> None:
    assert len(getattr(repo, table)) >= floor


def test_the_resolutions_the_page_discusses_are_all_there(repo: Repository) -> None:
    assert sorted(r.number for r in repo.resolutions.values()) == [2085, 2100, 2164]


def test_every_record_carries_evidence(repo: Repository) -> None:
    bare = [
        (kind, rec.id)
        for kind, table in (
            ("actor", repo.actors),
            ("place", repo.places),
            ("event", repo.events),
            ("relation", repo.relations),
            ("resolution", repo.resolutions),
            ("document", repo.documents),
            ("figure", repo.figures),
        )
        for rec in table.values()
        if not rec.evidence
    ]
    bare += [
        ("actor role", f"{a.id}: {role.title}")
        for a in repo.actors.values()
        for role in a.roles
        if not role.evidence
    ]
    assert bare == []


def test_every_passage_is_cited(repo: Repository) -> None:
    cited = {ev.passage_id for _, _, ev in all_evidence(repo)}
    uncited = [p.id for p in repo.passage_list if p.id not in cited]
    assert uncited == []


def test_every_quote_is_its_passage_text_between_its_offsets(repo: Repository) -> None:
    wrong = [
        (kind, ident, ev)
        for kind, ident, ev in all_evidence(repo)
        if repo.passage_of("mali", ev.passage_id).text[ev.start : ev.end] != ev.quote
    ]
    assert wrong == []
    assert sum(1 for _ in all_evidence(repo)) > 300  # roles and crisis evidence included


def test_passages_reproduce_the_page_body_in_order_with_nothing_lost(
    repo: Repository,
) -> None:
    source = SOURCE.read_text(encoding="utf-8")
    passages = [p for p in repo.passage_list if p.crisis == "mali"]
    assert [p.seq for p in passages] == list(range(1, len(passages) + 1))

    covered = [False] * len(source)
    end_of_previous = 0
    for p in passages:
        assert source[p.source_start : p.source_start + len(p.text)] == p.text, p.id
        assert p.source_start >= end_of_previous, f"{p.id} is out of page order"
        end_of_previous = p.source_start + len(p.text)
        covered[p.source_start : end_of_previous] = [True] * len(p.text)

    lines = source.split("\n")
    title = lines.index("Crisis in Mali")
    footer = next(
        i for i, line in enumerate(lines) if line.startswith("Browse Documents by Region")
    )
    offset = sum(len(line) + 1 for line in lines[: title + 1])
    lost = []
    for line in lines[title + 1 : footer]:
        # Non-breaking-space filler lines are not text; neither is a paragraph's trailing space.
        uncovered = "".join(c for i, c in enumerate(line, offset) if not covered[i])
        if uncovered.strip():
            lost.append(line)
        offset += len(line) + 1
    assert lost == []
    body = [line for line in lines[title + 1 : footer] if line.strip()]
    assert len(body) == len(passages) == 32  # the page's 32 paragraphs, none split


def test_the_page_itself_is_a_document_with_its_credits(repo: Repository) -> None:
    crisis = repo.crisis_by_slug["mali"]
    page = repo.documents[("mali", crisis.source)]
    assert (page.title, page.kind, page.publisher, page.authors, page.file) == (
        "Crisis in Mali",
        "WEB_PAGE",
        "icrtop",
        ("kirkland-green",),
        "crisis-in-mali.txt",
    )
    assert page.covers_until is not None and page.covers_until.iso == "2014-11-28"
    assert repo.actors[("mali", "icrtop")].name == (
        "International Coalition for the Responsibility to Protect"
    )
    assert repo.actors[("mali", "kirkland-green")].name == "Kirkland Green"


# -- broken stores -----------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A private copy of the real store, to break."""
    copy = tmp_path / "crises"
    shutil.copytree(DEFAULT_DATA_DIR, copy)
    return copy


def edit(store: Path, name: str, change: Callable[[Any], None]) -> None:
    path = store / "mali" / name
    content = json.loads(path.read_text(encoding="utf-8"))
    change(content)
    path.write_text(json.dumps(content, ensure_ascii=False, indent=2), encoding="utf-8")


def record(records: list[dict[str, Any]], ident: str, key: str = "id") -> dict[str, Any]:
    return next(r for r in records if r.get(key) == ident)


def problems(store: Path) -> list[StoreProblem]:
    with pytest.raises(StoreError) as raised:
        load_store(store)
    assert str(raised.value).startswith(f"the data store has {len(raised.value.problems)} problem")
    return raised.value.problems


def problem_at(
    found: list[StoreProblem], file: str, rec: str | None, field: str | None
) -> StoreProblem:
    matches = [p for p in found if (p.file, p.record, p.field) == (file, rec, field)]
    assert matches, f"no problem at {file}, {rec}, {field} among {[str(p) for p in found]}"
    return matches[0]


def break_participant(store: Path) -> None:
    def change(events: list[dict[str, Any]]) -> None:
        record(events, "coup-2012")["participants"][0]["actor"] = "no-such-actor"

    edit(store, "events.json", change)


def test_a_corrupt_json_file_is_named_with_where_it_breaks(store: Path) -> None:
    path = store / "mali" / "events.json"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    problem = problem_at(problems(store), "mali/events.json", None, None)
    assert re.fullmatch(r"is not valid JSON: .+ at line \d+, column \d+", problem.message)


def test_a_dangling_reference_names_the_missing_actor(store: Path) -> None:
    break_participant(store)
    [problem] = problems(store)
    assert (problem.file, problem.record, problem.field) == (
        "mali/events.json",
        "coup-2012",
        "participants[0].actor",
    )
    assert problem.message == "actor 'no-such-actor' does not exist in mali/actors.json"
    assert str(problem) == (
        "mali/events.json, record 'coup-2012', field 'participants[0].actor': "
        "actor 'no-such-actor' does not exist in mali/actors.json"
    )


@pytest.mark.parametrize("licence", [None, "CC-BY-SA-4.0", "cc-by-4.0"])
def test_a_crisis_must_name_a_known_licence_for_its_records(
    store: Path, licence: str | None
) -> None:
    path = store / "mali" / "crisis.json"
    crisis = json.loads(path.read_text(encoding="utf-8"))
    crisis["licence"] = licence
    path.write_text(json.dumps(crisis), encoding="utf-8")
    [problem] = problems(store)
    assert (problem.file, problem.record, problem.field) == ("mali/crisis.json", "mali", "licence")
    assert problem.message == f"{licence!r} is not one of CC-BY-4.0"


def test_a_quote_not_in_its_passage_says_to_copy_it_exactly(store: Path) -> None:
    def change(actors: list[dict[str, Any]]) -> None:
        record(actors, "mnla", "slug")["evidence"][0]["quote"] = "words the page never says"

    edit(store, "actors.json", change)
    [problem] = problems(store)
    assert (problem.file, problem.record, problem.field) == (
        "mali/actors.json",
        "mnla",
        "evidence[0]",
    )
    assert "'words the page never says' is not in passage mali-p03 verbatim" in problem.message
    assert "copy it exactly" in problem.message


@pytest.mark.parametrize("bad_date", ["2013-13", "12 August 2013", "2013-02-29", "March"])
def test_a_malformed_date_names_the_accepted_forms(store: Path, bad_date: str) -> None:
    def change(events: list[dict[str, Any]]) -> None:
        record(events, "coup-2012")["date"] = bad_date

    edit(store, "events.json", change)
    [problem] = problems(store)
    assert (problem.file, problem.record, problem.field) == (
        "mali/events.json",
        "coup-2012",
        "date",
    )
    assert repr(bad_date) in problem.message
    assert '"YYYY" (2012), "YYYY-MM" (2012-03) or "YYYY-MM-DD" (2012-03-22)' in problem.message


def test_a_malformed_date_in_a_role_names_the_nested_field(store: Path) -> None:
    def change(actors: list[dict[str, Any]]) -> None:
        record(actors, "dioncounda-traore", "slug")["roles"][0]["start"] = "2012-13"

    edit(store, "actors.json", change)
    [problem] = problems(store)
    assert (problem.file, problem.record, problem.field) == (
        "mali/actors.json",
        "dioncounda-traore",
        "roles[0].start",
    )


def test_an_alias_shared_by_two_actors_names_both(store: Path) -> None:
    def change(actors: list[dict[str, Any]]) -> None:
        record(actors, "ansar-dine", "slug")["aliases"].append("mnla")  # case is folded

    edit(store, "actors.json", change)
    [problem] = problems(store)
    assert (problem.file, problem.record, problem.field) == (
        "mali/actors.json",
        "ansar-dine",
        "aliases",
    )
    assert problem.message.startswith("'mnla' also names 'mnla'")


def test_a_duplicate_id_is_reported(store: Path) -> None:
    def change(events: list[dict[str, Any]]) -> None:
        events.append(dict(record(events, "coup-2012"), title="A second coup"))

    edit(store, "events.json", change)
    [problem] = problems(store)
    assert (problem.file, problem.record, problem.field) == ("mali/events.json", "coup-2012", "id")
    assert "'coup-2012' is used twice in this file" in problem.message


def ambiguous_quote(repo: Repository) -> tuple[str, int]:
    text = repo.passage_of("mali", "mali-p07").text
    return "the MNLA", text.count("the MNLA")


def test_an_ambiguous_quote_needs_an_occurrence(store: Path, repo: Repository) -> None:
    quote, count = ambiguous_quote(repo)
    assert count > 1

    def change(actors: list[dict[str, Any]]) -> None:
        record(actors, "mnla", "slug")["evidence"][0] = {"passage": "mali-p07", "quote": quote}

    edit(store, "actors.json", change)
    [problem] = problems(store)
    assert (problem.file, problem.record, problem.field) == (
        "mali/actors.json",
        "mnla",
        "evidence[0]",
    )
    assert f"occurs {count} times in mali-p07" in problem.message
    assert '"occurrence": N' in problem.message


def test_an_occurrence_picks_which_one_and_the_loader_computes_its_offsets(
    store: Path, repo: Repository
) -> None:
    quote, count = ambiguous_quote(repo)

    def change(actors: list[dict[str, Any]]) -> None:
        evidence = {"passage": "mali-p07", "quote": quote, "occurrence": count}
        record(actors, "mnla", "slug")["evidence"][0] = evidence

    edit(store, "actors.json", change)
    [mali] = load_store(store)
    [mnla] = [a for a in mali.actors if a.id == "mnla"]
    text = repo.passage_of("mali", "mali-p07").text
    assert mnla.evidence[0].start == text.rindex(quote)
    assert text[mnla.evidence[0].start : mnla.evidence[0].end] == quote


@pytest.mark.parametrize("occurrence", [0, 99, "2"])
def test_an_occurrence_out_of_range_is_reported(
    store: Path, repo: Repository, occurrence: object
) -> None:
    quote, count = ambiguous_quote(repo)

    def change(actors: list[dict[str, Any]]) -> None:
        evidence = {"passage": "mali-p07", "quote": quote, "occurrence": occurrence}
        record(actors, "mnla", "slug")["evidence"][0] = evidence

    edit(store, "actors.json", change)
    [problem] = problems(store)
    assert (problem.record, problem.field) == ("mnla", "evidence[0]")
    assert problem.message == f"occurrence must be 1 to {count}, not {occurrence!r}"


def test_every_problem_is_reported_at_once(store: Path) -> None:
    break_participant(store)

    def change(figures: list[dict[str, Any]]) -> None:
        record(figures, "idps-2012-ocha")["qualifier"] = "ROUGHLY"

    edit(store, "figures.json", change)
    found = problems(store)
    problem_at(found, "mali/events.json", "coup-2012", "participants[0].actor")
    problem_at(found, "mali/figures.json", "idps-2012-ocha", "qualifier")


@pytest.mark.parametrize(
    ("field", "value", "problem_field"),
    [
        ("kind", ["ARMED_GROUP"], "kind"),
        ("evidence", [{"passage": ["mali-p03"], "quote": "MNLA"}], "evidence[0]"),
    ],
)
def test_a_field_of_the_wrong_json_type_is_a_store_error(
    store: Path, field: str, value: object, problem_field: str
) -> None:
    def change(actors: list[dict[str, Any]]) -> None:
        record(actors, "mnla", "slug")[field] = value

    edit(store, "actors.json", change)
    problem_at(problems(store), "mali/actors.json", "mnla", problem_field)


def test_a_boolean_occurrence_is_reported(store: Path, repo: Repository) -> None:
    quote, _ = ambiguous_quote(repo)

    def change(actors: list[dict[str, Any]]) -> None:
        evidence = {"passage": "mali-p07", "quote": quote, "occurrence": True}
        record(actors, "mnla", "slug")["evidence"][0] = evidence

    edit(store, "actors.json", change)
    problem_at(problems(store), "mali/actors.json", "mnla", "evidence[0]")


# -- the validator's command and the server's start-up -------------------------------

PROBLEM_LINE = (
    "mali/events.json, record 'coup-2012', field 'participants[0].actor': "
    "actor 'no-such-actor' does not exist in mali/actors.json"
)


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )


def test_validate_prints_the_counts_of_the_real_store(repo: Repository) -> None:
    done = run(["-m", "data", "validate", "--data-dir", str(DEFAULT_DATA_DIR)])
    assert (done.returncode, done.stderr) == (0, "")
    counts = dict(re.findall(r"^\s+(\w+)\s+(\d+)$", done.stdout, re.MULTILINE))
    assert counts.pop("drafts") == "0"  # the real store serves all it holds
    assert counts == {
        name: str(len(getattr(repo, name)))
        for name in (
            "passages",
            "actors",
            "places",
            "events",
            "relations",
            "resolutions",
            "documents",
            "figures",
        )
    }
    assert done.stdout.splitlines()[0] == "mali: Crisis in Mali"
    assert done.stdout.rstrip().endswith("no problems")


def test_validate_exits_1_with_the_problem_on_stderr(store: Path) -> None:
    break_participant(store)
    done = run(["-m", "data", "validate", "--data-dir", str(store)])
    assert done.returncode == 1
    assert PROBLEM_LINE in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_validate_reads_the_data_dir_from_the_environment(store: Path) -> None:
    break_participant(store)
    done = run(["-m", "data", "validate"], CRISISGRAPH_DATA_DIR=str(store))
    assert done.returncode == 1
    assert PROBLEM_LINE in done.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_the_server_refuses_to_start_on_a_broken_store(store: Path, tmp_path: Path) -> None:
    break_participant(store)
    done = run(
        ["server.py", "--port", str(free_port())],
        CRISISGRAPH_DATA_DIR=str(store),
        CRISISGRAPH_INDEX_DIR=str(tmp_path / "index"),
    )
    assert done.returncode == 1
    assert f"crisisgraph cannot start: the data store has 1 problem(s):\n  - {PROBLEM_LINE}" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr + done.stdout


def test_uvicorn_refuses_to_start_on_a_broken_store(store: Path, tmp_path: Path) -> None:
    break_participant(store)
    done = run(
        ["-m", "uvicorn", "server:app", "--port", str(free_port())],
        CRISISGRAPH_DATA_DIR=str(store),
        CRISISGRAPH_INDEX_DIR=str(tmp_path / "index"),
    )
    assert done.returncode != 0
    output = done.stderr + done.stdout
    assert PROBLEM_LINE in output
    assert "Traceback" not in output
