"""A real uvicorn server in a subprocess, for the few tests whose client is another program
(a browser, the example script): they need a socket, which the in-process TestClient is not.
It is tools.live_server's, with the index and the log kept in the test's own folder."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tools import live_server as live

ROOT = live.ROOT
DIRECT = live.DIRECT


@contextmanager
def live_server(workdir: Path, **env: str) -> Iterator[str]:
    """Run `uvicorn server:app` with these CRISISGRAPH_* settings; yield its base URL.

    Its log goes to `workdir/server.log`, which `server_log` reads back.
    """
    settings = {"CRISISGRAPH_INDEX_DIR": str(workdir / "index"), **env}
    with live.live_server(env=settings, log=workdir / "server.log") as server:
        yield server.url


def server_log(workdir: Path) -> str:
    return (workdir / "server.log").read_text(encoding="utf-8", errors="replace")
