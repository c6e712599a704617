"""HTTP hygiene for a public, read-only API: security headers, a request body limit, and
conditional GETs (ETag from the store digest, 304 without running the query)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 100_000

# The API's own responses load nothing; the GraphiQL page sets its own policy.
API_POLICY = "default-src 'none'; frame-ancestors 'none'"


class SecurityHeaders:
    def __init__(self, app: ASGIApp, page_policy: str) -> None:
        self.app = app
        self.page_policy = page_policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("X-Frame-Options", "DENY")
                is_page = headers.get("content-type", "").startswith("text/html")
                headers.setdefault(
                    "Content-Security-Policy", self.page_policy if is_page else API_POLICY
                )
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _send_json(send: Send, status: int, body: dict[str, object]) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


def too_large(limit: int) -> dict[str, object]:
    return {
        "errors": [
            {
                "message": f"the request body is larger than {limit:,} bytes; send a shorter "
                "query (use variables and fragments) or split it",
                "extensions": {"code": "REQUEST_TOO_LARGE"},
            }
        ]
    }


class BodyLimit:
    """Refuse bodies over the limit with 413, whether or not they declare their length."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _send_json(send, 413, too_large(self.limit))
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await _send_json(send, 413, too_large(self.limit))


class _BodyTooLarge(Exception):
    pass


class ConditionalGet:
    """Answer a repeated GET with 304 before doing any work: the data only changes when the
    store does, so an ETag of the store digest and the request identifies the response."""

    def __init__(
        self,
        app: ASGIApp,
        digest: Callable[[], str | None],
        cache_control: str,
        paths: tuple[str, ...] = ("/graphql",),
    ) -> None:
        self.app = app
        self.digest = digest
        self.cache_control = cache_control
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        digest = self.digest()
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or scope["path"] not in self.paths
            or digest is None
        ):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if "text/html" in headers.get("accept", ""):
            await self.app(scope, receive, send)  # the GraphiQL page, not data
            return
        key = "\0".join(
            (
                digest,
                scope["path"],
                scope.get("query_string", b"").decode("latin-1"),
                headers.get("accept", ""),
            )
        )
        etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
        if etag in {t.strip() for t in headers.get("if-none-match", "").split(",")}:
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": [
                        (b"etag", etag.encode()),
                        (b"cache-control", self.cache_control.encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_with_etag(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                response_headers = MutableHeaders(scope=message)
                response_headers["ETag"] = etag
                response_headers["Cache-Control"] = self.cache_control
                response_headers.add_vary_header("Accept")
            await send(message)

        await self.app(scope, receive, send_with_etag)
