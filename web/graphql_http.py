"""GraphQL over HTTP as its specification says, on top of Strawberry's ASGI view.

Strawberry parses the request and runs the operation; this view adds what the
specification asks of a server and Strawberry leaves out:

- content negotiation between `application/graphql-response+json` and `application/json`
  (the default, for a missing Accept header or `*/*`), and 406 when the client accepts
  neither;
- under `application/graphql-response+json`, status 400 and no `data` entry for a request
  error (a document that does not parse or validate, variables that do not fit);
  `application/json` clients keep 200 with `errors[]`, as before;
- 415 for a POST body that is not JSON, and 405 (with `Allow`) for a mutation over GET;
- request errors as GraphQL responses, with `extensions.code`, instead of plain text;
  whatever the body or query string holds (invalid UTF-8, JSON that is not an object,
  nesting thousands deep, numbers no type can hold), the answer is a JSON 4xx;
- 429 for a RATE_LIMITED refusal and 503 for OVERLOADED, with Retry-After; a client that
  has spent its budget is refused before its request is even parsed (`refuse_early`);
- `Cache-Control: no-store` on any response with errors, so no cache keeps serving one.
"""

from __future__ import annotations

import json
import math
from email.message import Message
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from web.errors import NO_STORE, error_response

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"

CODES = {
    400: "BAD_REQUEST",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}
# Refusals that are about the server or the client's budget, not the query.
REFUSAL_STATUS = {"RATE_LIMITED": 429, "OVERLOADED": 503}
MAX_NUMBER_DIGITS = 20  # wider than any Int or Float argument can hold


class RequestError(HTTPException):
    def __init__(
        self, status_code: int, reason: str, allow: str | None = None, code: str | None = None
    ) -> None:
        super().__init__(status_code, reason)
        self.allow = allow
        self.code = code  # extensions.code, when the status alone does not say it


def negotiate(accept: str | None) -> str | None:
    """The media type to answer with, or None when Accept allows neither of ours.

    Media ranges are taken by quality, then in the client's order; a wildcard means
    `application/json`, the type every GraphQL client reads.
    """
    if not accept or not accept.strip():
        return JSON
    ranges: list[tuple[float, int, str]] = []
    refused: set[str] = set()
    for position, part in enumerate(accept.split(",")):
        media, params = _parse_media_type(part)
        try:
            quality = float(params.get("q", "1"))
        except ValueError:
            quality = 1.0
        if quality <= 0:
            refused.add(media)
        else:
            ranges.append((-quality, position, media))
    for _, _, media in sorted(ranges):
        if media in (GRAPHQL_RESPONSE, JSON) and media not in refused:
            return media
        if media in ("*/*", "application/*"):
            for candidate in (JSON, GRAPHQL_RESPONSE):
                if candidate not in refused:
                    return candidate
    return None


def _parse_media_type(value: str) -> tuple[str, dict[str, str]]:
    message = Message()
    message["content-type"] = value
    params = message.get_params() or [("", "")]
    media = params[0][0].strip().lower()
    return media, {k.lower(): v for k, v in params[1:]}


