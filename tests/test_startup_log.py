"""`python server.py`, as the README starts it, says in its log when it builds the search
index, how many documents and how long it took, and that restarting reuses the index."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from data.repository import Repository
from index.documents import document_counts
from tools.live_server import DIRECT, ROOT, free_port


def start_and_stop(index_dir: Path) -> str:
    """Run `python server.py` until /healthz says 200, stop it, return what it printed."""
    port = free_port()
    env = {**os.environ, "CRISISGRAPH_INDEX_DIR": str(index_dir)}
    process = subprocess.Popen(
        [sys.executable, "server.py", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, "the server exited"
            try:
                with DIRECT.open(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.05)
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    return err


def test_the_first_start_logs_the_index_build_and_the_second_reuses_it(
    tmp_path: Path, repo: Repository
) -> None:
    index_dir = tmp_path / "index"
    first = start_and_stop(index_dir)
    documents = sum(document_counts(repo).values())
    assert re.search(
        rf"^INFO: +building the search index in {re.escape(str(index_dir))}: "
        rf"{documents} documents \.\.\.$",
        first,
        re.MULTILINE,
    ), first
    assert re.search(
        rf"^INFO: +search index built: {documents} documents in \d+\.\d s$", first, re.MULTILINE
    ), first

    second = start_and_stop(index_dir)
    assert "search index ready in" in second
    assert "building the search index" not in second
