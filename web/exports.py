"""`GET /export/{crisis}/{type}.{format}`: bulk downloads for research tools.

The export is streamed as data/export.py writes it. Its ETag is derived from the
store's digest, so a tool that polls with If-None-Match downloads again only
after the curators change the store (or the export's columns change).

Every download says on what terms it may be reused without touching its bytes: a `Link`
to the licence (rel="license") and to the crisis's `datapackage.json` (rel="describedby"),
which data tools read, and the credit line in `X-Crisisgraph-Attribution`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from data import datapackage
from data.export import EXPORT_VERSION, ExportNotFound, check_crisis, find_export
from data.repository import Repository
from data.terms import header_text, terms_of
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
        path = f"{export.crisis}/{export.kind.name}.{export.format}"
        headers = {
            "ETag": etag(repository.digest, path, export.version),
            "Content-Disposition": f'attachment; filename="{export.filename}"',
            **terms_headers(repository, export.crisis, described_by=True),
        }
        if _matches(request.headers.get("if-none-match"), headers["ETag"]):
            return Response(status_code=304, headers={"ETag": headers["ETag"]})
        if request.method == "HEAD":  # no Content-Length: a stream's length is not known
            return StreamingResponse(iter(()), media_type=export.media_type, headers=headers)
        return StreamingResponse(
            _batched(export.chunks()), media_type=export.media_type, headers=headers
        )

    async def describe(request: Request) -> Response:
        repository = get_repository()
        if repository is None:
            message = "The store is still loading: try again in a few seconds."
            return error_response(503, message, "STORE_LOADING", retry_after=5)
        crisis = request.path_params["crisis"]
        try:
            check_crisis(repository, crisis)
        except ExportNotFound as error:
            return error_response(404, str(error), "NOT_FOUND")
        version = repository.histories[crisis].version
        headers = {
            "ETag": etag(repository.digest, f"{crisis}/{datapackage.FILENAME}", version),
            **terms_headers(repository, crisis, described_by=False),
        }
        if _matches(request.headers.get("if-none-match"), headers["ETag"]):
            return Response(status_code=304, headers={"ETag": headers["ETag"]})
        return JSONResponse(datapackage.describe(repository, crisis), headers=headers)

    return [
        Route(f"/export/{{crisis}}/{datapackage.FILENAME}", describe, methods=["GET", "HEAD"]),
        Route("/export/{crisis}/{file}", download, methods=["GET", "HEAD"]),
    ]


def terms_headers(repository: Repository, crisis: str, *, described_by: bool) -> dict[str, str]:
    """The licence as a `Link` (RFC 8288, rel="license" per RFC 4946), the crisis's
    datapackage.json beside the download, and the credit line (as ASCII: headers are)."""
    terms = terms_of(repository, crisis)
    links = [f'<{terms.licence.url}>; rel="license"']
    if described_by:  # relative: resolves beside the download, whatever the mount point
        links.append(f'<{datapackage.FILENAME}>; rel="describedby"; type="application/json"')
    headers = {
        "Link": ", ".join(links),
        "X-Crisisgraph-Attribution": header_text(terms.attribution),
    }
    version = repository.histories[crisis].version
    if version is not None:  # the release the bytes are from (data/releases.py)
        headers["X-Crisisgraph-Version"] = version
    return headers


def etag(digest: str, path: str, version: str | None = None) -> str:
    """A strong validator: the same bytes for as long as the store, its release and the
    columns stay."""
    key = f"{digest}\0{version or '-'}\0{EXPORT_VERSION}\0{path}".encode()
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
