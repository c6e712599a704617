"""`python -m data validate`: check the store and print what it holds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from data.loader import DEFAULT_DATA_DIR, StoreError, load_store
from settings import data_dir_from_env


def validate(data_dir: Path) -> int:
    try:
        crises = load_store(data_dir)
    except StoreError as error:
        print(error, file=sys.stderr)
        return 1
    for c in crises:
        counts = {
            "passages": len(c.passages),
            "actors": len(c.actors),
            "places": len(c.places),
            "events": len(c.events),
            "relations": len(c.relations),
            "resolutions": len(c.resolutions),
            "documents": len(c.documents),
            "figures": len(c.figures),
        }
        print(f"{c.crisis.id}: {c.crisis.name}")
        for name, count in counts.items():
            print(f"  {name:<12}{count:>5}")
    print(f"{len(crises)} crisis folder(s) in {data_dir}: no problems")
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
    args = parser.parse_args(argv)
    return validate(args.data_dir or data_dir_from_env())


if __name__ == "__main__":
    sys.exit(main())
