"""Index build speed at several scales, this checkout against an older one in the same run.

    .venv/bin/python -m bench.build                       # this checkout against main
    .venv/bin/python -m bench.build --before HEAD~3 --scales 1,10,100 --rounds 5

Each build runs in a fresh process (`nice -n -10` where allowed) with the code of one
tree: `before` is a git revision (extracted with `git archive` into a temporary folder),
`after` this checkout. They take turns round by round, in a rotating order, on the same
synthetic store (bench/synth.py), so a neighbour's load falls on both alike. Prints
documents/s, wall and CPU seconds (any child process's included) and peak RSS per build,
the median per scale, and the load average as it goes. Not part of pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import synth

ROOT = Path(__file__).resolve().parent.parent

# Run by the child with the tree under test as its working directory (first on sys.path),
# so it must use only what every tree has: Repository.load and build_index.
CHILD = """
import json, resource, sys, time
from pathlib import Path
import index
from data.repository import Repository
from index.build import build_index
repo = Repository.load(Path(sys.argv[1]))
cpu = time.process_time()
report = build_index(repo, Path(sys.argv[2]))
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "tree": str(Path(index.__file__).resolve().parent.parent),
    "documents": report.documents,
    "seconds": report.seconds,
    "cpu_s": time.process_time() - cpu + children.ru_utime + children.ru_stime,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def niced() -> list[str]:
    """`nice -n -10` if this user may raise priority and this process has not, else nothing
    (a child inherits its parent's niceness)."""
    if os.nice(0) < 0:
        return []
    try:
        probe = subprocess.run(["nice", "-n", "-10", "nice"], capture_output=True, text=True)
    except OSError:
        return []
    return ["nice", "-n", "-10"] if probe.stdout.strip() == "-10" else []


def extract(revision: str, into: Path) -> Path:
    """The tree of `revision` as plain files (no worktree to clean up)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True
    ).stdout
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def build_once(tree: Path, store: Path, index_dir: Path, prefix: list[str]) -> dict[str, Any]:
    shutil.rmtree(index_dir, ignore_errors=True)
    proc = subprocess.run(
        [*prefix, sys.executable, "-c", CHILD, str(store), str(index_dir)],
        cwd=tree, capture_output=True, text=True,
    )  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"the build in {tree} failed:\n{proc.stderr}")
    row: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    if Path(row["tree"]) != tree.resolve():
        raise SystemExit(f"the build meant for {tree} ran the code of {row['tree']}")
    row["documents_per_s"] = row["documents"] / row["seconds"]
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.build", description=__doc__)
    parser.add_argument("--before", default="main", help="git revision to compare against")
    parser.add_argument("--scales", default="1,10,100", help="comma-separated store scales")
    parser.add_argument("--rounds", type=int, default=3, help="builds per scale and tree")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",")]
    prefix = niced()
    niceness = os.nice(0) - 10 if prefix else os.nice(0)
    print(f"load average {load()}; nproc {os.cpu_count()}; builds at niceness {niceness}")
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        variants = {"before": extract(args.before, work / "before"), "after": ROOT}
        for scale in scales:
            store = synth.generate(work / f"store-{scale}", scale)
            runs: dict[str, list[dict[str, Any]]] = {name: [] for name in variants}
            names = list(variants)
            for round_ in range(args.rounds):
                shift = round_ % len(names)
                for name in names[shift:] + names[:shift]:
                    row = build_once(variants[name], store, work / "index", prefix)
                    runs[name].append(row)
                    print(
                        f"{scale:>4}x {name:<7} {row['documents']:>6} documents "
                        f"{row['documents_per_s']:>7,.0f}/s  wall {row['seconds']:6.2f} s "
                        f"cpu {row['cpu_s']:6.2f} s  peak RSS {row['peak_rss_mb']:5.0f} MB  "
                        f"load {load()}",
                        flush=True,
                    )
            medians = {
                name: statistics.median(r["documents_per_s"] for r in rows)
                for name, rows in runs.items()
            }
            cpu = {name: statistics.median(r["cpu_s"] for r in rows) for name, rows in runs.items()}
            print(
                f"{scale:>4}x median documents/s: "
                + ", ".join(
                    f"{name} {medians[name]:,.0f} (cpu {cpu[name]:.2f} s, "
                    f"x{medians[name] / medians['before']:.2f})"
                    for name in names
                ),
                flush=True,
            )
            shutil.rmtree(store, ignore_errors=True)
    print(f"load average {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
