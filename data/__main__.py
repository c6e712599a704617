"""`python -m data validate`: check the store and print what it holds.

`python -m data export --crisis mali --type events --format csv > events.csv`:
write one export (see web/EXPORTS.md) to standard output.

`python -m data datapackage --crisis mali > datapackage.json`: describe a crisis's CSV
exports, with their licence and source, as a Frictionless Data Package.

`python -m data counts --write README.md`: regenerate the table of what the store covers.

`python -m data ingest PAGE --crisis SLUG`, `python -m data ingest-eval` and
`python -m data review SLUG`: a page becomes drafts, drafts become records (data/README.md,
"From a page to records"; the code is data/ingest/ and data/review.py).

`python -m data release mali 1.1 --notes "..."`: release a crisis's records as a version.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from data import curation, datapackage, releases, summary
from data.export import MEDIA_TYPES, ExportNotFound, check_crisis, find_export
from data.loader import StoreError, load_store
from data.repository import Repository
from data.tables import RECORD_TYPES
from settings import DEFAULT_DATA_DIR, data_dir_from_env


def validate(data_dir: Path) -> int:
    try:
        crises = load_store(data_dir)
    except StoreError as error:
        print(error, file=sys.stderr)
        return 1
    for c in crises:
        print(f"{c.crisis.id}: {c.crisis.name}")
        for name, count in summary.counts(c).items():
            print(f"  {name:<12}{count:>5}")
        print(
            f"  {'drafts':<12}{c.drafts.count:>5}"
            + ("  (the crisis itself is a draft)" if c.draft else "")
        )
    print(f"{len(crises)} crisis folder(s) in {data_dir}: no problems")
    return 0


def export(data_dir: Path, crisis: str, type_name: str, fmt: str) -> int:
    try:
        repository = Repository.load(data_dir)
        chunks = find_export(repository, crisis, type_name, fmt).chunks()
    except StoreError as error:
        print(error, file=sys.stderr)
        return 1
    except ExportNotFound as error:
        print(f"python -m data export: {error}", file=sys.stderr)
        return 2
    # Bytes, not text: the export is UTF-8 with CRLF rows whatever the locale or platform.
    out = sys.stdout.buffer
    try:
        for chunk in chunks:
            out.write(chunk.encode("utf-8"))
        out.flush()
    except BrokenPipeError:  # `... | head` closed the pipe: stop quietly, as cat does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


def counts(data_dir: Path, write: Path | None) -> int:
    try:
        crises = [c for c in load_store(data_dir) if not c.draft]  # what is served
    except StoreError as error:
        print(error, file=sys.stderr)
        return 1
    if write is None:
        print(summary.table(crises), end="")
        return 0
    if not summary.write_into(write, crises):
        print(f"python -m data counts: {write} has no line {summary.BEGIN}", file=sys.stderr)
        return 2
    print(f"wrote the counts into {write}")
    return 0


def describe(data_dir: Path, crisis: str) -> int:
    try:
        repository = Repository.load(data_dir)
        check_crisis(repository, crisis)
    except StoreError as error:
        print(error, file=sys.stderr)
        return 1
    except ExportNotFound as error:
        print(f"python -m data datapackage: {error}", file=sys.stderr)
        return 2
    descriptor = datapackage.describe(repository, crisis)
    print(json.dumps(descriptor, ensure_ascii=False, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check every file of the store")
    check.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=f"the folder of crisis folders (default: $CRISISGRAPH_DATA_DIR or {DEFAULT_DATA_DIR})",
    )
    dump = commands.add_parser(
        "export",
        help="write one crisis's records of one type to standard output",
        description="Write an export to standard output, e.g. "
        "python -m data export --crisis mali --type events --format csv > events.csv",
    )
    dump.add_argument("--crisis", required=True, help="the crisis's slug, e.g. mali")
    dump.add_argument("--type", required=True, choices=RECORD_TYPES, help="the record type")
    dump.add_argument(
        "--format",
        required=True,
        choices=MEDIA_TYPES,
        help="geojson only for events and places",
    )
    dump.add_argument("--data-dir", type=Path, default=None, help="as for validate")
    package = commands.add_parser(
        "datapackage",
        help="describe one crisis's CSV exports as a Frictionless Data Package",
        description="Write datapackage.json to standard output: the licence, the source and "
        "every CSV export's columns, for the CSVs saved beside it as events.csv, actors.csv, ...",
    )
    package.add_argument("--crisis", required=True, help="the crisis's slug, e.g. mali")
    package.add_argument("--data-dir", type=Path, default=None, help="as for validate")
    tally = commands.add_parser(
        "counts",
        help="what the store covers, as a Markdown table",
        description="Print what the store covers as a Markdown table, or with --write put it "
        "between the counts markers of a document (README.md's Data section).",
    )
    tally.add_argument("--write", type=Path, default=None, help="the document to update")
    tally.add_argument("--data-dir", type=Path, default=None, help="as for validate")
    curation.add_commands(commands)
    publish = commands.add_parser(
        "release",
        help="release a crisis's records as a numbered version",
        description="Write releases/VERSION.json in the crisis folder (a content hash per "
        "record) and append the notes to its CHANGELOG.md; refused with drafts left or "
        "nothing changed (data/README.md, 'Releases').",
    )
    publish.add_argument("slug", help="the crisis's slug, e.g. mali")
    publish.add_argument("version", help="numbers joined by dots, after the latest, e.g. 1.1")
    publish.add_argument("--notes", required=True, help="what changed, for the changelog")
    publish.add_argument("--date", default=None, help="the release's day (default: today, UTC)")
    publish.add_argument("--data-dir", type=Path, default=None, help="as for validate")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or data_dir_from_env()
    if args.command in curation.COMMANDS:
        return curation.run(args, data_dir)
    if args.command == "counts":
        return counts(data_dir, args.write)
    if args.command == "export":
        return export(data_dir, args.crisis, args.type, args.format)
    if args.command == "release":
        return releases.command(data_dir, args.slug, args.version, args.notes, args.date)
    if args.command == "datapackage":
        return describe(data_dir, args.crisis)
    return validate(data_dir)


if __name__ == "__main__":
    sys.exit(main())
