"""One record per request: a JSON log line and the request metrics (web.metrics).

The outermost middleware times each request and reads what the GraphQL view noted about
its operation (`Operation`: name, cost, error codes, the id of a masked error) from the
request's state. The line carries a request id, also sent as `X-Request-Id`: the id of
the masked error if the response has one (the same id as in the error message and the
logged traceback), else a fresh one.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.metrics import Metrics

log = logging.getLogger("crisisgraph.access")

STATE_KEY = "operation"  # request.state.operation, set by the GraphQL view
# Refusals counted in crisisgraph_refusals: what a client is told to change or wait for.
REFUSALS = frozenset({"QUERY_TOO_COMPLEX", "RATE_LIMITED", "OVERLOADED"})
MAX_PATH = 200  # characters of a path written to the log


@dataclass(frozen=True)
class Operation:
    name: str | None
    cost: int | None
    codes: tuple[str, ...]
    request_id: str | None  # of a masked error

    @classmethod
    def of(
        cls, errors: Iterable[GraphQLError], context: Any, operation_name: str | None
    ) -> Operation:
        extensions = [e.extensions or {} for e in errors]
        codes = tuple(sorted({str(x["code"]) for x in extensions if "code" in x}))
        masked = next((str(x["requestId"]) for x in extensions if "requestId" in x), None)
        name = operation_name
        document = getattr(context, "document", None)
        if name is None and document is not None:
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            if len(operations) == 1 and operations[0].name is not None:
                name = operations[0].name.value
        return cls(name, getattr(context, "cost", None), codes, masked)


def route_of(path: str) -> str:
    """The route template a path belongs to: a bounded set of labels."""
    if path in ("/graphql", "/graphql/operations", "/healthz", "/metrics", "/graphiql/graphiql.js"):
        return path
    if path.startswith("/export/"):
        return "/export/{crisis}/{file}"
    if path.startswith("/graphiql/assets/"):
        return "/graphiql/assets"
    return "other"


class RequestRecord:
    def __init__(self, app: ASGIApp, metrics: Metrics | None, log_lines: bool) -> None:
        self.app = app
        self.metrics = metrics
        self.log_lines = log_lines

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        # Shared with every scope copied from this one, so the view's notes reach us.
        state = scope.setdefault("state", {})
        status = 500  # if the app fails before it answers
        request_id = ""
        counted = False

        async def send_noted(message: Message) -> None:
            nonlocal status, request_id, counted
            if message["type"] == "http.response.start":
                status = message["status"]
                operation = state.get(STATE_KEY)
                request_id = getattr(operation, "request_id", None) or uuid.uuid4().hex[:12]
                MutableHeaders(scope=message)["X-Request-Id"] = request_id
                # Counted before the client can see the answer: a worker killed just after
                # answering has still counted it.
                self.count(scope, status)
                counted = True
            await send(message)

        try:
            await self.app(scope, receive, send_noted)
        finally:
            if not counted:
                self.count(scope, status)  # it failed before it answered
            self.record(scope, status, time.perf_counter() - started, request_id, state)

    def count(self, scope: Scope, status: int) -> None:
        if self.metrics is not None:
            route = route_of(scope["path"])
            self.metrics.requests.labels(scope["method"], route, str(status)).inc()

    def record(
        self, scope: Scope, status: int, seconds: float, request_id: str, state: dict[str, Any]
    ) -> None:
        operation: Operation | None = state.get(STATE_KEY)
        path: str = scope["path"]
        metrics = self.metrics
        if metrics is not None:
            route = route_of(path)
            metrics.request_seconds.labels(route).observe(seconds)
            if operation is not None:
                name = metrics.operation_name(operation.name)
                metrics.operation_seconds.labels(name).observe(seconds)
                if operation.cost is not None:
                    metrics.operation_cost.observe(operation.cost)
                for code in operation.codes:
                    if code in REFUSALS:
                        metrics.refusals.labels(code).inc()
        if self.log_lines and log.isEnabledFor(logging.INFO):
            line = {
                "method": scope["method"],
                "path": path[:MAX_PATH],
                "operation": (operation.name or "")[:64] if operation else None,
                "cost": operation.cost if operation else None,
                "codes": list(operation.codes) if operation else [],
                "status": status,
                "ms": round(seconds * 1000, 2),
                "request_id": request_id,
            }
            log.info(json.dumps(line, separators=(",", ":")))


def show_access_log() -> None:
    """Write the access lines to standard error as bare JSON, one object a line (for a
    log shipper), unless the process configured this logger itself."""
    if log.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
