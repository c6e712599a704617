"""Documents a client sends: parsed and validated once, on their own lane of worker
threads, and kept by their text so that a repeated query skips both steps.

Strawberry's ParserCache and ValidationCache count entries, and the parser's cache keeps
every document it is given, valid or not: 300 distinct invalid documents of 10 KB held
almost a gigabyte. This cache keeps a document only once it has passed validation, and
counts what it keeps in bytes (estimated from the text: a parsed document takes 80-180
bytes of memory per character), evicting the least recently used.

`check_document` validates in two steps: first this project's cheap limits (depth,
aliases, fields, input sizes), and only if they pass, the specification's rules and
Strawberry's, stopping at MAX_ERRORS: some rules grow faster than the document
(overlapping fields compares pairs of fields) and each unknown field costs a search for
suggestions, so a document of a hundred misspelt fields took 60 ms to refuse.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, specified_rules, validate
from graphql.validation import ASTValidationRule
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from settings import MAX_TOKENS

VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
MAX_ERRORS = 10  # validation errors reported before validation stops
BYTES_PER_CHAR = 200  # above the most a parsed document was measured to take
# What Strawberry adds to the rules it is given (strawberry.schema.schema.validate_document).
STRAWBERRY_RULES = (MaybeNullValidationRule, OneOfInputValidationRule)


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


def check_document(
    schema: GraphQLSchema,
    query: str,
    limits: Sequence[type[ASTValidationRule]],
    rules: Sequence[type[ASTValidationRule]] = (),
) -> tuple[DocumentNode | None, list[GraphQLError]]:
    """The parsed document (None if it does not parse) and its errors, each with its code:
    valid if there are none.

    `limits` are checked first, alone; then the specification's rules, Strawberry's and
    `rules` (e.g. one refusing introspection)."""
    try:
        document = parse(query, max_tokens=MAX_TOKENS)
    except GraphQLError as error:
        return None, [error]  # schema.extensions gives it its code
    errors = validate(schema, document, limits)
    if not errors:
        everything = (*specified_rules, *STRAWBERRY_RULES, *rules)
        errors = validate(schema, document, everything, max_errors=MAX_ERRORS)
    for found in errors:
        if not (found.extensions or {}).get("code"):
            found.extensions = {**(found.extensions or {}), "code": VALIDATION_FAILED}
    return document, errors


class CheckedDocument(SchemaExtension):
    """Give Strawberry the document the context carries, already parsed and validated
    (CrisisSchema.execute checks it before execution is scheduled), so that Strawberry
    neither parses nor validates it again."""

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        document = _checked(ctx)
        if document is not None:
            ctx.graphql_document = document
        yield

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if _checked(ctx) is not None:
            ctx.pre_execution_errors = []
        yield


def _checked(ctx: Any) -> DocumentNode | None:
    document: DocumentNode | None = getattr(ctx.context, "document", None)
    return document
