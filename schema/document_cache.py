"""Parsed and validated documents, kept by their text so a repeated query skips both steps.

Strawberry's ParserCache and ValidationCache count entries, and the parser's cache keeps
every document it is given, valid or not: 300 distinct invalid documents of 10 KB held
almost a gigabyte. This cache keeps a document only once it has passed validation, and
counts what it keeps in bytes (estimated from the text: a parsed document takes 80-180
bytes of memory per character), evicting the least recently used.

Validation runs in two steps on a miss: first this project's cheap limits (depth, aliases,
input sizes), and only if they pass, graphql-core's rules, some of which grow faster than
the document (overlapping fields compares pairs of fields).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import Any

from graphql import DocumentNode, validate
from graphql.validation import ASTValidationRule
from strawberry.extensions import SchemaExtension

VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BYTES_PER_CHAR = 200  # above the most a parsed document was measured to take


class DocumentCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._lock = threading.Lock()
        self._documents: OrderedDict[str, DocumentNode] = OrderedDict()

    def __len__(self) -> int:
        return len(self._documents)

    def get(self, query: str) -> DocumentNode | None:
        with self._lock:
            document = self._documents.get(query)
            if document is not None:
                self._documents.move_to_end(query)
            return document

    def put(self, query: str, document: DocumentNode) -> None:
        size = cost_in_bytes(query)
        if size > self.max_bytes // 8:
            return  # one document may not push out most of the others
        with self._lock:
            if query in self._documents:
                return
            self._documents[query] = document
            self.bytes += size
            while self.bytes > self.max_bytes:
                evicted, _ = self._documents.popitem(last=False)
                self.bytes -= cost_in_bytes(evicted)


def cost_in_bytes(query: str) -> int:
    return len(query) * BYTES_PER_CHAR


class CachedDocuments(SchemaExtension):
    """Serve a known document from the cache; on a miss, run `limits` before the other
    validation rules, and cache the document if it passes them all."""

    def __init__(self, cache: DocumentCache, limits: Sequence[type[ASTValidationRule]]) -> None:
        self.cache = cache
        self.limits = tuple(limits)
        self.hit = False

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.query:
            document = self.cache.get(ctx.query)
            if document is not None:
                ctx.graphql_document = document
                self.hit = True
        yield

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        document: Any = ctx.graphql_document
        if self.hit:
            ctx.pre_execution_errors = []  # it was valid when it was cached
            yield
            return
        errors = validate(ctx.schema._schema, document, self.limits)
        if errors:
            ctx.pre_execution_errors = errors  # graphql-core's rules are then skipped
        yield
        for error in ctx.pre_execution_errors or ():
            if not (error.extensions or {}).get("code"):
                error.extensions = {**(error.extensions or {}), "code": VALIDATION_FAILED}
        if ctx.query and ctx.pre_execution_errors == []:
            self.cache.put(ctx.query, document)
