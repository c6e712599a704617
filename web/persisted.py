"""Persisted queries: a client sends the SHA-256 of a document instead of the document.

Two kinds, looked up in this order:

- **Saved operations**, the operator's `.graphql` files in the queries folder, loaded at
  start-up and never evicted. Each is addressed by the SHA-256 (of the UTF-8, in
  lower-case hex) of its *normalised* text: the file with every ignored character
  removed by the reference implementations' `stripIgnoredCharacters` (graphql-js;
  graphql-core's `strip_ignored_characters`), so comments, commas and layout do not
  change it and any client can compute it. (A printer is no definition: graphql-js 16
  prints `{a: 1}` where graphql-core 3.3 and graphql-js 17 print `{ a: 1 }`.)
  `GET /graphql/operations` lists them; `GET /graphql?id=<hash>` runs one.
- **Automatic persisted queries**, Apollo's protocol (version 1), over GET and POST: a
  request carries `extensions.persistedQuery.sha256Hash`, the SHA-256 of the query text
  exactly as the client sends it. Without the query, an unknown hash is answered with
  PERSISTED_QUERY_NOT_FOUND (status 200, as Apollo Server does), and the client sends it
  again with the query. The query is checked against the hash, validated by the schema as
  any query is, and only if it validated kept, in a store bounded in entries and bytes
  that forgets the least recently used first. A restart empties it: clients resend.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, parse, strip_ignored_characters
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.http import GraphQLRequestData

from web.graphql_http import GraphQLOverHTTP, RequestError

log = logging.getLogger("crisisgraph")

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
APQ_VERSION = 1
HASH = re.compile(r"[0-9a-f]{64}")
MAX_ENTRIES = 2_000  # automatic persisted queries kept
MAX_BYTES = 4_000_000  # their text, in bytes (the parsed documents are the schema's cache)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise(text: str) -> str:
    """The text a saved operation's hash is taken of: the document without its ignored
    characters (whitespace, commas, comments), as graphql-js's stripIgnoredCharacters."""
    return strip_ignored_characters(text)


def document_id(text: str) -> str:
    """The hash that addresses a saved operation: the SHA-256 of its normalised text."""
    return sha256(normalise(text))


@dataclass(frozen=True)
class SavedOperation:
    file: str  # the file's name in the queries folder
    name: str  # the operation's name, or the file's stem for an anonymous one
    source: str  # the file as written, comments included (GraphiQL's tabs show it)
    text: str  # the normalised text; `hash` is its SHA-256
    hash: str
    file_hash: str  # the SHA-256 of the file's text: the id before contract version 2


class SavedOperations:
    """The queries folder's operations, by hash; the old file hashes still find them."""

    def __init__(self, operations: list[SavedOperation]) -> None:
        self.operations = operations
        self._by_hash = {op.hash: op for op in operations}
        # Deprecated: ids were the SHA-256 of the file's bytes until contract version 2.
        self._by_file_hash = {op.file_hash: op for op in operations}

    @classmethod
    def load(cls, folder: Path) -> SavedOperations:
        """Every `.graphql` file of the folder; one that does not parse stops the start-up,
        naming the file."""
        found = []
        for path in sorted(folder.glob("*.graphql")) if folder.is_dir() else []:
            source = path.read_text(encoding="utf-8")
            try:
                document = parse(source)
            except GraphQLError as error:
                raise ValueError(f"saved operation {path}: {error.message}") from None
            names = [
                d.name.value
                for d in document.definitions
                if isinstance(d, OperationDefinitionNode) and d.name
            ]
            text = normalise(source)
            found.append(
                SavedOperation(
                    path.name,
                    names[0] if names else path.stem,
                    source,
                    text,
                    sha256(text),
                    sha256(source),
                )
            )
        return cls(found)

    def __iter__(self) -> Iterator[SavedOperation]:
        return iter(self.operations)

    def __len__(self) -> int:
        return len(self.operations)

    def get(self, wanted: str) -> SavedOperation | None:
        wanted = wanted.lower()
        return self._by_hash.get(wanted) or self._by_file_hash.get(wanted)

    def listing(self) -> dict[str, Any]:
        return {
            "operations": [
                {
                    "name": op.name,
                    "file": op.file,
                    "hash": op.hash,
                    "text": op.text,
                    "source": op.source,
                }
                for op in self.operations
            ]
        }


