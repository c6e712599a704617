"""Audit GraphQL-over-HTTP compliance: graphql-http's server audits against the live server.

    python -m tools.http_audit [--skip-install]

Installs the pinned audit suite (`npm ci` in tools/http-audit), starts the server on a free
port of 127.0.0.1, runs the audits and stops the server. Exits non-zero when any MUST or
SHOULD audit fails.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from tools.live_server import live_server

AUDIT_DIR = Path(__file__).resolve().parent / "http-audit"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--skip-install", action="store_true", help="use the installed node_modules as they are"
    )
    args = parser.parse_args(argv)
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        print("http-audit: node and npm are needed (Node 18 or later)", file=sys.stderr)
        return 2
    if not args.skip_install:
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=AUDIT_DIR, check=True
        )
    with live_server() as server:
        print(f"auditing {server.graphql_url}", flush=True)
        return subprocess.run([node, "audit.mjs", server.graphql_url], cwd=AUDIT_DIR).returncode


if __name__ == "__main__":
    sys.exit(main())
