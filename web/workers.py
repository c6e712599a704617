"""Several worker processes on one port: gunicorn's arbiter running uvicorn workers.

`python server.py --workers N` loads and validates the store and opens (building it if
needed) the search index once, in the arbiter, then builds the app and hands it to
gunicorn with `preload_app`: the workers are forked from that process, so none of them
loads the store again or builds the index, and each opens the very snapshot the arbiter
checked (its Whoosh files are opened after the fork, in the worker's lifespan: a file
offset shared across processes would mix their reads). Gunicorn replaces a worker that
dies and, on SIGTERM, stops accepting, lets in-flight requests finish (up to the graceful
timeout) and exits.

Why gunicorn and not `uvicorn --workers`: uvicorn's supervisor imports the app in each
worker from a string, so every worker would load the store and race to open the index;
gunicorn preloads once and forks. The worker class is `uvicorn_worker.UvicornWorker`, the
uvicorn maintainers' package that replaces the deprecated `uvicorn.workers`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication
from uvicorn_worker import UvicornWorker

from settings import Serving
from web.metrics import MULTIPROCESS_DIR


class CrisisWorker(UvicornWorker):  # type: ignore[misc]  # no type information
    """uvicorn as `python server.py` runs it: no `server` header, and no proxy headers
    (forwarded addresses are believed only from CRISISGRAPH_TRUSTED_PROXIES, by
    web.clients, not by uvicorn). Keep-alive and the connection limit come from gunicorn's
    `keepalive` and `worker_connections`, set from CRISISGRAPH_KEEP_ALIVE and
    CRISISGRAPH_MAX_CONNECTIONS."""

    CONFIG_KWARGS: dict[str, Any] = {  # noqa: RUF012 (the hook uvicorn-worker reads)
        "loop": "auto",
        "http": "auto",
        "server_header": False,
        "proxy_headers": False,
        "access_log": False,  # web.access_log writes one JSON line per request instead
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # uvicorn answers 503 past this many open connections (gunicorn's own setting
        # is not passed on by uvicorn-worker).
        self.config.limit_concurrency = self.cfg.worker_connections
        self.config.timeout_graceful_shutdown = self.cfg.graceful_timeout


@contextmanager
def metrics_dir() -> Iterator[Path]:
    """The folder where the workers keep their metrics, for as long as the block runs:
    PROMETHEUS_MULTIPROC_DIR emptied of an earlier run's numbers, else a temporary folder
    (removed afterwards). Enter it before prometheus_client is first imported."""
    chosen = os.environ.get(MULTIPROCESS_DIR)
    if chosen:
        folder = Path(chosen)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink()
        yield folder
        return
    folder = Path(tempfile.mkdtemp(prefix="crisisgraph-metrics-"))
    os.environ[MULTIPROCESS_DIR] = str(folder)
    try:
        yield folder
    finally:
        del os.environ[MULTIPROCESS_DIR]
        shutil.rmtree(folder, ignore_errors=True)


def _child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call] # its live gauges go; its counters stay


class Workers(BaseApplication):  # type: ignore[misc]  # gunicorn ships no types
    def __init__(self, app: Any, host: str, port: int, workers: int, serving: Serving) -> None:
        self.app = app
        self.options: dict[str, Any] = {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": CrisisWorker,
            "preload_app": True,
            "keepalive": serving.keep_alive,
            "worker_connections": serving.max_connections,
            "graceful_timeout": serving.graceful_timeout,
            "timeout": 30,  # seconds a silent worker (a stuck event loop) lives
            "forwarded_allow_ips": "",  # uvicorn's proxy headers stay off (see above)
            "control_socket_disable": True,  # a shared ~/.gunicorn socket: replicas collide
            "child_exit": _child_exit,
            "accesslog": None,
            "loglevel": "info",
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.app


def run(app: Any, host: str, port: int, workers: int, serving: Serving) -> None:
    """Serve `app` (built, with its store loaded) from `workers` processes until SIGTERM."""
    Workers(app, host, port, workers, serving).run()
