"""GraphiQL without the internet: `python -m server assets` installs the pinned GraphiQL and
React builds (web/assets/package.json and its lock file) from the npm registry into a
folder outside git; the server then serves the page's scripts itself."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

PINS = Path(__file__).resolve().parent / "assets"
# What the page loads from each package; its presence means the install is usable.
REQUIRED = (
    "react/umd/react.production.min.js",
    "react-dom/umd/react-dom.production.min.js",
    "graphiql/graphiql.min.js",
    "graphiql/graphiql.min.css",
)


def modules_dir(assets_dir: Path) -> Path:
    return assets_dir / "node_modules"


def installed(assets_dir: Path) -> bool:
    return all((modules_dir(assets_dir) / item).is_file() for item in REQUIRED)


def install(assets_dir: Path) -> None:
    """Install the pinned builds with `npm ci`; raise RuntimeError with what to do."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed: install Node.js and npm, then run this again")
    assets_dir.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json", ".npmrc"):
        shutil.copyfile(PINS / name, assets_dir / name)
    result = subprocess.run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
        cwd=assets_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not installed(assets_dir):
        raise RuntimeError(f"npm ci failed in {assets_dir}:\n{result.stderr.strip()}")


def describe() -> str:
    """The pinned packages `install` puts in place, from the manifest it installs."""
    manifest = json.loads((Path(__file__).parent / "assets" / "package.json").read_text("utf-8"))
    pinned: dict[str, str] = manifest["dependencies"]
    return ", ".join(f"{name} {version}" for name, version in pinned.items())
