"""`python -m schema export [PATH]`: write the SDL (default: schema.graphql at the repo root).

The committed schema.graphql is what research tools and reviewers read; a test fails
when it differs from the code, so regenerate it with this command after a change.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from schema import build_schema

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "schema.graphql"


def sdl() -> str:
    return build_schema().as_str().rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m schema", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write the SDL")
    export.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    args = parser.parse_args(argv)
    args.path.write_text(sdl(), encoding="utf-8")
    print(f"wrote {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
