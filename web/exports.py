"""`GET /export/{crisis}/{type}.{format}`: bulk downloads for research tools.

The export is streamed as data/export.py writes it. Its ETag is derived from the
store's digest, so a tool that polls with If-None-Match downloads again only
after the curators change the store (or the export's columns change).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from data.export import EXPORT_VERSION, Export, ExportNotFound, find_export
from data.repository import Repository
from web.errors import error_response

# Each chunk of a sync iterator costs StreamingResponse a trip to the thread pool;
# sending whole batches keeps that overhead off the per-record path.
CHUNK_SIZE = 64 * 1024


def export_routes(get_repository: Callable[[], Repository | None]) -> list[Route]:
    """The export routes; `get_repository` returns None while the store is loading."""

    async def download(request: Request) -> Response:
        repository = get_repository()
        if repository is None:
            message = "The store is still loading: try again in a few seconds."
            return error_response(503, message, "STORE_LOADING", retry_after=5)
        type_name, _, fmt = request.path_params["file"].partition(".")
        try:
            export = find_export(repository, request.path_params["crisis"], type_name, fmt)
        except ExportNotFound as error:
            return error_response(404, str(error), "NOT_FOUND")
        headers = {
            "ETag": etag(repository.digest, export),
            "Content-Disposition": f'attachment; filename="{export.filename}"',
        }
        if _matches(request.headers.get("if-none-match"), headers["ETag"]):
            return Response(status_code=304, headers={"ETag": headers["ETag"]})
        if request.method == "HEAD":  # no Content-Length: a stream's length is not known
            return StreamingResponse(iter(()), media_type=export.media_type, headers=headers)
        return StreamingResponse(
            _batched(export.chunks()), media_type=export.media_type, headers=headers
        )

    return [Route("/export/{crisis}/{file}", download, methods=["GET", "HEAD"])]


def etag(digest: str, export: Export) -> str:
    """A strong validator: the same bytes for as long as the store and the columns stay."""
    path = f"{export.crisis}/{export.kind.name}.{export.format}"
    key = f"{digest}\0{EXPORT_VERSION}\0{path}".encode()
    return f'"{hashlib.sha256(key).hexdigest()[:32]}"'


def _matches(if_none_match: str | None, tag: str) -> bool:
    # RFC 9110: If-None-Match compares weakly, so W/"x" matches "x"; "*" matches any.
    if not if_none_match:
        return False
    candidates = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in candidates or tag in candidates


def _batched(chunks: Iterator[str]) -> Iterator[str]:
    batch: list[str] = []
    size = 0
    for chunk in chunks:
        batch.append(chunk)
        size += len(chunk)
        if size >= CHUNK_SIZE:
            yield "".join(batch)
            batch, size = [], 0
    if batch:
        yield "".join(batch)
