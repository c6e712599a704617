"""`python -m index build` (re)builds the search index; `python -m index check`
says whether it matches the store (exit 1 if not).

Both read CRISISGRAPH_DATA_DIR and CRISISGRAPH_INDEX_DIR, like the server.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from data.loader import StoreError, store_digest
from data.repository import Repository
from index.build import build_index
from index.lifecycle import index_status
from settings import Settings, data_dir_from_env


def build(data_dir: Path, index_dir: Path, *, progress: bool) -> int:
    try:
        repo = Repository.load(data_dir)
    except StoreError as error:
        print(error, file=sys.stderr)
        return 1
    report = build_index(repo, index_dir, progress=progress)
    rate = report.documents / report.seconds if report.seconds else 0.0
    print(
        f"indexed {report.documents} documents from {data_dir} in {report.seconds:.2f} s "
        f"({rate:,.0f} documents/s)"
    )
    for kind, count in report.counts.items():
        print(f"  {kind:<12}{count:>6}")
    print(f"into {report.snapshot}")
    return 0


def check(data_dir: Path, index_dir: Path) -> int:
    if not data_dir.is_dir():
        print(f"no data store at {data_dir}: set CRISISGRAPH_DATA_DIR", file=sys.stderr)
        return 1
    status = index_status(index_dir, store_digest(data_dir))
    print(status.message, file=sys.stdout if status.current else sys.stderr)
    return 0 if status.current else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="rebuild the index from the store")
    build_cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    commands.add_parser("check", help="exit 0 if the index matches the store, 1 if not")
    args = parser.parse_args(argv)
    data_dir, index_dir = data_dir_from_env(), Settings.from_env().index_dir
    if args.command == "build":
        return build(data_dir, index_dir, progress=not args.quiet)
    return check(data_dir, index_dir)


if __name__ == "__main__":
    sys.exit(main())