def decode_json(data: str | bytes) -> object:
    """JSON as a request may send it, or a RequestError saying what is wrong with it."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise RequestError(
                400, f"the request is not valid UTF-8 (byte {error.start}); send UTF-8 JSON"
            ) from None
    try:
        return json.loads(
            data, parse_int=_integer, parse_float=_float, parse_constant=_not_a_number
        )
    except RecursionError:
        raise RequestError(400, "the JSON is nested too deeply; no argument nests") from None
    except _Overflow as error:  # well-formed JSON, but no argument can hold the value
        raise RequestError(400, str(error), code="BAD_USER_INPUT") from None
    except ValueError as error:
        raise RequestError(400, f"the request is not valid JSON: {str(error)[:200]}") from None


class _Overflow(ValueError):
    pass


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _Overflow(f"a number of {len(text):,} digits is larger than any argument takes")
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS * 2:
        raise _Overflow(f"a number of {len(text):,} characters is longer than any argument takes")
    value = float(text)
    if not math.isfinite(value):
        raise _Overflow(f"{text[:40]} is too large for any number argument")
    return value


def _not_a_number(text: str) -> float:
    raise ValueError(f"{text} is not a JSON number")


def is_request_error(result: ExecutionResult) -> bool:
    """Whether the operation did not run at all: no data, and no error from a field."""
    errors = result.errors or []
    return result.data is None and bool(errors) and all(e.path is None for e in errors)


class GraphQLOverHTTP(GraphQL[Any, None]):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        media = negotiate(request.headers.get("accept"))
        request.state.media_type = media or JSON
        try:
            if media is None and not self.should_render_graphql_ide(
                self.request_adapter_class(request)
            ):
                raise RequestError(
                    406,
                    f"this endpoint answers with {GRAPHQL_RESPONSE} or {JSON}; accept one of them",
                )
            response = await self.refuse_early(request) or await self.run(request)
        except HTTPException as error:
            response = self.error_response(error, media or JSON)
        await response(scope, receive, send)

    async def refuse_early(self, request: Request) -> Response | None:
        """A response that spares parsing the request at all, or None to go on."""
        return None

    def error_response(self, error: HTTPException, media: str) -> Response:
        headers = {}
        if error.status_code == 405:
            headers["Allow"] = getattr(error, "allow", None) or "GET, POST"
        return error_response(
            error.status_code,
            error.reason,
            getattr(error, "code", None) or CODES.get(error.status_code, "BAD_REQUEST"),
            media_type=media,
            headers=headers,
        )

    def decode_json(self, data: str | bytes) -> object:
        return decode_json(data)

    async def get_sub_response(self, request: Request | Any) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = request.state.media_type
        request.state.sub_response = sub_response
        return sub_response

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        if request.method == "POST":
            media, params = _parse_media_type(request.content_type or "")
            if media != JSON or params.get("charset", "utf-8").lower() != "utf-8":
                raise RequestError(
                    415,
                    f"send the request body as {JSON} (UTF-8), not "
                    f"{(request.content_type or 'without a Content-Type')[:80]!s}",
                )
        try:
            parsed = await super().parse_http_body(request)
        except AttributeError:  # Strawberry reads the body with `.get`: it was no object
            raise RequestError(
                400,
                'send a JSON object, {"query": "...", "variables": {...}}, as the request body',
            ) from None
        for data in parsed if isinstance(parsed, list) else [parsed]:
            name = data.operation_name
            if name is not None and not isinstance(name, str):
                raise RequestError(
                    400,
                    "operationName: give the name of the operation to run as a string, or "
                    f"null for the document's only operation (not {type(name).__name__})",
                )
        return parsed

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        try:
            return await super().execute_single(*args, **kwargs)
        except HTTPException as error:
            method = getattr(kwargs.get("request_adapter"), "method", None)
            if isinstance(error.__cause__, InvalidOperationTypeError) and method == "GET":
                raise RequestError(
                    405, "only queries can be sent with GET; send mutations with POST", "POST"
                ) from error
            raise

    async def process_result(
        self, request: Request | Any, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        codes = {(e.extensions or {}).get("code") for e in result.errors or ()}
        sub_response = request.state.sub_response
        if result.errors:
            sub_response.headers["Cache-Control"] = NO_STORE
        refusal = next((REFUSAL_STATUS[c] for c in codes if c in REFUSAL_STATUS), None)
        if refusal is not None:
            sub_response.status_code = refusal
            context = getattr(request.state, "context", None)
            retry = getattr(context, "retry_after", None) or 1.0
            sub_response.headers["Retry-After"] = str(max(math.ceil(retry), 1))
            return response
        if request.state.media_type == GRAPHQL_RESPONSE and is_request_error(result):
            # The specification: a request error has no `data` entry, and a 4xx status.
            response.pop("data", None)
            internal = any(
                (e.extensions or {}).get("code") == "INTERNAL_SERVER_ERROR"
                for e in result.errors or ()
            )
            request.state.sub_response.status_code = 500 if internal else 400
        return response

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        media = sub_response.media_type or JSON
        response.media_type = media
        response.headers["content-type"] = media
        return response