def load_documents(folder: Path) -> dict[str, tuple[str, str]]:
    """hash -> (file name, file text) for every saved operation of the folder."""
    return {op.hash: (op.file, op.source) for op in SavedOperations.load(folder)}


class AutomaticStore:
    """Automatic persisted queries, hash -> text, bounded in entries and in bytes of text,
    evicting the least recently used (as schema.document_cache.DocumentCache, which holds
    their parsed documents)."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self._lock = threading.Lock()
        self._queries: OrderedDict[str, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._queries)

    def get(self, wanted: str) -> str | None:
        with self._lock:
            query = self._queries.get(wanted)
            if query is not None:
                self._queries.move_to_end(wanted)
            return query

    def put(self, key: str, query: str) -> None:
        size = _size(key, query)
        if size > self.max_bytes // 8:
            return  # one query may not push out most of the others
        with self._lock:
            if key in self._queries:
                return
            self._queries[key] = query
            self.bytes += size
            while self.bytes > self.max_bytes or len(self._queries) > self.max_entries:
                evicted, text = self._queries.popitem(last=False)
                self.bytes -= _size(evicted, text)


def _size(key: str, query: str) -> int:
    return len(key) + len(query.encode("utf-8"))


class PersistedGraphQL(GraphQLOverHTTP):
    """The GraphQL view, with both kinds of persisted queries resolved before execution."""

    saved = SavedOperations([])
    automatic = AutomaticStore(0, 0)

    def should_render_graphql_ide(self, request: Any) -> bool:
        """Strawberry shows the page to a GET without `query` that accepts `*/*`, as curl
        and fetch do: a GET naming a persisted query wants its data."""
        params = request.query_params
        if "id" in params or "extensions" in params:
            return False
        return super().should_render_graphql_ide(request)

    def parse_query_params(self, params: Any) -> dict[str, Any]:
        parsed = super().parse_query_params(params)
        wanted = parsed.get("id")
        if isinstance(wanted, str) and not parsed.get("query"):
            found = self.saved.get(wanted)
            if found is None:
                raise RequestError(
                    404,
                    f"no saved operation has id {wanted[:80]!r}: the id is the SHA-256 of the "
                    f"operation's normalised text ({len(self.saved)} saved, listed at "
                    "/graphql/operations); send the document itself as `query` instead",
                    code=NOT_FOUND,
                )
            parsed["query"] = found.text
        return parsed

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        request_data: GraphQLRequestData = kwargs["request_data"]
        persisted = (request_data.extensions or {}).get("persistedQuery")
        if persisted is None:
            return await super().execute_single(*args, **kwargs)
        key = _requested_hash(persisted)
        query = request_data.query
        if query is None:
            found = self.saved.get(key)
            query = found.text if found is not None else self.automatic.get(key)
            if query is None:
                raise RequestError(
                    200,  # Apollo Server's status: clients then send the query
                    "PersistedQueryNotFound: no query is stored under this sha256Hash; send "
                    "the query with it (Apollo's automatic persisted queries protocol)",
                    code=NOT_FOUND,
                )
            kwargs["request_data"] = dataclasses.replace(request_data, query=query)
            return await super().execute_single(*args, **kwargs)
        if sha256(query) != key:
            raise RequestError(
                400,
                "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent "
                "(hash the query's text exactly as sent, UTF-8, in lower-case hex)",
            )
        result = await super().execute_single(*args, **kwargs)
        if getattr(kwargs["context"], "document", None) is not None:  # it validated
            self.automatic.put(key, query)
        return result


def _requested_hash(persisted: object) -> str:
    if not isinstance(persisted, dict) or persisted.get("version") != APQ_VERSION:
        raise RequestError(
            400,
            "extensions.persistedQuery must be an object with version 1 (Apollo's automatic "
            "persisted queries) and sha256Hash",
        )
    key = persisted.get("sha256Hash")
    if not isinstance(key, str) or not HASH.fullmatch(key.lower()):
        raise RequestError(
            400,
            "extensions.persistedQuery.sha256Hash must be a SHA-256 in hex (64 characters)",
        )
    return key.lower()


def operations_route(saved: SavedOperations, path: str = "/graphql/operations") -> Route:
    """`GET /graphql/operations`: the saved operations, with the hash each is run by."""

    async def operations(request: Request) -> Response:
        return JSONResponse(saved.listing())

    return Route(path, operations, methods=["GET"])
