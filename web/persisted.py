"""Persisted queries: `GET /graphql?id=<sha256>` runs a document the operator registered by
putting a `.graphql` file in a folder, so tools can use short, cacheable URLs."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Receive, Scope, Send

from web.errors import error_response


def document_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_documents(folder: Path) -> dict[str, tuple[str, str]]:
    """id -> (file name, document text) for every `.graphql` file in the folder."""
    if not folder.is_dir():
        return {}
    found = {}
    for path in sorted(folder.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        found[document_id(text)] = (path.name, text)
    return found


class PersistedQueries:
    def __init__(
        self, app: ASGIApp, documents: Mapping[str, tuple[str, str]], path: str = "/graphql"
    ) -> None:
        self.app = app
        self.documents = documents
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        params = parse_qsl(scope.get("query_string", b"").decode("latin-1"))
        ids = [value for key, value in params if key == "id"]
        if not ids or any(key == "query" for key, _ in params):
            await self.app(scope, receive, send)
            return
        found = self.documents.get(ids[0].lower())
        if found is None:
            await _not_found(scope, receive, send, ids[0], len(self.documents))
            return
        rest = [(k, v) for k, v in params if k != "id"]
        query_string = urlencode([("query", found[1]), *rest]).encode("latin-1")
        await self.app({**scope, "query_string": query_string}, receive, send)


async def _not_found(
    scope: Scope, receive: Receive, send: Send, wanted: str, registered: int
) -> None:
    response = error_response(
        404,
        f"no persisted query has id {wanted[:80]!r}: the id is the SHA-256 of the document's "
        f"text ({registered} registered); send the document itself as `query` instead",
        "PERSISTED_QUERY_NOT_FOUND",
    )
    await response(scope, receive, send)
