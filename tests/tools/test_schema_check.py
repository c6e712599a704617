"""tools/schema_check.py: breaking changes fail unless the changelog names them, dangerous
ones are reported, and the base revision is the last release tag or the previous commit."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tools.schema_check import compare, default_base, main

V1 = """
type Query {
  "Every event."
  events(first: Int): EventConnection!
  kinds: [Kind!]!
  found: Found
}
type EventConnection { total: Int! }
enum Kind { COUP ATTACK }
type Coup { id: ID! }
type Attack { id: ID! }
union Found = Coup | Attack
"""
NULLABLE = V1.replace("EventConnection!", "EventConnection")
FEWER_KINDS = V1.replace("COUP ATTACK", "COUP")
MORE_KINDS = V1.replace("COUP ATTACK", "COUP ATTACK PROTEST")
NARROWER_UNION = V1.replace("union Found = Coup | Attack", "union Found = Coup")
ARGUMENT_GONE = V1.replace("events(first: Int)", "events")


def breaking(old: str, new: str, added: str = "") -> list[tuple[str, bool]]:
    return [(c.description, c.named) for c in compare(old, new, added) if c.breaking]


def test_an_unchanged_schema_has_no_changes() -> None:
    assert compare(V1, V1, "") == []


@pytest.mark.parametrize(
    ("new", "description", "name"),
    [
        (
            NULLABLE,
            "Field Query.events changed type from EventConnection! to EventConnection.",
            "Query.events",
        ),
        (FEWER_KINDS, "Enum value Kind.ATTACK was removed.", "Kind.ATTACK"),
        (ARGUMENT_GONE, "Argument Query.events(first:) was removed.", "Query.events(first:)"),
    ],
)
def test_a_breaking_change_fails_until_the_changelog_names_it(
    new: str, description: str, name: str
) -> None:
    assert breaking(V1, new) == [(description, False)]
    assert breaking(V1, new, f"- `{name}` is gone: do this instead") == [(description, True)]
    # Named without backticks, or by a type it merely mentions, does not count.
    assert breaking(V1, new, f"- {name} is gone; `EventConnection` too") == [(description, False)]


def test_a_change_to_types_alone_is_named_by_any_of_them() -> None:
    [change] = compare(V1, NARROWER_UNION, "")
    assert change.coordinates == ("Attack", "Found")
    assert change.breaking and not change.named
    assert compare(V1, NARROWER_UNION, "`Found` no longer holds attacks")[0].named


def test_a_dangerous_change_is_reported_and_does_not_fail() -> None:
    [change] = compare(V1, MORE_KINDS, "")
    assert (change.kind, change.description) == (
        "VALUE_ADDED_TO_ENUM",
        "Enum value Kind.PROTEST was added.",
    )
    assert not change.breaking and not change.fails


# -- against a git repository ------------------------------------------------------------


class Repo:
    """A throwaway git repository holding schema.graphql and CHANGELOG.md."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
        }
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout

    def commit(self, schema: str | None = None, changelog: str | None = None) -> None:
        if schema is not None:
            (self.root / "schema.graphql").write_text(schema, "utf-8")
        if changelog is not None:
            (self.root / "CHANGELOG.md").write_text(changelog, "utf-8")
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", "change")

    def check(self, live: str, *argv: str) -> int:
        return main(list(argv), root=self.root, live_sdl=lambda: live)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    made = Repo(tmp_path)
    made.commit(V1, "# Changelog\n\n- `Query.events` was renamed long ago\n")
    return made


def test_the_check_fails_on_an_unnamed_breaking_change_and_says_what_to_name(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.commit()  # HEAD~1 now has V1
    assert repo.check(NULLABLE) == 1
    out, err = capsys.readouterr()
    assert "BREAKING   Field Query.events changed type" in out
    assert "name `Query.events`" in out
    assert "1 breaking change(s) without a CHANGELOG.md entry" in err


def test_an_entry_added_since_the_base_lets_it_pass(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.commit()
    changelog = repo.root / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text() + "- `Query.events` may be null: handle it\n", "utf-8"
    )
    assert repo.check(NULLABLE) == 0
    assert "(named in CHANGELOG.md)" in capsys.readouterr().out


def test_an_old_entry_does_not_name_a_new_change(repo: Repo) -> None:
    """The base's changelog already says `Query.events`: that entry is about another change."""
    repo.commit()
    assert repo.check(NULLABLE) == 1


def test_dangerous_changes_pass(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit()
    assert repo.check(MORE_KINDS) == 0
    assert "dangerous  Enum value Kind.PROTEST was added." in capsys.readouterr().out


def test_the_base_is_the_last_release_tag_else_the_previous_commit(repo: Repo) -> None:
    repo.commit()
    assert default_base(repo.root) == "HEAD~1"
    repo.git("tag", "v1.0")
    repo.commit(NULLABLE)  # a change after the release...
    repo.commit()  # ...and another commit: HEAD~1 is NULLABLE, the release is V1
    assert default_base(repo.root) == "v1.0"
    assert repo.check(NULLABLE) == 1
    assert repo.check(NULLABLE, "--base", "HEAD~1") == 0
    # The release commit itself compares with the release before it, not with itself.
    repo.git("checkout", "-q", "v1.0")
    assert default_base(repo.root) == "HEAD~1"


def test_an_unreadable_base_is_exit_2(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert repo.check(V1) == 2  # one commit: there is no HEAD~1
    assert "cannot read revision 'HEAD~1'" in capsys.readouterr().err
    assert repo.check(V1, "--base", "no-such-tag") == 2


def test_a_base_without_a_schema_has_nothing_to_compare(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = Repo(tmp_path)
    repo.commit(changelog="# Changelog\n")
    repo.commit(V1)
    assert repo.check(NULLABLE) == 0
    assert "no schema.graphql at HEAD~1" in capsys.readouterr().out
