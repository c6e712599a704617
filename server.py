"""The crisisgraph server: GraphQL and GraphiQL at /graphql, /healthz, on Starlette.

    python server.py [--host 127.0.0.1] [--port 8000] [--workers N]
    uvicorn server:app

The store is loaded and validated once at start-up (a broken store stops the start with
the validator's message); the search index is opened, or rebuilt in the background when
it is stale, and /healthz answers 200 once both are ready. `python server.py` runs one
worker process per core (web.workers): the store is loaded and the index opened (or built)
once, before the workers start.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import os
import sys
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from data.loader import StoreError
from data.repository import Repository
from data.snapshot import load_repository
from index.layout import SnapshotInfo
from resolvers.context import Context, RateStatus
from resolvers.deadline import Deadline
from schema import build_schema
from schema.admission import rate_limited
from settings import Settings
from web import assets
from web.access_log import STATE_KEY, Operation, RequestRecord, show_access_log
from web.clients import TrustedProxies
from web.errors import error_response
from web.explore.page import explore_routes
from web.exports import export_routes
from web.graphiql import ASSET_VERSIONS, CDN, SCRIPT, asset_bases, page_policy, render_page
from web.logs import show_app_logs
from web.metrics import MULTIPROCESS_DIR, Metrics
from web.middleware import BodyLimit, ConditionalGet, SecurityHeaders
from web.persisted import AutomaticStore, PersistedGraphQL, SavedOperations, operations_route

log = logging.getLogger("crisisgraph")


class State:
    """What the lifespan makes ready, shared by every request."""

    def __init__(self) -> None:
        self.repository: Repository | None = None
        self.search_index: Any = None
        self.index_error: str | None = None
        self.startup_error: StoreError | None = None
        self.metrics: Metrics | None = None  # for a metrics port of the arbiter's (main)

    def knows_crisis(self, slug: str) -> bool:
        return self.repository is None or slug in self.repository.crisis_by_slug

    def version(self) -> str | None:
        """What a response's content depends on: the store's digest, its crises' release
        versions, and the snapshot of the search index served (search answers change with
        it); None before the store loads."""
        if self.repository is None:
            return None
        index = self.search_index
        snapshot = index.location.name if index is not None else "-"
        return f"{self.repository.digest}:{self.repository.versions}:{snapshot}"


class GraphQLApp(PersistedGraphQL):
    def __init__(
        self,
        state: State,
        settings: Settings,
        saved: SavedOperations,
        metrics: Metrics | None = None,
    ) -> None:
        self.schema_ = build_schema(
            settings.limits, debug=settings.debug, introspection=settings.introspection
        )
        self.metrics = metrics
        if metrics is not None:
            self.schema_.documents = metrics.counted_cache(self.schema_.documents)
        super().__init__(self.schema_, allow_queries_via_get=True)
        self.state = state
        self.limits = settings.limits
        self.proxies = TrustedProxies(settings.limits.trusted_proxies)
        self.saved = saved
        self.automatic = AutomaticStore()
        self.page = render_page(
            asset_bases(local_assets_url(settings)), "/graphiql", [op.source for op in saved]
        )

    async def get_context(self, request: Any, response: Any) -> Context:
        assert self.state.repository is not None, "requests arrive only after the lifespan"
        index = self.state.search_index
        context = Context(
            self.state.repository,
            self.metrics.timed_search(index) if self.metrics is not None else index,
            request,
            response,
            deadline=Deadline(self.limits.time_budget, request.state.arrived),
            client=request.state.client,
        )
        request.state.context = context  # for the view's status and Retry-After
        return context

    async def refuse_early(self, request: Request) -> Response | None:
        request.state.arrived = time.monotonic()
        request.state.client = self.proxies.client(request.scope)
        wait = self.schema_.rates.wait(request.state.client)
        if wait is None or self.should_render_graphql_ide(self.request_adapter_class(request)):
            return None
        rates = self.schema_.rates
        status = RateStatus(0, rates.limit, 0, rates.clock() + wait)
        error = rate_limited(status, wait)
        setattr(request.state, STATE_KEY, Operation(None, None, ("RATE_LIMITED",), None))
        return error_response(
            429,
            error.message,
            "RATE_LIMITED",
            media_type=request.state.media_type,
            retry_after=wait,
            **{k: v for k, v in (error.extensions or {}).items() if k != "code"},
        )

    async def render_graphql_ide(self, request: Any) -> Response:
        return Response(self.page, media_type="text/html")

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        data, request = kwargs.get("request_data"), kwargs.get("request")
        if data is not None and request is not None:  # for the log line and the metrics
            request.state.operation_name = data.operation_name
        return await super().execute_single(*args, **kwargs)

    async def process_result(self, request: Any, result: Any) -> Any:
        response = await super().process_result(request, result)
        state = request.state
        operation = Operation.of(
            result.errors or (),
            getattr(state, "context", None),
            getattr(state, "operation_name", None),
        )
        setattr(state, STATE_KEY, operation)
        return response


ASSETS_URL = "/graphiql/assets"
SWITCH_INTERVAL = 0.001  # seconds


def local_assets_url(settings: Settings) -> str | None:
    """Where the page loads GraphiQL from: this server when installed, else None (the CDN)."""
    return ASSETS_URL if assets.installed(settings.assets_dir) else None


def create_app(
    settings: Settings | None = None,
    repository: Repository | None = None,
    snapshot: Path | None = None,
) -> Starlette:
    """The app; with `repository`, the lifespan serves that store instead of loading one,
    and with `snapshot` (a checked snapshot of its index), opens that one."""
    settings = settings or Settings.from_env()
    serving = settings.serving
    # The event loop shares the interpreter lock with the worker threads; handing it over
    # every millisecond instead of every five keeps the loop answering cheap requests
    # while heavy ones run (the same work takes a little longer, under contention only).
    sys.setswitchinterval(SWITCH_INTERVAL)
    state = State()
    local = local_assets_url(settings)
    if local is None:
        log.warning(
            "GraphiQL assets are not installed in %s: the GraphiQL page loads them from %s. "
            "Run `python -m server assets` to serve them from this server instead.",
            settings.assets_dir,
            CDN,
        )
    asset_routes = [
        Mount(
            f"{ASSETS_URL}/{name}",
            StaticFiles(directory=assets.modules_dir(settings.assets_dir) / name),
        )
        for name in ASSET_VERSIONS
        if local is not None
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        show_app_logs()  # the index build below says what it does and how long it took
        if serving.access_log:
            show_access_log()
        if metrics is not None and serving.metrics_port and MULTIPROCESS_DIR not in os.environ:
            metrics.serve_on_port(serving.metrics_host, serving.metrics_port)  # else the arbiter
        try:  # all-or-nothing: a broken store stops the start-up (see StartupGuard)
            loaded = repository
            if loaded is None:
                # From the snapshot of the validated store kept beside the index, when
                # it is this store's (data/snapshot.py); else from the JSON, validated.
                loaded = await asyncio.to_thread(
                    load_repository, settings.data_dir, settings.index_dir
                )
        except StoreError as error:
            state.startup_error = error
            raise
        state.repository = loaded
        log.info("store loaded from %s (digest %.12s)", settings.data_dir, loaded.digest)
        # The store and the modules live as long as the process: out of the collector's
        # sight, no collection walks their half a million objects again (the first ones
        # would have doubled the time the index takes to open).
        gc.freeze()
        thread = threading.Thread(
            target=_open_index, args=(state, settings, snapshot), name="index", daemon=True
        )
        thread.start()
        yield

    async def healthz(request: Request) -> Response:
        ready = state.repository is not None and state.search_index is not None
        body = {
            "store": "ready" if state.repository else "loading",
            "index": "ready" if state.search_index else (state.index_error or "building"),
        }
        return JSONResponse(body, status_code=200 if ready else 503)

    async def graphiql_script(request: Request) -> Response:
        return PlainTextResponse(SCRIPT, media_type="text/javascript")

    def data_facts() -> tuple[str, SnapshotInfo, str] | None:
        """What /metrics says about the data served (web.metrics.DataFacts)."""
        store = state.repository or repository
        index = state.search_index
        if store is None:
            return None
        if index is not None:
            return store.digest, index.info, index.location.name
        if snapshot is not None:  # the arbiter, which never opens the index itself
            return store.digest, SnapshotInfo.read(snapshot), snapshot.name
        return None

    saved = SavedOperations.load(settings.queries_dir)
    metrics = Metrics(data_facts, [op.name for op in saved]) if serving.metrics else None
    graphql = GraphQLApp(state, settings, saved, metrics)

    async def metrics_page(request: Request) -> Response:
        assert metrics is not None
        body = await asyncio.to_thread(metrics.exposition)  # reads every worker's files
        return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")

    metrics_routes = (
        [Route("/metrics", metrics_page)]
        if metrics is not None and not serving.metrics_port
        else []
    )
    app = Starlette(
        debug=False,
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            operations_route(saved),
            Route("/graphiql/graphiql.js", graphiql_script),
            Route("/healthz", healthz),
            *metrics_routes,
            *export_routes(lambda: state.repository),
            *explore_routes(
                settings.assets_dir,
                saved,
                known=lambda slug: (
                    state.repository is None or slug in state.repository.crisis_by_slug
                ),
            ),
            *asset_routes,
        ],
        middleware=[
            Middleware(RequestRecord, metrics=metrics, log_lines=serving.access_log),
            Middleware(SecurityHeaders, page_policy=page_policy(local)),
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type", "Accept", "If-None-Match"],
                expose_headers=[
                    "ETag",
                    "Link",
                    "X-Crisisgraph-Attribution",
                    "X-Crisisgraph-Version",
                ],
                allow_credentials=False,  # public data: no cookies, no credentials
            ),
            Middleware(BodyLimit),
            Middleware(ConditionalGet, digest=state.version, cache_control=settings.cache_control),
        ],
        lifespan=lifespan,
    )
    # A slash redirect would echo the Host header into Location: no route needs one.
    app.router.redirect_slashes = False
    state.metrics = metrics
    return StartupGuard(app, state)  # type: ignore[return-value]


def _open_index(state: State, settings: Settings, snapshot: Path | None = None) -> None:
    """Open the search index (`snapshot`, if given: it was checked before the workers
    started), rebuilding it first if it does not match the store."""
    from index.lifecycle import ensure_index  # start-up only: it imports the index builder
    from index.search import SearchIndex
    from index.snapshot import Snapshot

    assert state.repository is not None
    try:
        if snapshot is not None:
            state.search_index = SearchIndex(
                settings.index_dir, digest=state.repository.digest, snapshot=Snapshot.open(snapshot)
            )
        else:
            state.search_index = ensure_index(state.repository, settings.index_dir)
        log.info("search index ready in %s", settings.index_dir)
    except Exception:  # /healthz says it failed; the log, not the client, says where and why
        state.index_error = "failed: see the server log"
        log.exception("could not open or build the search index in %s", settings.index_dir)


class StartupGuard:
    """Report a broken store at start-up as the validator's message, not a traceback.

    Starlette reports a failing lifespan with the full traceback; for a StoreError the
    traceback says nothing a curator needs, so it is replaced by the list of problems.
    """

    def __init__(self, app: Starlette, state: State) -> None:
        self.app = app
        self.state = state

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def guarded_send(message: Message) -> None:
            error = self.state.startup_error
            if message["type"] == "lifespan.startup.failed" and error is not None:
                message = {**message, "message": f"crisisgraph cannot start: {error}"}
            await send(message)

        # Reported through lifespan.startup.failed; the server then exits.
        with contextlib.suppress(StoreError):
            await self.app(scope, receive, guarded_send)


def install_assets(settings: Settings) -> int:
    print(f"installing {assets.describe()} into {settings.assets_dir} ...", file=sys.stderr)
    try:
        assets.install(settings.assets_dir)
    except RuntimeError as error:
        print(f"crisisgraph: {error}", file=sys.stderr)
        return 1
    print("done: restart the server to serve GraphiQL from it, not the CDN", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    settings = Settings.from_env()
    if argv[:1] == ["assets"]:
        return install_assets(settings)
    parser = argparse.ArgumentParser(
        prog="python server.py",
        description=__doc__.split("\n")[0],
        epilog="`python -m server assets` installs GraphiQL locally, so the page works offline.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument(
        "--workers",
        type=int,
        default=settings.serving.workers or os.cpu_count() or 1,
        help="worker processes (default: CRISISGRAPH_WORKERS, else one per core)",
    )
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    try:  # fail fast, before binding the port, with the validator's message
        repository = load_repository(settings.data_dir, settings.index_dir)
    except StoreError as error:
        print(f"crisisgraph cannot start: {error}", file=sys.stderr)
        return 1
    print(f"crisisgraph: GraphiQL at http://{args.host}:{args.port}/graphql", file=sys.stderr)
    from web import workers  # gunicorn: only this command needs it

    # Before create_app: its metrics choose multiprocess mode when first imported.
    with workers.metrics_dir():
        snapshot = _index_before_workers(repository, settings)
        # Loaded once, opened once: every worker is forked from this process.
        app = create_app(settings, repository, snapshot)
        metrics: Metrics | None = app.state.metrics
        if metrics is not None and settings.serving.metrics_port:
            metrics.serve_on_port(settings.serving.metrics_host, settings.serving.metrics_port)
        # Before the fork: a worker's collections then never touch the store's objects,
        # so the memory pages it shares with this process stay shared.
        gc.freeze()
        workers.run(app, args.host, args.port, args.workers, settings.serving)
    return 0


def _index_before_workers(repository: Repository, settings: Settings) -> Path | None:
    """Open the search index, building it first if needed, before any worker starts: the
    path of the snapshot every worker then opens. None if it failed (the log says why):
    the workers then try themselves, and /healthz reports it."""
    from index.lifecycle import ensure_index

    logging.getLogger("uvicorn.error").setLevel(logging.INFO)
    show_app_logs()
    try:
        # Kept open for the life of this process: its shared lock keeps the snapshot's
        # files from being deleted while workers may still be started on it.
        index = ensure_index(repository, settings.index_dir)
    except Exception:
        log.exception("could not open or build the search index in %s", settings.index_dir)
        return None
    _ARBITER_INDEX.append(index)
    return index.location


_ARBITER_INDEX: list[Any] = []


if __name__ == "__main__":
    sys.exit(main())
else:  # `uvicorn server:app`
    app = create_app()
