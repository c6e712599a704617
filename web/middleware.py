"""HTTP hygiene for a public, read-only API: security headers, no caching of errors, a
request body limit, and conditional GETs (ETag from the store digest and the index
snapshot, 304 without running the query)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from settings import MAX_BODY_BYTES
from web.errors import NO_STORE, error_response

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
                if message["status"] >= 400:  # whoever answered: an error is never cached
                    headers["Cache-Control"] = NO_STORE
                    del headers["ETag"]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def too_large(limit: int) -> ASGIApp:
    return error_response(
        413,
        f"the request body is larger than {limit:,} bytes; send a shorter query (use "
        "variables and fragments) or split it",
        "REQUEST_TOO_LARGE",
    )


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
            await too_large(self.limit)(scope, receive, send)
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
                await too_large(self.limit)(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


class ConditionalGet:
    """Answer a repeated GET with 304 before doing any work: the data only changes when the
    store or the search index does, so an ETag of their versions (`digest`) and the request
    identifies the response. `If-None-Match` is compared weakly, `*` matches any, and a 304
    repeats the ETag, Cache-Control and Vary a 200 would carry (RFC 9110, 13.1.2 and 15.4.5).
    Only successful answers without errors get an ETag: the view marks any response with
    errors `no-store`."""

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
        cached = {"ETag": etag, "Cache-Control": self.cache_control, "Vary": "Accept"}
        if matches(headers.get("if-none-match"), etag):
            await Response(status_code=304, headers=cached)(scope, receive, send)
            return

        async def send_with_etag(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                response_headers = MutableHeaders(scope=message)
                if response_headers.get("cache-control") != NO_STORE:
                    response_headers["ETag"] = etag
                    response_headers["Cache-Control"] = self.cache_control
                    response_headers.add_vary_header("Accept")
            await send(message)

        await self.app(scope, receive, send_with_etag)


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header matches `etag`, by weak comparison: `W/"x"` and
    `"x"` are the same tag; `*` matches any."""
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    return any(
        tag == "*" or tag.removeprefix("W/") == wanted
        for tag in (t.strip() for t in if_none_match.split(","))
    )
