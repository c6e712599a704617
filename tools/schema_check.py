"""`python -m tools.schema_check [--base REV]`: is the schema still the contract it was?

Compares the live schema (the code's, as `python -m schema export` prints it) with the
committed `schema.graphql` at a base revision, using graphql-core's find_breaking_changes
and find_dangerous_changes. Every change is listed; the check fails (exit 1) on a breaking
change unless a line added to CHANGELOG.md since the base names it by one of its schema
coordinates in backticks (`Query.events`, `Query.resolutions(crisis:)`, `EventKind.COUP`).
A dangerous change (an enum value or union member added, a default changed) is reported but
does not fail: clients that switch over every case should look.

The base is, by default, the latest release tag (`v*`) before this commit, or the previous
commit (HEAD~1) where there is none; `--base` names another (a tag, a branch, a commit).
Exit 2 when the base cannot be read.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from graphql import GraphQLSchema, build_schema
from graphql.utilities import find_breaking_changes, find_dangerous_changes

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = "schema.graphql"
CHANGELOG = "CHANGELOG.md"

# A schema coordinate as graphql-core's change descriptions write them: Type, Type.field,
# Type.field(arg:), Enum.VALUE, @directive, @directive(arg:).
COORDINATE = re.compile(r"@?[_A-Za-z]\w*(?:\.[_A-Za-z]\w*)?(?:\([_A-Za-z]\w*:\))?")


class BaseUnreadable(Exception):
    """The base revision does not exist here (a shallow clone, a typo)."""


@dataclass(frozen=True)
class Change:
    kind: str  # graphql-core's change type, e.g. FIELD_CHANGED_KIND
    description: str
    coordinates: tuple[str, ...]  # what an entry may name it by
    breaking: bool
    named: bool  # a CHANGELOG line added since the base names one of its coordinates

    @property
    def fails(self) -> bool:
        return self.breaking and not self.named


def coordinates(description: str, schemas: Iterable[GraphQLSchema]) -> tuple[str, ...]:
    """What a change can be named by. graphql-core's descriptions put the element changed
    first ("Field Query.events changed type from EventConnection! to EventConnection."), so
    that is the first field, argument, enum value or directive they mention; a change to
    types alone ("A was removed from union type U.") can be named by any type it mentions.
    Bare words count only where they name a type ("Field" and "Enum" do not)."""
    types = {name for s in schemas for name in s.type_map}
    found = list(dict.fromkeys(COORDINATE.findall(description)))
    members = [c for c in found if any(mark in c for mark in ".(@")]
    return (members[0],) if members else tuple(c for c in found if c in types)


def compare(old_sdl: str, new_sdl: str, added: str) -> list[Change]:
    """Every breaking and dangerous change from `old_sdl` to `new_sdl`; `added` is the text
    added to the changelog since the old schema."""
    old, new = build_schema(old_sdl), build_schema(new_sdl)
    found = [(c.type.name, c.description, True) for c in find_breaking_changes(old, new)]
    found += [(c.type.name, c.description, False) for c in find_dangerous_changes(old, new)]
    changes = []
    for kind, description, breaking in found:
        coords = coordinates(description, (old, new))
        named = any(f"`{c}`" in added for c in coords)
        changes.append(Change(kind, description, coords, breaking, named))
    return changes


# -- git -------------------------------------------------------------------------------


def git(root: Path, *args: str) -> str | None:
    """Standard output of a git command, or None if it failed."""
    done = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=60
    )
    return done.stdout if done.returncode == 0 else None


def default_base(root: Path) -> str:
    tag = git(root, "describe", "--tags", "--abbrev=0", "--match", "v[0-9]*", "HEAD~1")
    return tag.strip() if tag else "HEAD~1"


def file_at(root: Path, revision: str, path: str) -> str | None:
    """A file's text at a revision; None if it did not exist there. BaseUnreadable if the
    revision itself is unknown."""
    if git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}") is None:
        raise BaseUnreadable(
            f"cannot read revision {revision!r} here (a shallow clone, or a typo): fetch more "
            "history or pass another with --base"
        )
    return git(root, "show", f"{revision}:{path}")


def added_lines(old: str, new: str) -> str:
    """The lines of `new` that `old` does not have: the entries written since."""
    before = set(old.splitlines())
    return "\n".join(line for line in new.splitlines() if line not in before)


# -- the command -----------------------------------------------------------------------


def code_sdl() -> str:
    from schema.__main__ import sdl

    return sdl()


def main(
    argv: list[str] | None = None,
    *,
    root: Path = ROOT,
    live_sdl: Callable[[], str] = code_sdl,
) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.schema_check", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--base",
        help="the revision whose schema.graphql is the contract "
        "(default: the last v* tag before HEAD, else HEAD~1)",
    )
    args = parser.parse_args(argv)
    base = args.base or default_base(root)
    try:
        old_sdl = file_at(root, base, SCHEMA_FILE)
        old_changelog = file_at(root, base, CHANGELOG) or ""
    except BaseUnreadable as error:
        print(f"schema check: {error}", file=sys.stderr)
        return 2
    if old_sdl is None:
        print(f"schema check: no {SCHEMA_FILE} at {base}: nothing to compare with")
        return 0
    changelog = root / CHANGELOG
    new_changelog = changelog.read_text("utf-8") if changelog.is_file() else ""
    changes = compare(old_sdl, live_sdl(), added_lines(old_changelog, new_changelog))

    print(f"schema check against {SCHEMA_FILE} at {base}: {len(changes)} change(s)")
    for change in changes:
        if not change.breaking:
            print(f"  dangerous  {change.description}")
        elif change.named:
            print(f"  breaking   {change.description}  (named in {CHANGELOG})")
        else:
            names = " or ".join(f"`{c}`" for c in change.coordinates) or "it"
            print(f"  BREAKING   {change.description}  (not in {CHANGELOG}: name {names})")
    failed = [c for c in changes if c.fails]
    if failed:
        print(
            f"{len(failed)} breaking change(s) without a {CHANGELOG} entry: add one naming each, "
            "saying what clients must do, or undo the change",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
